"""What a use case asks the outside world to do, as values: the adapter carries them out.

They are decided inside the transaction that changed the state, so they are queued with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Announce:
    """Post the news message of a new session, then confirm to the person who offered it."""

    session_id: int


@dataclass(frozen=True, slots=True)
class Refresh:
    """The session's news post and the programme overview show stale facts: edit them (debounced)."""

    session_id: int


@dataclass(frozen=True, slots=True)
class Notify:
    """A message in the session's thread that pings exactly `users`, in `language` (None: the room's default)."""

    session_id: int
    message: Any
    users: tuple[str, ...]
    purpose: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Direct:
    """A message to one person in their direct chat with the bot (created once, then reused)."""

    user_id: str
    message: Any
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """A message in one of the configured rooms ("programme" or "digest")."""

    room: str
    message: Any
    purpose: str | None = None


Effect = Announce | Refresh | Notify | Direct | Post


@dataclass(frozen=True, slots=True)
class Outcome:
    """A use case's answer to the asker (may be None: e.g. a reaction) and its effects."""

    reply: Any = None
    effects: tuple[Effect, ...] = field(default_factory=tuple)
