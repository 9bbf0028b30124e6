"""People: their language and reminder choices, their direct rooms with the bot, the patrons."""

from __future__ import annotations

from datetime import datetime

from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import iso


class PeopleRows(StoreBase):
    """Tables `users`, `direct_rooms` and `patrons`."""

    def get_language(self, user_id: str) -> str | None:
        value: str | None = self._one("SELECT language FROM users WHERE user_id = ?", (user_id,))
        return value

    def set_language(self, user_id: str, language: str) -> None:
        with self.transaction():
            self._upsert("users", "user_id", {"user_id": user_id, "language": language})

    def reminder_prefs(self, user_ids: list[str]) -> dict[str, str]:
        """The reminder choices of many people in one query (people without a choice are left out)."""
        return self._user_column("reminder_pref", user_ids)

    def languages(self, user_ids: list[str]) -> dict[str, str]:
        """The chosen languages of many people in one query (people without a choice are left out)."""
        return self._user_column("language", user_ids)

    def _user_column(self, column: str, user_ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(user_ids), 500):  # SQLite's limit on bound parameters
            chunk = tuple(user_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT user_id, {column} FROM users WHERE {column} IS NOT NULL AND user_id IN ({marks})", chunk
            ).fetchall()
            found.update((row[0], row[1]) for row in rows)
        return found

    def set_reminder_pref(self, user_id: str, pref: str) -> None:
        with self.transaction():
            self._upsert("users", "user_id", {"user_id": user_id, "reminder_pref": pref})

    def direct_room(self, user_id: str) -> str | None:
        """The direct chat with a person (the one they opened or the bot created), where their DMs go."""
        value: str | None = self._one("SELECT room_id FROM direct_rooms WHERE user_id = ?", (user_id,))
        return value

    def set_direct_room(self, user_id: str, room_id: str) -> None:
        with self.transaction():
            self._upsert("direct_rooms", "user_id", {"user_id": user_id, "room_id": room_id})

    def patrons(self) -> list[str]:
        """The patrons admins added with a command (those named in the configuration are not stored)."""
        return [row[0] for row in self.db.execute("SELECT user_id FROM patrons ORDER BY user_id").fetchall()]

    def add_patron(self, user_id: str, added_by: str, at: datetime) -> bool:
        """False if the person was a patron already."""
        with self.transaction():
            cur = self.db.execute(
                "INSERT OR IGNORE INTO patrons (user_id, added_by, added_at) VALUES (?, ?, ?)",
                (user_id, added_by, iso(at)),
            )
        return cur.rowcount == 1

    def remove_patron(self, user_id: str) -> bool:
        """False if the person was no patron."""
        with self.transaction():
            cur = self.db.execute("DELETE FROM patrons WHERE user_id = ?", (user_id,))
        return cur.rowcount == 1
