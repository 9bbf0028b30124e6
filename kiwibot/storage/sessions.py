"""Sessions: the offers people give, found by date, giver, attendee or news post."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from kiwibot.core.model import DURATIONS, Format, Session, SessionDraft, Status
from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import from_iso, iso

# The longest a session lasts (the schema CHECKs the same durations).
MAX_DURATION = timedelta(minutes=max(DURATIONS))


class SessionRows(StoreBase):
    """Table `sessions` (its signups are `SignupRows`')."""

    _SESSION_COLUMNS = (
        "id, giver, title, starts_at, duration, format, description, description_html, link, seats, "
        "status, cancel_reason, news_room, news_event, origin_room, origin_event, repeated_from, giver_name, "
        # the co-givers, in the order named, one per line (storage/cogivers.py keeps them)
        "(SELECT group_concat(user_id, char(10)) FROM "
        "(SELECT user_id FROM cogivers WHERE cogivers.session_id = sessions.id ORDER BY position))"
    )

    @staticmethod
    def _session(row: tuple[Any, ...]) -> Session:
        return Session(
            id=row[0],
            giver=row[1],
            title=row[2],
            starts_at=from_iso(row[3]),
            duration=row[4],
            format=Format(row[5]),
            description=row[6],
            description_html=row[7],
            link=row[8],
            seats=row[9],
            status=Status(row[10]),
            cancel_reason=row[11],
            news_room=row[12],
            news_event=row[13],
            origin_room=row[14],
            origin_event=row[15],
            repeated_from=row[16],
            giver_name=row[17],
            cogivers=tuple(row[18].split("\n")) if row[18] else (),
        )

    def _sessions(self, where: str, params: tuple[Any, ...] = ()) -> list[Session]:
        rows = self.db.execute(f"SELECT {self._SESSION_COLUMNS} FROM sessions {where}", params).fetchall()
        return [self._session(row) for row in rows]

    def create_session(self, draft: SessionDraft, at: datetime) -> Session:
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO sessions (giver, title, starts_at, ends_at, duration, format, description, "
                "description_html, link, seats, origin_room, origin_event, repeated_from, giver_name, created_at, "
                "updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    draft.giver,
                    draft.title,
                    iso(draft.starts_at),
                    iso(draft.starts_at + timedelta(minutes=draft.duration)),
                    draft.duration,
                    draft.format.value,
                    draft.description,
                    draft.description_html,
                    draft.link,
                    draft.seats,
                    draft.origin_room,
                    draft.origin_event,
                    draft.repeated_from,
                    draft.giver_name,
                    iso(at),
                    iso(at),
                ),
            )
        session = self.get_session(int(cur.lastrowid or 0))
        assert session is not None
        return session

    def get_session(self, session_id: int) -> Session | None:
        found = self._sessions("WHERE id = ?", (session_id,))
        return found[0] if found else None

    def session_by_news(self, event_id: str) -> Session | None:
        """The session whose news post this event is: reactions and replies to a post find their session."""
        found = self._sessions("WHERE news_event = ?", (event_id,))
        return found[0] if found else None

    _EDITABLE = frozenset(
        {
            "title",
            "starts_at",
            "duration",
            "format",
            "description",
            "description_html",
            "link",
            "seats",
            "status",
            "cancel_reason",
            "news_room",
            "news_event",
        }
    )

    def update_session(self, session_id: int, at: datetime, **changes: Any) -> Session:
        """Change the given columns (only editable ones); a new start or duration moves the end too."""
        unknown = set(changes) - self._EDITABLE
        if unknown:
            raise ValueError(f"not editable: {unknown}")
        values = {
            key: iso(value) if isinstance(value, datetime) else getattr(value, "value", value)
            for key, value in changes.items()
        }
        if "starts_at" in changes or "duration" in changes:
            current = self.get_session(session_id)
            assert current is not None
            start = changes.get("starts_at", current.starts_at)
            values["ends_at"] = iso(start + timedelta(minutes=changes.get("duration", current.duration)))
        assignments = "".join(f"{key} = ?, " for key in values)  # none: only updated_at (an edit naming a wish)
        with self.transaction():
            self.db.execute(
                f"UPDATE sessions SET {assignments}updated_at = ? WHERE id = ?",
                (*values.values(), iso(at), session_id),
            )
        session = self.get_session(session_id)
        assert session is not None
        return session

    def upcoming(self, now: datetime, limit: int = 1000, offset: int = 0) -> list[Session]:
        """Open sessions that have not ended yet, in date order."""
        # Sessions last at most MAX_DURATION: the bound on starts_at lets the index deliver them in order.
        return self._sessions(
            "WHERE status = 'open' AND starts_at > ? AND ends_at > ? ORDER BY starts_at, id LIMIT ? OFFSET ?",
            (iso(now - MAX_DURATION), iso(now), limit, offset),
        )

    def count_upcoming(self, now: datetime) -> int:
        """How many sessions `upcoming` would list, without loading them (for paging)."""
        return int(self._one("SELECT COUNT(*) FROM sessions WHERE status = 'open' AND ends_at > ?", (iso(now),)))

    def overlapping(self, start: datetime, end: datetime, exclude: int | None = None) -> list[Session]:
        """Open sessions sharing time with [start, end), except `exclude` (the session being changed)."""
        return self._sessions(
            "WHERE status = 'open' AND ends_at > ? AND starts_at < ? AND id IS NOT ? ORDER BY starts_at",
            (iso(start), iso(end), exclude),
        )

    def sessions_given_by(self, user_id: str, now: datetime) -> list[Session]:
        """A giver's sessions that have not ended yet, cancelled ones included."""
        return self._sessions("WHERE giver = ? AND ends_at > ? ORDER BY starts_at", (user_id, iso(now)))

    def sessions_joined_by(self, user_id: str, now: datetime) -> list[Session]:
        """The sessions a person is signed up for that have not ended yet, cancelled ones included."""
        return self._sessions(
            "WHERE id IN (SELECT session_id FROM signups WHERE user_id = ?) AND ends_at > ? ORDER BY starts_at",
            (user_id, iso(now)),
        )

    def sessions_between(self, start: datetime, end: datetime) -> list[Session]:
        """Open sessions starting in [start, end), in date order (for the digest)."""
        return self._sessions(
            "WHERE status = 'open' AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id", (iso(start), iso(end))
        )

    def news_hash(self, session_id: int) -> str | None:
        """A hash of what the news post last showed: an unchanged post is not edited again."""
        value: str | None = self._one("SELECT news_hash FROM sessions WHERE id = ?", (session_id,))
        return value

    def set_news_hash(self, session_id: int, digest: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE sessions SET news_hash = ? WHERE id = ?", (digest, session_id))
