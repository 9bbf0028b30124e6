"""Co-givers: up to three people who give a session with its giver (read back with every session)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiwibot.core.model import Session
from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import iso


class CogiverRows(StoreBase):
    """Table `cogivers`; `SessionRows` reads them into `Session.cogivers`."""

    if TYPE_CHECKING:

        def _sessions(self, where: str, params: tuple[Any, ...] = ()) -> list[Session]: ...  # from SessionRows

    def set_cogivers(self, session_id: int, users: Sequence[str], by: str, at: datetime) -> None:
        """Replace a session's co-givers by `users`, in their order; who named them is kept for the record."""
        with self.transaction():
            self.db.execute("DELETE FROM cogivers WHERE session_id = ?", (session_id,))
            for position, user in enumerate(users, 1):
                self.db.execute(
                    "INSERT INTO cogivers (session_id, user_id, position, added_by, added_at) VALUES (?, ?, ?, ?, ?)",
                    (session_id, user, position, by, iso(at)),
                )

    def sessions_cohosted_by(self, user_id: str, now: datetime) -> list[Session]:
        """Sessions a person gives as co-giver that have not ended yet, cancelled ones included (for `!meine`)."""
        return self._sessions(
            "WHERE id IN (SELECT session_id FROM cogivers WHERE user_id = ?) AND ends_at > ? ORDER BY starts_at",
            (user_id, iso(now)),
        )
