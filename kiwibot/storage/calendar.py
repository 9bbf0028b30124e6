"""Calendar rows: people's link hashes and what each calendar feed holds (migration 7 made the columns).

A mixin of `Store`: it uses the store's connection, `_one`, `transaction` and session reader. Feeds are read in
two steps so that a feed of 10,000 sessions costs little when little changed: first the stamps of what a feed
holds (id and the number of its last change: no parsing), then the full rows of only those a cache lacks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from kiwibot.core.calendar import CalendarEntry, FeedIndex, Stamp
from kiwibot.storage.base import StoreBase
from kiwibot.storage.sessions import MAX_DURATION
from kiwibot.storage.times import from_iso, iso

if TYPE_CHECKING:
    from kiwibot.core.model import Session

_ENTRY_COLUMNS = "ical_sequence, updated_at, cancelled_at, calendar_id, calendar_rev"
_CHUNK = 500  # SQLite's limit on bound parameters is far above; small chunks keep each query short


class CalendarRows(StoreBase):
    """Link hashes per person, calendar-file ids, SEQUENCE and what each feed shows."""

    if TYPE_CHECKING:  # from SessionRows, beside it in Store
        _SESSION_COLUMNS: str

        @staticmethod
        def _session(row: tuple[Any, ...]) -> Session: ...

    # -- links ----------------------------------------------------------------------------------

    def add_calendar_link(self, user_id: str, digest: str, at: datetime, *, replace: bool) -> None:
        """Store one more link hash of a person; `replace`: every earlier link of theirs stops working now."""
        with self.transaction():
            if replace:
                # The old hashes are kept without the person for a while: their calendars keep polling.
                self.db.execute(
                    "INSERT OR IGNORE INTO revoked_links (hash, revoked_at) "
                    "SELECT hash, ? FROM calendar_links WHERE user_id = ?",
                    (iso(at), user_id),
                )
                self.db.execute("DELETE FROM calendar_links WHERE user_id = ?", (user_id,))
            self.db.execute(
                "INSERT INTO calendar_links (hash, user_id, created_at) VALUES (?, ?, ?)", (digest, user_id, iso(at))
            )

    def calendar_link_count(self, user_id: str) -> int:
        return int(self._one("SELECT COUNT(*) FROM calendar_links WHERE user_id = ?", (user_id,)))

    def calendar_link_owner(self, digest: str) -> tuple[str, str] | None:
        """(stored hash, user) of a link hash, or None. The caller compares the hash in constant time."""
        row = self.db.execute("SELECT hash, user_id FROM calendar_links WHERE hash = ?", (digest,)).fetchone()
        return None if row is None else (row[0], row[1])

    def revoked_link(self, digest: str, since: datetime) -> bool:
        """Whether `!kalender neu` revoked this link hash after `since`."""
        found = self._one("SELECT 1 FROM revoked_links WHERE hash = ? AND revoked_at > ?", (digest, iso(since)))
        return found is not None

    # -- what the feeds hold --------------------------------------------------------------------

    def calendar_version(self) -> int:
        """Grows with every change to a session a calendar could show (triggers of migrations 7 and 10)."""
        return int(self._one("SELECT version FROM calendar_version WHERE id = 1"))

    def calendar_versions(self) -> tuple[int, int, int]:
        """(sessions, signups, layout) change counts (migration 15): the first is `calendar_version`, the second
        grows with every signup change, the third when the set or order of sessions a list shows can change."""
        row = self.db.execute("SELECT version, signups, layout FROM calendar_version WHERE id = 1").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def change_marks(self, user_id: str, session_ids: Collection[int]) -> tuple[int, int]:
        """The newest change to the sessions `session_ids` and those `user_id` is signed up for, and the newest
        signup change among them: both only grow (`calendar_rev` and `signups_rev` take the new counts)."""
        revision, signups = 0, 0
        for chunk in list(_chunks(list(session_ids))) or [[]]:
            marks = ",".join("?" * len(chunk))
            row = self.db.execute(
                f"SELECT max(calendar_rev), max(signups_rev) FROM sessions WHERE id IN ({marks}) "
                "OR id IN (SELECT session_id FROM signups WHERE user_id = ?)",
                (*chunk, user_id),
            ).fetchone()
            revision, signups = max(revision, int(row[0] or 0)), max(signups, int(row[1] or 0))
        return revision, signups

    def changed_since(self, version: int) -> dict[int, int]:
        """Sessions changed after the sessions' change count was `version`, with their `calendar_rev`."""
        rows = self.db.execute("SELECT id, calendar_rev FROM sessions WHERE calendar_rev > ?", (version,))
        return {row[0]: row[1] for row in rows}

    def next_session_end(self, now: datetime) -> datetime | None:
        """When the next open session ends after `now`: lists of upcoming sessions change then by time alone."""
        value = self._one("SELECT min(ends_at) FROM sessions WHERE status = 'open' AND ends_at > ?", (iso(now),))
        return from_iso(value) if value else None

    def programme_stamps(self, now: datetime, keep: timedelta) -> FeedIndex:
        """Every session that has not ended, and those cancelled within `keep` that ended less than `keep` ago."""
        upcoming = self.db.execute(
            "SELECT id, calendar_rev, ends_at FROM sessions WHERE status = 'open' AND starts_at > ? AND ends_at > ? "
            "ORDER BY starts_at, id",
            (iso(now - MAX_DURATION), iso(now)),
        ).fetchall()
        cancelled = self.db.execute(
            "SELECT id, calendar_rev, min(ends_at, cancelled_at) FROM sessions "
            "WHERE status = 'cancelled' AND cancelled_at > ? AND ends_at > ? ORDER BY starts_at, id",
            (iso(now - keep), iso(now - keep)),
        ).fetchall()
        # The feed changes by time alone when its first upcoming session ends or a cancelled one is dropped.
        moments = [from_iso(min(row[2] for row in upcoming))] if upcoming else []
        if cancelled:
            moments.append(from_iso(min(row[2] for row in cancelled)) + keep)
        until = min(moments, default=None)
        stamps = [Stamp(row[0], row[1]) for row in upcoming] + [Stamp(row[0], row[1]) for row in cancelled]
        return FeedIndex(tuple(stamps), until)

    def personal_stamps(self, user_id: str, now: datetime, keep: timedelta) -> FeedIndex:
        """Sessions a person gives (or co-gives) or signed up for that ended less than `keep` ago (cancelled ones:
        cancelled less than `keep` ago), with a waiting-list place marked and the person's moves between the
        waiting list and a seat; in date order. `valid_until`: when the
        first of them drops out by time alone."""
        since = iso(now - keep)
        # The fifth column + keep: when the session leaves the feed (cancelled_at is NULL for an open one).
        rows = self.db.execute(
            "SELECT id, calendar_rev, 0, starts_at, min(ends_at, COALESCE(cancelled_at, ends_at)), 0, NULL "
            "FROM sessions WHERE giver = ? AND ends_at > ? AND (status = 'open' OR cancelled_at > ?) "
            "UNION "
            "SELECT s.id, s.calendar_rev, 0, s.starts_at, min(s.ends_at, COALESCE(s.cancelled_at, s.ends_at)), 0, NULL "
            "FROM cogivers c JOIN sessions s ON s.id = c.session_id "
            "WHERE c.user_id = ? AND s.ends_at > ? AND (s.status = 'open' OR s.cancelled_at > ?) "
            "UNION "
            "SELECT s.id, s.calendar_rev, s.seats IS NOT NULL AND (SELECT COUNT(*) FROM signups o "
            "    WHERE o.session_id = s.id AND o.seq < g.seq) >= s.seats, s.starts_at, "
            "min(s.ends_at, COALESCE(s.cancelled_at, s.ends_at)), g.moves, g.moved_at "
            "FROM signups g JOIN sessions s ON s.id = g.session_id "
            "WHERE g.user_id = ? AND s.giver != g.user_id AND s.ends_at > ? "
            "AND (s.status = 'open' OR s.cancelled_at > ?) "
            "ORDER BY 4, 1",
            (user_id, since, since, user_id, since, since, user_id, since, since),
        ).fetchall()
        until = from_iso(min(row[4] for row in rows)) + keep if rows else None
        stamps = (Stamp(row[0], row[1], bool(row[2]), row[5], from_iso(row[6]) if row[6] else None) for row in rows)
        return FeedIndex(tuple(stamps), until)

    def file_stamp(self, file_id: str) -> Stamp | None:
        row = self.db.execute("SELECT id, calendar_rev FROM sessions WHERE calendar_id = ?", (file_id,)).fetchone()
        return None if row is None else Stamp(row[0], row[1])

    def calendar_file_id(self, session_id: int) -> str | None:
        value: str | None = self._one("SELECT calendar_id FROM sessions WHERE id = ?", (session_id,))
        return value

    def calendar_entries(self, session_ids: list[int]) -> dict[int, CalendarEntry]:
        """The sessions with what a calendar needs beyond them, by id (unknown ids are left out)."""
        found: dict[int, CalendarEntry] = {}
        for chunk in _chunks(session_ids):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT {self._SESSION_COLUMNS}, {_ENTRY_COLUMNS} FROM sessions WHERE id IN ({marks})", tuple(chunk)
            ).fetchall()
            for row in rows:
                width = len(row) - 5
                sequence, updated, cancelled, file_id, revision = row[width:]
                session = self._session(row[:width])
                found[session.id] = CalendarEntry(
                    session, sequence, from_iso(updated), from_iso(cancelled) if cancelled else None, file_id, revision
                )
        return found


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]
