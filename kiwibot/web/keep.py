"""When a kept page or personal feed still holds: what it was built from, checked with a row read or two.

Sessions, signups and the layout of the lists (which sessions, in which order) each have a change count
(migration 15). Built at the same three counts, in the same language and before its next change by time, a page
or feed is what it would be built as now. When only sessions or signups changed, one more read tells whether any
of those changes touched the sessions it shows or the person's own signups: most do not (another session's
title, other people's signups), and the kept bytes are served on. Everything is read on the event loop's thread
through the bot's one connection, in the same synchronous step as the data it describes: no write falls between.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from kiwibot.core.calendar import Calendars


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
