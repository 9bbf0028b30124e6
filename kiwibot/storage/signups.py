"""Signups: who takes part in a session, and why (each reaction or command is a source of its own)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import iso


class SignupRows(StoreBase):
    """Tables `signups`, `signup_sources` and `withdrawn_reactions`."""

    def attendees(self, session_id: int) -> list[str]:
        """Everyone signed up, in signup order (the waitlist is the tail beyond the seats)."""
        rows = self.db.execute(
            "SELECT user_id FROM signups WHERE session_id = ? ORDER BY seq", (session_id,)
        ).fetchall()
        return [row[0] for row in rows]

    def signup_counts(self, session_ids: list[int]) -> dict[int, int]:
        """Signed-up people per session in one query, from the tallies the triggers keep (migration 14); sessions
        nobody signed up for are left out."""
        if not session_ids:
            return {}
        marks = ",".join("?" * len(session_ids))
        rows = self.db.execute(
            f"SELECT session_id, people FROM signup_tallies WHERE session_id IN ({marks}) AND people > 0",
            tuple(session_ids),
        ).fetchall()
        return {row[0]: row[1] for row in rows}

    def is_signed_up(self, session_id: int, user_id: str) -> bool:
        return (
            self._one("SELECT 1 FROM signups WHERE session_id = ? AND user_id = ?", (session_id, user_id)) is not None
        )

    def add_signup_source(self, session_id: int, user_id: str, source_id: str, kind: str, at: datetime) -> bool:
        """Record why a person is signed up; True if this made them signed up (they were not before)."""
        with self.transaction():
            new_person = not self.is_signed_up(session_id, user_id)
            if new_person:
                seq = self._one("SELECT COALESCE(MAX(seq), 0) + 1 FROM signups WHERE session_id = ?", (session_id,))
                self.db.execute(
                    "INSERT INTO signups (session_id, user_id, seq, signed_up_at) VALUES (?, ?, ?, ?)",
                    (session_id, user_id, seq, iso(at)),
                )
            self.db.execute(
                "INSERT OR IGNORE INTO signup_sources (source_id, session_id, user_id, kind) VALUES (?, ?, ?, ?)",
                (source_id, session_id, user_id, kind),
            )
        return new_person

    def source_of(self, source_id: str) -> tuple[int, str] | None:
        """The (session, person) a signup source (a reaction's or command's event id) belongs to."""
        row = self.db.execute(
            "SELECT session_id, user_id FROM signup_sources WHERE source_id = ?", (source_id,)
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def remove_signup_source(self, source_id: str) -> tuple[int, str, bool] | None:
        """Withdraw one reason; returns (session, user, still signed up) or None if it was unknown."""
        found = self.source_of(source_id)
        if found is None:
            return None
        session_id, user_id = found
        with self.transaction():
            self.db.execute("DELETE FROM signup_sources WHERE source_id = ?", (source_id,))
            left = self._one(
                "SELECT COUNT(*) FROM signup_sources WHERE session_id = ? AND user_id = ?", (session_id, user_id)
            )
            if not left:
                self.db.execute("DELETE FROM signups WHERE session_id = ? AND user_id = ?", (session_id, user_id))
        return session_id, user_id, bool(left)

    def signup_kinds(self, session_id: int, user_id: str) -> set[str]:
        """Why a person is signed up: {"reaction"}, {"command"}, both, or nothing."""
        rows = self.db.execute(
            "SELECT DISTINCT kind FROM signup_sources WHERE session_id = ? AND user_id = ?", (session_id, user_id)
        ).fetchall()
        return {row[0] for row in rows}

    def remove_signup(self, session_id: int, user_id: str) -> bool:
        """Sign a person off entirely; their reactions are remembered as withdrawn."""
        with self.transaction():
            self.db.execute(
                "INSERT OR IGNORE INTO withdrawn_reactions (event_id, session_id) "
                "SELECT source_id, session_id FROM signup_sources "
                "WHERE session_id = ? AND user_id = ? AND kind = 'reaction'",
                (session_id, user_id),
            )
            cur = self.db.execute("DELETE FROM signups WHERE session_id = ? AND user_id = ?", (session_id, user_id))
        return cur.rowcount == 1

    def record_moves(self, session_id: int, user_ids: Sequence[str], at: datetime) -> None:
        """Count a move between the waiting list and a seat (the person's feed event takes a new SEQUENCE)."""
        if not user_ids:
            return
        marks = ",".join("?" * len(user_ids))
        with self.transaction():
            self.db.execute(
                f"UPDATE signups SET moves = moves + 1, moved_at = ? WHERE session_id = ? AND user_id IN ({marks})",
                (iso(at), session_id, *user_ids),
            )

    def is_withdrawn(self, event_id: str) -> bool:
        """A reaction whose person was signed off: seen again (e.g. on catch-up), it must not sign them up."""
        return self._one("SELECT 1 FROM withdrawn_reactions WHERE event_id = ?", (event_id,)) is not None

    def reaction_sources(self, session_id: int) -> dict[str, str]:
        """Signup reactions the database counts for a session: reaction event id → user."""
        rows = self.db.execute(
            "SELECT source_id, user_id FROM signup_sources WHERE session_id = ? AND kind = 'reaction'", (session_id,)
        ).fetchall()
        return {row[0]: row[1] for row in rows}
