"""When a kept page or personal feed still holds: what it was built from, checked with a row read or two.

Sessions, signups and the layout of the lists (which sessions, in which order) each have a change count
(migration 15). Built at the same three counts, in the same language and before its next change by time, a page
or feed is what it would be built as now. When only sessions or signups changed, one more read tells whether any
of those changes touched the sessions it shows or the person's own signups: most do not (another session's
title, other people's signups), and the kept bytes are served on. Everything is read on the event loop's thread
through the bot's one connection, in the same synchronous step as the data it describes: no write falls between.

Names are no rows: the chat platform learns them late (after a restart) or people rename themselves. What names
people is kept with the `NameChanges.version` it was built at and built again once a name it gave out moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from kiwibot.core.calendar import Calendars


class NameChanges(Protocol):
    """When a name the page and feeds were given (their `names`) would now be another: the chat adapter's names."""

    @property
    def version(self) -> int:
        """Moves whenever a name given out would now be another."""
        ...

    def changed_since(self, version: int, users: Iterable[str]) -> bool:
        """Whether the name of any of `users` moved after `version`."""
        ...


class Unchanging:
    """Names that never change (an id's local part): nothing named is ever stale."""

    version = 0

    def changed_since(self, version: int, users: Iterable[str]) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Basis:
    """What a kept page or feed was built from."""

    versions: tuple[int, int, int]  # sessions, signups, layout
    language: str
    marks: tuple[int, int]  # the newest session and signup changes among `ids` and the person's own signups
    ids: frozenset[int]  # the sessions it shows
    until: datetime | None  # when it changes by time alone


def basis(calendars: Calendars, user_id: str, language: str, ids: Iterable[int], until: datetime | None) -> Basis:
    """The basis of what was just read for `user_id` (call it in the same synchronous step as the read)."""
    shown = frozenset(ids)
    return Basis(calendars.versions(), language, calendars.change_marks(user_id, shown), shown, until)


def still_holds(calendars: Calendars, user_id: str, kept: Basis, language: str, now: datetime) -> Basis | None:
    """`kept` brought up to date if what was built on it is still right; None: build it again."""
    if kept.language != language or (kept.until is not None and now >= kept.until):
        return None
    versions = calendars.versions()
    if versions == kept.versions:
        return kept
    if versions[2] != kept.versions[2] or calendars.change_marks(user_id, kept.ids) != kept.marks:
        return None
    return replace(kept, versions=versions)
