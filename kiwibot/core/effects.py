"""What a use case asks the outside world to do, as values: the adapter carries them out.

They are decided inside the transaction that changed the state, so they are queued with it. A queued message
carries its purpose: what it is for, and so what follows once it is delivered (or refused).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kiwibot.core.messages import Attachment, Text

# -- purposes: what a queued message is for (None: a reply or a note that nothing waits for) -----------


@dataclass(frozen=True, slots=True)
class NewsPost:
    """A session's announcement: once sent, it is the session's post (signups, thread, edits)."""

    session_id: int


@dataclass(frozen=True, slots=True)
class NewsEdit:
    """An edit of a session's news post: dropped while still queued if the post was deleted."""

    session_id: int


@dataclass(frozen=True, slots=True)
class Confirmation:
    """The answer to an offer or a repeat, queued with it; once it and the news post are sent, it is edited to
    link to the post. None: an answer queued by an older version (after its post was sent), nothing follows."""

    session_id: int | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """A message in a session's thread (a change, a cancellation, a waiting-list move, a new session)."""

    session_id: int


@dataclass(frozen=True, slots=True)
class Reminder:
    """One message of a reminder: the reminder is delivered once none of its messages waits any more."""

    session_id: int
    offset: int  # minutes before the start
    planned_start: datetime  # the start it was planned for: a moved session has new reminders


@dataclass(frozen=True, slots=True)
class FeedbackAsk:
    """One message asking a session's participants for feedback: the ask is done once none of them waits."""

    session_id: int


@dataclass(frozen=True, slots=True)
class FeedbackSummary:
    """The feedback summary of a session, by direct message to its givers (recorded when queued)."""

    session_id: int


@dataclass(frozen=True, slots=True)
class Digest:
    """The digest of a (local) day: recorded as sent once posted."""

    day: date


@dataclass(frozen=True, slots=True)
class Overview:
    """The programme overview: once sent, it is the post to edit and pin."""


@dataclass(frozen=True, slots=True)
class OverviewEdit:
    """An edit of the overview: dropped while still queued if the overview was deleted."""


@dataclass(frozen=True, slots=True)
class WishPost:
    """A topic wish's post in the programme room: once sent, it is the wish's post (interest, thread, edits)."""

    wish_id: int


@dataclass(frozen=True, slots=True)
class WishEdit:
    """An edit of a wish's post: dropped while still queued if the post was deleted."""

    wish_id: int


Purpose = (
    NewsPost
    | NewsEdit
    | Confirmation
    | Notice
    | Reminder
    | FeedbackAsk
    | FeedbackSummary
    | Digest
    | Overview
    | OverviewEdit
    | WishPost
    | WishEdit
)

# -- effects ------------------------------------------------------------------------------------------


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
    message: Text
    users: tuple[str, ...]
    purpose: Purpose | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Direct:
    """A message to one person in their direct chat with the bot (created once, then reused); `files` follow it
    there."""

    user_id: str
    message: Text
    purpose: Purpose | None = None
    files: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class Post:
    """A message in one of the configured rooms ("programme", "digest" or "reports"); `files` follow it there."""

    room: str
    message: Text
    purpose: Purpose | None = None
    files: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class AnnounceWish:
    """Post a new topic wish in the programme room."""

    wish_id: int


@dataclass(frozen=True, slots=True)
class RefreshWish:
    """The wish's post shows stale facts (interest, fulfilled, closed): edit it (debounced)."""

    wish_id: int


@dataclass(frozen=True, slots=True)
class NotifyWish:
    """A message in the wish post's thread that pings exactly `users`, in `language` (None: the room's default)."""

    wish_id: int
    message: Text
    users: tuple[str, ...]
    language: str | None = None


Effect = Announce | Refresh | Notify | Direct | Post | AnnounceWish | RefreshWish | NotifyWish


@dataclass(frozen=True, slots=True)
class Outcome:
    """A use case's answer to the asker (may be None: e.g. a reaction) and its effects; `files` are sent right
    after the answer, where the answer goes (the same room and thread)."""

    reply: Text | None = None
    effects: tuple[Effect, ...] = field(default_factory=tuple)
    files: tuple[Attachment, ...] = ()
