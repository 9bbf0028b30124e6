"""The outbox: messages decided inside a transaction, sent after it commits, in order."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiwibot.core.effects import Purpose
from kiwibot.storage.base import StoreBase
from kiwibot.storage.purposes import PURPOSE_COLUMNS, PURPOSE_IS, purpose_columns, purpose_of
from kiwibot.storage.times import iso


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A queued message; `txn_id` comes from the row, so a resend after a crash is de-duplicated by the server."""

    id: int
    room_id: str
    event_type: str
    content: dict[str, Any]
    purpose: Purpose | None
    txn_id: str


@dataclass(frozen=True, slots=True)
class Owners:
    """Whom the events that queued messages relate to belong to: what the sender needs to keep each
    conversation in order (see matrix/lanes.py)."""

    command_senders: dict[str, str]  # a command's event id → who wrote it
    post_sessions: dict[str, int]  # a news post's event id → its session
    direct_people: dict[str, str]  # a direct chat's room id → the person


def _chunks(values: Collection[str], size: int = 500) -> Iterator[list[str]]:
    """Lists short enough for one `IN (…)` (SQLite binds at most 999 parameters by default)."""
    ordered = sorted(set(values))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


class OutboxRows(StoreBase):
    """Table `outbox`."""

    if TYPE_CHECKING:

        def instance_id(self) -> str: ...  # from EventRows; the assembled Store has both

    def enqueue(
        self,
        room_id: str,
        content: dict[str, Any],
        *,
        at: datetime,
        purpose: Purpose | None = None,
        event_type: str = "m.room.message",
    ) -> int:
        """Queue a message; it is sent after the transaction that decided it commits."""
        with self.transaction():
            cur = self.db.execute(
                f"INSERT INTO outbox (room_id, event_type, content, created_at, {', '.join(PURPOSE_COLUMNS)}) "
                f"VALUES (?, ?, ?, ?, {', '.join('?' * len(PURPOSE_COLUMNS))})",
                (room_id, event_type, json.dumps(content, ensure_ascii=False), iso(at), *purpose_columns(purpose)),
            )
        return int(cur.lastrowid or 0)

    def enqueue_file(self, room_id: str, content: dict[str, Any], data: bytes, *, at: datetime) -> int:
        """Queue a file: its event (sent once the bytes are uploaded) as a row, the bytes beside it until sent."""
        with self.transaction():
            outbox_id = self.enqueue(room_id, content, at=at)
            self.db.execute("INSERT INTO outbox_files (outbox_id, data) VALUES (?, ?)", (outbox_id, data))
        return outbox_id

    def outbox_file(self, outbox_id: int) -> bytes | None:
        """The bytes of a queued file (None: the row is no file, or it was sent or failed)."""
        data = self._one("SELECT data FROM outbox_files WHERE outbox_id = ?", (outbox_id,))
        return None if data is None else bytes(data)

    def pending_outbox(self, limit: int = 100, after: int = 0) -> list[OutboxItem]:
        """The oldest queued messages (those queued after row `after`), in the order they were decided."""
        prefix = self.instance_id()
        rows = self.db.execute(
            f"SELECT id, room_id, event_type, content, {', '.join(PURPOSE_COLUMNS)} FROM outbox "
            "WHERE state = 'pending' AND id > ? ORDER BY id LIMIT ?",
            (after, limit),
        ).fetchall()
        return [
            OutboxItem(
                id=row[0],
                room_id=row[1],
                event_type=row[2],
                content=json.loads(row[3]),
                purpose=purpose_of(*row[4:]),
                txn_id=f"kiwibot.{prefix}.{row[0]}",
            )
            for row in rows
        ]

    def outbox_owners(self, replied: Collection[str], posts: Collection[str], rooms: Collection[str]) -> Owners:
        """Who wrote the commands in `replied`, which sessions the posts in `posts` announce, and whose direct
        chats the rooms in `rooms` are: one look-up per read of the outbox, not one per message."""
        senders = self._pairs("SELECT event_id, sender FROM commands WHERE event_id IN ({})", replied)
        sessions = self._pairs("SELECT news_event, id FROM sessions WHERE news_event IN ({})", posts)
        people = self._pairs("SELECT room_id, user_id FROM direct_rooms WHERE room_id IN ({})", rooms)
        return Owners(senders, sessions, people)

    def _pairs(self, sql: str, values: Collection[str]) -> dict[Any, Any]:
        """`sql`'s (key, value) rows for `values`, bound in chunks."""
        pairs: dict[Any, Any] = {}
        for chunk in _chunks(values):
            pairs.update(self.db.execute(sql.format(", ".join("?" * len(chunk))), chunk).fetchall())
        return pairs

    def outbox_sent(self, item_id: int, event_id: str) -> None:
        """Delivered: keep the event id the server gave it, drop the content that is no longer needed."""
        with self.transaction():
            self.db.execute(
                "UPDATE outbox SET state = 'sent', event_id = ?, content = '{}' WHERE id = ?",
                (event_id, item_id),
            )
            self.db.execute("DELETE FROM outbox_files WHERE outbox_id = ?", (item_id,))

    def cancel_pending(self, purpose: Purpose) -> int:
        """Drop queued messages that no longer make sense (e.g. edits of a deleted message)."""
        with self.transaction():
            cur = self.db.execute(
                f"UPDATE outbox SET state = 'failed', error = 'cancelled' WHERE state = 'pending' AND {PURPOSE_IS}",
                purpose_columns(purpose),
            )
            self.db.execute(  # per queued file, not per outbox row: few files wait, many rows were sent
                "DELETE FROM outbox_files WHERE (SELECT state FROM outbox WHERE id = outbox_id) != 'pending'"
            )
        return cur.rowcount

    def outbox_failed(self, item_id: int, error: str) -> None:
        """Refused by the server: never retried, the (shortened) error is kept for the administrator."""
        with self.transaction():
            self.db.execute("UPDATE outbox SET state = 'failed', error = ? WHERE id = ?", (error[:500], item_id))
            self.db.execute("DELETE FROM outbox_files WHERE outbox_id = ?", (item_id,))

    def pending_with_purpose(self, purpose: Purpose) -> int:
        """How many queued messages with this purpose still wait to go out."""
        return int(
            self._one(f"SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND {PURPOSE_IS}", purpose_columns(purpose))
        )
