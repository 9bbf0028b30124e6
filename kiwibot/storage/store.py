"""The only place with SQL: SQLite through sqlite-utils, WAL, foreign keys, versioned migrations.

Writes go through `transaction()` (BEGIN IMMEDIATE … COMMIT) on an autocommit connection, so a
handled event, the state it changed and the replies it queued are committed together or not at all.
sqlite-utils' own write helpers open nested `with conn:` blocks that would commit early, so this
module writes with plain statements and uses sqlite-utils for opening, WAL and introspection.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from kiwibot.core.errors import StorageUnavailable
from kiwibot.storage.migrations import LATEST, MIGRATIONS

log = logging.getLogger(__name__)


class DatabaseTooNew(Exception):
    """The database was written by a newer kiwibot; running old code on it could corrupt it."""


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    room_id: str
    event_type: str
    content: dict[str, Any]
    purpose: str | None
    txn_id: str


def iso(moment: datetime) -> str:
    """UTC timestamps as sortable text, so range queries work on the column directly."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


class Store:
    """Persistent state of the bot; the database is the truth, everything else is rebuilt from it."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._depth = 0

    # -- opening and migrations -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, target: int | None = None) -> Store:
        """Open (creating if needed) and migrate up to `target` (default: latest)."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0, check_same_thread=False)
        db = sqlite_utils.Database(conn)
        if str(path) != ":memory:":
            db.enable_wal()
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        store = cls(db)
        store.migrate(target)
        return store

    def close(self) -> None:
        self.db.conn.close()

    def schema_version(self) -> int:
        if "schema_migrations" not in self.db.table_names():
            return 0
        row = self.db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self, target: int | None = None) -> None:
        target = LATEST if target is None else target
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        current = self.schema_version()
        if current > LATEST:
            raise DatabaseTooNew(
                f"the database has schema version {current}, this kiwibot knows up to {LATEST}: "
                "update kiwibot or restore a backup"
            )
        for version in range(current + 1, target + 1):
            with self.transaction():
                for statement in MIGRATIONS[version - 1]:
                    self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, iso(datetime.now(UTC))),
                )
            log.info("database migrated to schema version %d", version)

    # -- transactions -----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing; nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StorageUnavailable(str(exc)) from exc
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self.db.execute("ROLLBACK")
            raise StorageUnavailable(str(exc)) from exc

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- bot state --------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        return self._one("SELECT value FROM meta WHERE key = ?", (key,))

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def instance_id(self) -> str:
        """Random per database: makes transaction ids unique per bot account and database."""
        value = self.get_meta("instance_id")
        if value is None:
            value = secrets.token_hex(6)
            self.set_meta("instance_id", value)
        return value

    def is_handled(self, event_id: str) -> bool:
        return self._one("SELECT 1 FROM handled_events WHERE event_id = ?", (event_id,)) is not None

    def mark_handled(self, event_id: str, at: datetime) -> bool:
        """Record an event as handled; False if it already was (a duplicate delivery)."""
        with self.transaction():
            cur = self.db.execute(
                "INSERT OR IGNORE INTO handled_events (event_id, handled_at) VALUES (?, ?)",
                (event_id, iso(at)),
            )
        return cur.rowcount == 1

    def forget_handled_before(self, before: datetime) -> int:
        """Old ids can go: the sync token and the first-start time already exclude such events."""
        with self.transaction():
            cur = self.db.execute("DELETE FROM handled_events WHERE handled_at < ?", (iso(before),))
        return cur.rowcount

    # -- users ------------------------------------------------------------------------------

    def get_language(self, user_id: str) -> str | None:
        return self._one("SELECT language FROM users WHERE user_id = ?", (user_id,))

    def set_language(self, user_id: str, language: str) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO users (user_id, language) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET language = excluded.language",
                (user_id, language),
            )

    # -- outbox -----------------------------------------------------------------------------

    def enqueue(
        self,
        room_id: str,
        content: dict[str, Any],
        *,
        at: datetime,
        purpose: str | None = None,
        event_type: str = "m.room.message",
    ) -> int:
        """Queue a message; it is sent after the transaction that decided it commits."""
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO outbox (room_id, event_type, content, purpose, created_at) VALUES (?, ?, ?, ?, ?)",
                (room_id, event_type, json.dumps(content, ensure_ascii=False), purpose, iso(at)),
            )
        return int(cur.lastrowid or 0)

    def pending_outbox(self, limit: int = 100) -> list[OutboxItem]:
        prefix = self.instance_id()
        rows = self.db.execute(
            "SELECT id, room_id, event_type, content, purpose FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            OutboxItem(
                id=row[0],
                room_id=row[1],
                event_type=row[2],
                content=json.loads(row[3]),
                purpose=row[4],
                txn_id=f"kiwibot.{prefix}.{row[0]}",
            )
            for row in rows
        ]

    def outbox_sent(self, item_id: int, event_id: str) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE outbox SET state = 'sent', event_id = ?, content = '{}' WHERE id = ?",
                (event_id, item_id),
            )

    def outbox_failed(self, item_id: int, error: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE outbox SET state = 'failed', error = ? WHERE id = ?", (error[:500], item_id))
