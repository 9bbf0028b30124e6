"""Feedback on sessions: the answers (one per person), the asks after a session ended, the summaries owed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiwibot.core.model import Session
from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import from_iso, iso


class FeedbackRows(StoreBase):
    """Tables `feedback`, `feedback_asks` and `feedback_summaries`."""

    if TYPE_CHECKING:

        def _sessions(self, where: str, params: tuple[Any, ...] = ()) -> list[Session]: ...  # from SessionRows

    # -- the answers ------------------------------------------------------------------------------

    def save_feedback(self, session_id: int, user_id: str, rating: int | None, comment: str, at: datetime) -> bool:
        """Store a person's answer; True if it replaced an earlier one of theirs (only the newest counts)."""
        with self.transaction():
            replaced = self.has_feedback(session_id, user_id)
            self._upsert(
                "feedback",
                "session_id, user_id",
                {
                    "session_id": session_id,
                    "user_id": user_id,
                    "rating": rating,
                    "comment": comment,
                    "given_at": iso(at),
                },
                update=("rating", "comment", "given_at"),
            )
        return replaced

    def feedback_by(self, session_id: int, user_id: str) -> tuple[int | None, str] | None:
        """A person's stored answer as (rating, comment): a second answer keeps what it does not say anew."""
        row = self.db.execute(
            "SELECT rating, comment FROM feedback WHERE session_id = ? AND user_id = ?", (session_id, user_id)
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def has_feedback(self, session_id: int, user_id: str) -> bool:
        """Whether this person answered already: a second answer replaces the first, and says so."""
        return (
            self._one("SELECT 1 FROM feedback WHERE session_id = ? AND user_id = ?", (session_id, user_id)) is not None
        )

    def feedback_of(self, session_id: int) -> list[tuple[int | None, str]]:
        """A session's answers as (rating, comment), without names and in no order that tells who wrote when."""
        rows = self.db.execute(
            "SELECT rating, comment FROM feedback WHERE session_id = ? ORDER BY comment COLLATE NOCASE, rating",
            (session_id,),
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    # -- asking once a session ended ------------------------------------------------------------

    def sessions_to_ask(self, now: datetime, since: datetime) -> list[Session]:
        """Open sessions that ended in (since, now] and whose participants were not asked yet, oldest end first."""
        return self._sessions(
            "WHERE status = 'open' AND ends_at > ? AND ends_at <= ? "
            "AND id NOT IN (SELECT session_id FROM feedback_asks) ORDER BY ends_at, id",
            (iso(since), iso(now)),
        )

    def next_feedback_ask(self, since: datetime) -> datetime | None:
        """The end of the first open session after `since` not asked about yet (maybe already past)."""
        # In end order along the index, stopping at the first not asked about: MIN() would read every later one.
        value = self._one(
            "SELECT ends_at FROM sessions WHERE status = 'open' AND ends_at > ? "
            "AND id NOT IN (SELECT session_id FROM feedback_asks) ORDER BY ends_at LIMIT 1",
            (iso(since),),
        )
        return None if value is None else from_iso(value)

    def set_feedback_ask(self, session_id: int, state: str, at: datetime) -> None:
        """Record the ask: sending (its messages are queued), sent (all went out) or skipped (nobody to ask)."""
        with self.transaction():
            self._upsert(
                "feedback_asks", "session_id", {"session_id": session_id, "state": state, "updated_at": iso(at)}
            )

    def asked_sessions(self, since: datetime) -> list[Session]:
        """Sessions that ended after `since` whose participants were asked (a plain answer in a direct chat)."""
        return self._sessions(
            "WHERE status = 'open' AND ends_at > ? "
            "AND id IN (SELECT session_id FROM feedback_asks WHERE state IN ('sending', 'sent')) ORDER BY ends_at, id",
            (iso(since),),
        )

    def feedback_ask_state(self, session_id: int) -> str | None:
        """What became of a session's ask; None while it has not been made."""
        value: str | None = self._one("SELECT state FROM feedback_asks WHERE session_id = ?", (session_id,))
        return value

    # -- summaries to the givers ----------------------------------------------------------------

    def feedback_summary_state(self, session_id: int) -> tuple[datetime | None, datetime | None]:
        """(when the next summary is owed, when the last one went out); None for either that is not."""
        row = self.db.execute(
            "SELECT due_at, sent_at FROM feedback_summaries WHERE session_id = ?", (session_id,)
        ).fetchone()
        if row is None:
            return None, None
        return (from_iso(row[0]) if row[0] else None, from_iso(row[1]) if row[1] else None)

    def owe_feedback_summary(self, session_id: int, due: datetime) -> None:
        """A summary is owed at `due` (new answers arrived)."""
        with self.transaction():
            self._upsert("feedback_summaries", "session_id", {"session_id": session_id, "due_at": iso(due)})

    def feedback_summary_sent(self, session_id: int, at: datetime) -> None:
        """The summary was queued: nothing is owed until the next answer."""
        with self.transaction():
            self.db.execute(
                "UPDATE feedback_summaries SET due_at = NULL, sent_at = ? WHERE session_id = ?", (iso(at), session_id)
            )

    def due_feedback_summaries(self, now: datetime) -> list[int]:
        """Sessions whose summary is owed by now, oldest debt first."""
        rows = self.db.execute(
            "SELECT session_id FROM feedback_summaries WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at",
            (iso(now),),
        ).fetchall()
        return [row[0] for row in rows]

    def next_feedback_summary(self) -> datetime | None:
        """When the next summary is owed; None if none is."""
        value = self._one("SELECT MIN(due_at) FROM feedback_summaries WHERE due_at IS NOT NULL")
        return None if value is None else from_iso(value)
