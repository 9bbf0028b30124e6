"""Materials: the links shared for a session, numbered by their place in the order they were added."""

from __future__ import annotations

from datetime import datetime

from kiwibot.core.learning import Material
from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import iso


class MaterialRows(StoreBase):
    """Table `materials`."""

    def materials(self, session_id: int) -> list[Material]:
        return self.materials_for([session_id]).get(session_id, [])

    def materials_for(self, session_ids: list[int]) -> dict[int, list[Material]]:
        """Each session's materials, numbered 1, 2, … in the order added; sessions without any are left out."""
        if not session_ids:
            return {}
        marks = ",".join("?" * len(session_ids))
        rows = self.db.execute(
            f"SELECT session_id, url, description, added_by FROM materials WHERE session_id IN ({marks}) "
            "ORDER BY session_id, id",
            tuple(session_ids),
        ).fetchall()
        found: dict[int, list[Material]] = {}
        for session_id, url, description, added_by in rows:
            listed = found.setdefault(session_id, [])
            listed.append(Material(len(listed) + 1, url, description, added_by))
        return found

    def add_material(self, session_id: int, url: str, description: str, added_by: str, at: datetime) -> Material:
        with self.transaction():
            self.db.execute(
                "INSERT INTO materials (session_id, url, description, added_by, added_at) VALUES (?, ?, ?, ?, ?)",
                (session_id, url, description, added_by, iso(at)),
            )
        return self.materials(session_id)[-1]

    def remove_material(self, session_id: int, position: int) -> Material | None:
        """The one at `position` (1-based) goes; those after it move up one place."""
        row = self.db.execute(
            "SELECT id, url, description, added_by FROM materials WHERE session_id = ? ORDER BY id LIMIT 1 OFFSET ?",
            (session_id, position - 1),
        ).fetchone()
        if row is None or position < 1:
            return None
        with self.transaction():
            self.db.execute("DELETE FROM materials WHERE id = ?", (row[0],))
        return Material(position, row[1], row[2], row[3])
