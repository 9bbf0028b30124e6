"""Reminders before a session and the daily digest: planned rows, so each goes out exactly once."""

from __future__ import annotations

from datetime import datetime

from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import from_iso, iso


class ReminderRows(StoreBase):
    """Tables `reminders` and `digests`."""

    def plan_reminders(
        self, session_id: int, start: datetime, plan: list[tuple[int, datetime, str]], at: datetime
    ) -> None:
        """Replace the open plan of a session: old planned rows are cancelled, the new ones inserted."""
        with self.transaction():
            self.db.execute(
                "UPDATE reminders SET state = 'cancelled', updated_at = ? WHERE session_id = ? AND state = 'planned'",
                (iso(at), session_id),
            )
            for offset, due, state in plan:
                self.db.execute(
                    "INSERT INTO reminders (session_id, offset_minutes, planned_start, due_at, state, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET state = excluded.state, "
                    "updated_at = excluded.updated_at WHERE reminders.state = 'cancelled'",
                    (session_id, offset, iso(start), iso(due), state, iso(at)),
                )

    def cancel_reminders(self, session_id: int, at: datetime) -> None:
        """Cancel a session's planned reminders (e.g. it was cancelled); sent ones stay as they are."""
        with self.transaction():
            self.db.execute(
                "UPDATE reminders SET state = 'cancelled', updated_at = ? WHERE session_id = ? AND state = 'planned'",
                (iso(at), session_id),
            )

    def due_reminders(self, now: datetime) -> list[tuple[int, int, datetime, datetime]]:
        """Planned reminders whose time has come: (session, offset, planned start, due)."""
        rows = self.db.execute(
            "SELECT session_id, offset_minutes, planned_start, due_at FROM reminders "
            "WHERE state = 'planned' AND due_at <= ? ORDER BY due_at",
            (iso(now),),
        ).fetchall()
        return [(r[0], r[1], from_iso(r[2]), from_iso(r[3])) for r in rows]

    def next_reminder_due(self) -> datetime | None:
        """When the scheduler must wake next for a reminder; None if none is planned."""
        value = self._one("SELECT MIN(due_at) FROM reminders WHERE state = 'planned'")
        return None if value is None else from_iso(value)

    def set_reminder_state(
        self, session_id: int, offset: int, planned_start: datetime, state: str, at: datetime
    ) -> None:
        """Record what became of one planned reminder: sending, sent, skipped or cancelled."""
        with self.transaction():
            self.db.execute(
                "UPDATE reminders SET state = ?, updated_at = ? "
                "WHERE session_id = ? AND offset_minutes = ? AND planned_start = ?",
                (state, iso(at), session_id, offset, iso(planned_start)),
            )

    def reminder_states(self, session_id: int) -> list[tuple[int, datetime, str]]:
        """Every reminder row of a session, whatever its state: (offset, planned start, state)."""
        rows = self.db.execute(
            "SELECT offset_minutes, planned_start, state FROM reminders WHERE session_id = ? "
            "ORDER BY planned_start, offset_minutes DESC",
            (session_id,),
        ).fetchall()
        return [(r[0], from_iso(r[1]), r[2]) for r in rows]

    def digest_recorded(self, day: str) -> bool:
        """Whether the day's digest was started already: a restart must not post it again."""
        return self._one("SELECT 1 FROM digests WHERE day = ?", (day,)) is not None

    def record_digest(self, day: str, at: datetime) -> bool:
        """True if this call recorded the day (so exactly one caller posts that day's digest)."""
        with self.transaction():
            cur = self.db.execute(
                "INSERT OR IGNORE INTO digests (day, state, recorded_at) VALUES (?, 'sending', ?)", (day, iso(at))
            )
        return cur.rowcount == 1

    def digest_sent(self, day: str) -> None:
        """The day's digest is done: posted, or nothing to post."""
        with self.transaction():
            self.db.execute("UPDATE digests SET state = 'sent' WHERE day = ?", (day,))
