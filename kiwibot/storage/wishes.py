"""Topic wishes and the reactions that show interest in them (a row per reaction, as for signups)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiwibot.core.learning import Wish, WishStatus
from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import from_iso, iso

_COLUMNS = "id, wisher, topic, description, status, created_at, session_id, post_room, post_event"
# The wisher counts as interested; their own reactions are never stored (core/wishes.py).
_INTEREST = "1 + (SELECT COUNT(DISTINCT user_id) FROM wish_interest WHERE wish_id = wishes.id)"


class WishRows(StoreBase):
    """Tables `wishes` and `wish_interest`."""

    @staticmethod
    def _wish(row: tuple[Any, ...]) -> Wish:
        return Wish(
            id=row[0],
            wisher=row[1],
            topic=row[2],
            description=row[3],
            status=WishStatus(row[4]),
            created_at=from_iso(row[5]),
            session_id=row[6],
            post_room=row[7],
            post_event=row[8],
        )

    def _wishes(self, where: str, params: tuple[Any, ...] = ()) -> list[Wish]:
        return [self._wish(row) for row in self.db.execute(f"SELECT {_COLUMNS} FROM wishes {where}", params)]

    def create_wish(self, wisher: str, topic: str, description: str, at: datetime) -> Wish:
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO wishes (wisher, topic, description, created_at) VALUES (?, ?, ?, ?)",
                (wisher, topic, description, iso(at)),
            )
        wish = self.get_wish(int(cur.lastrowid or 0))
        assert wish is not None
        return wish

    def get_wish(self, wish_id: int) -> Wish | None:
        found = self._wishes("WHERE id = ?", (wish_id,))
        return found[0] if found else None

    def wish_by_post(self, event_id: str) -> Wish | None:
        found = self._wishes("WHERE post_event = ?", (event_id,))
        return found[0] if found else None

    def wish_of_session(self, session_id: int) -> Wish | None:
        found = self._wishes("WHERE session_id = ? ORDER BY id LIMIT 1", (session_id,))
        return found[0] if found else None

    def wishes_of_session(self, session_id: int) -> list[Wish]:
        return self._wishes("WHERE session_id = ? AND status = 'fulfilled' ORDER BY id", (session_id,))

    def open_wishes_of(self, wisher: str) -> list[Wish]:
        return self._wishes("WHERE wisher = ? AND status = 'open' ORDER BY id", (wisher,))

    def all_open_wishes(self) -> list[Wish]:
        """Every open wish (a few dozen at most), to point a second wisher of a topic to the first."""
        return self._wishes("WHERE status = 'open' ORDER BY id")

    def wishes_with_posts(self) -> list[Wish]:
        """Every posted wish: at start-up their posts are compared with what they should show."""
        return self._wishes("WHERE post_event IS NOT NULL ORDER BY id")

    def ranked_wishes(self, limit: int) -> list[tuple[Wish, int]]:
        rows = self.db.execute(
            f"SELECT {_COLUMNS}, {_INTEREST} AS interest FROM wishes WHERE status = 'open' "
            "ORDER BY interest DESC, created_at, id LIMIT ?",
            (limit,),
        ).fetchall()
        return [(self._wish(row[:-1]), int(row[-1])) for row in rows]

    def count_open_wishes(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM wishes WHERE status = 'open'"))

    def interest_count(self, wish_id: int) -> int:
        """The wisher and everyone interested, for the wish's post."""
        return int(self._one(f"SELECT {_INTEREST} FROM wishes WHERE id = ?", (wish_id,)) or 1)

    def interested(self, wish_id: int) -> list[str]:
        rows = self.db.execute(
            "SELECT user_id FROM wish_interest WHERE wish_id = ? GROUP BY user_id ORDER BY MIN(rowid)", (wish_id,)
        ).fetchall()
        return [row[0] for row in rows]

    def add_interest(self, wish_id: int, user_id: str, source_id: str, at: datetime) -> bool:
        with self.transaction():
            known = self._one("SELECT 1 FROM wish_interest WHERE wish_id = ? AND user_id = ?", (wish_id, user_id))
            self.db.execute(
                "INSERT OR IGNORE INTO wish_interest (source_id, wish_id, user_id, added_at) VALUES (?, ?, ?, ?)",
                (source_id, wish_id, user_id, iso(at)),
            )
        return known is None

    def remove_interest(self, source_id: str) -> tuple[int, str] | None:
        row = self.db.execute("SELECT wish_id, user_id FROM wish_interest WHERE source_id = ?", (source_id,)).fetchone()
        if row is None:
            return None
        with self.transaction():
            self.db.execute("DELETE FROM wish_interest WHERE source_id = ?", (source_id,))
        return row[0], row[1]

    def interest_sources(self, wish_id: int) -> dict[str, str]:
        rows = self.db.execute("SELECT source_id, user_id FROM wish_interest WHERE wish_id = ?", (wish_id,))
        return {row[0]: row[1] for row in rows}

    def finish_wish(self, wish_id: int, status: str, session_id: int | None, by: str, at: datetime) -> Wish:
        with self.transaction():
            self.db.execute(
                "UPDATE wishes SET status = ?, session_id = ?, finished_by = ?, finished_at = ? WHERE id = ?",
                (status, session_id, by, iso(at), wish_id),
            )
        wish = self.get_wish(wish_id)
        assert wish is not None
        return wish

    def reopen_wish(self, wish_id: int) -> Wish:
        """Open again, its interest kept (the rows of `wish_interest` were never removed)."""
        with self.transaction():
            self.db.execute(
                "UPDATE wishes SET status = 'open', session_id = NULL, finished_by = NULL, finished_at = NULL "
                "WHERE id = ?",
                (wish_id,),
            )
        wish = self.get_wish(wish_id)
        assert wish is not None
        return wish

    # -- the wish's post (the Matrix adapter's bookkeeping, as for news posts) ------------------------

    def set_wish_post(self, wish_id: int, room_id: str, event_id: str, digest: str) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE wishes SET post_room = ?, post_event = ?, post_hash = ? WHERE id = ?",
                (room_id, event_id, digest, wish_id),
            )

    def wish_hash(self, wish_id: int) -> str | None:
        value: str | None = self._one("SELECT post_hash FROM wishes WHERE id = ?", (wish_id,))
        return value

    def set_wish_hash(self, wish_id: int, digest: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE wishes SET post_hash = ? WHERE id = ?", (digest, wish_id))
