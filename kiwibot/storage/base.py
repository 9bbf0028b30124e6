"""Connection handling shared by every storage area: opening, migrations, the one transaction, SQL errors.

Writes go through `transaction()` (BEGIN IMMEDIATE … COMMIT) on an autocommit connection, so a
handled event, the state it changed and the replies it queued are committed together or not at all.
sqlite-utils' own write helpers open nested `with conn:` blocks that would commit early, so storage
writes with plain statements and uses sqlite-utils for opening, WAL and introspection.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import sqlite_utils

from kiwibot.core.errors import StorageUnavailable
from kiwibot.storage.migrations import LATEST, MIGRATIONS
from kiwibot.storage.times import iso

log = logging.getLogger(__name__)
# SQLite waits for a lock by blocking the thread, i.e. the whole event loop: fail fast, the bot retries.
BUSY_TIMEOUT = 0.25


class DatabaseTooNew(Exception):
    """The database was written by a newer kiwibot; running old code on it could corrupt it."""


class AlreadyRunning(Exception):
    """Another kiwibot process uses this database: two would handle every event and reminder twice."""


class InstanceLock:
    """An exclusive lock beside the database, held for the life of the process (released by the OS on exit,
    even after SIGKILL, so a crash never leaves a stale lock behind)."""

    def __init__(self, database: str | Path) -> None:
        self.path = Path(f"{database}.lock")
        self._file: Any = None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning naming the holder's pid (written into the lock file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise AlreadyRunning(
                f"another kiwibot (pid {holder}) is already running on this database ({self.path}); "
                "stop it first – two bots would answer and remind twice"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


_CAUSES = (
    ("SQLITE_FULL", "the disk is full"),
    ("SQLITE_READONLY", "the database file is read-only"),
    ("SQLITE_BUSY", "the database is locked by another process"),
    ("SQLITE_LOCKED", "the database is locked by another process"),
    ("SQLITE_IOERR", "the database file cannot be written (read-only, full or failing disk)"),
    ("SQLITE_CANTOPEN", "the database file cannot be opened"),
)


def _cause(exc: sqlite3.Error) -> str | None:
    """The database cannot do it now (locked, full, read-only, I/O): as opposed to a bug in our SQL."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return next((text for prefix, text in _CAUSES if name.startswith(prefix)), None)


def _is_unavailable(exc: sqlite3.Error) -> bool:
    return _cause(exc) is not None


def _unavailable(exc: sqlite3.Error) -> StorageUnavailable:
    """Name the cause in words an administrator can act on; SQLite's own text follows."""
    return StorageUnavailable(f"{_cause(exc) or 'the database is unavailable'} ({exc})")


def _as_unavailable(exc: sqlite3.OperationalError) -> Exception:
    return _unavailable(exc) if _is_unavailable(exc) else exc


def _read_only(exc: BaseException) -> bool:
    return str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_READONLY")


WAL_CHECKPOINT_PAGES = 10_000


def _connect(path: str | Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    if str(path) != ":memory:":
        db.enable_wal()
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    # Deleted and overwritten rows are zeroed, not left in free pages and free space where a copy of the file
    # would still show them: forgetting a person (Art. 17) and the retention period must mean gone.
    conn.execute("PRAGMA secure_delete = ON")
    # Checkpoint every ~40 MB of log instead of SQLite's 4 MB: pages written again and again (the
    # handled-events index, the outbox) are copied once per checkpoint, so a catch-up burst does less work.
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
    return db


class StoreBase:
    """The connection and its transaction; each storage area is a mixin on top of it (see `store.py`)."""

    def __init__(self, db: sqlite_utils.Database, path: str | Path = ":memory:") -> None:
        self.db = db
        self._path = str(path)
        self._depth = 0
        self._reconnect = False
        self._erase_after_commit = False

    # -- opening and migrations -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, target: int | None = None) -> Self:
        """Open (creating if needed) and migrate up to `target` (default: latest)."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        store = cls(_connect(path), path)
        store.migrate(target)
        return store

    def close(self) -> None:
        self.db.conn.close()

    def schema_version(self) -> int:
        """The newest migration applied; 0 for a database kiwibot has never opened."""
        if "schema_migrations" not in self.db.table_names():
            return 0
        row = self.db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self, target: int | None = None) -> None:
        """Apply the missing migrations, each in its own transaction; refuse a database newer than the code."""
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
        if self._reconnect:
            self._reopen()
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            self._reconnect = _read_only(exc)
            raise _as_unavailable(exc) from exc
        self._depth = 1
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException as exc:
            self._depth = 0
            self._erase_after_commit = False  # rolled back: nothing was erased
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and _is_unavailable(exc):
                self._reconnect = _read_only(exc)
                raise _unavailable(exc) from exc
            raise
        finally:
            self._depth = 0
        if self._erase_after_commit:
            self._erase_after_commit = False
            self._checkpoint()

    def erase_traces(self) -> None:
        """Erased rows leave no copy in the files: the write-ahead log still holds the pages as they were before
        (secure_delete zeroes only the database's own free space), so it is copied into the database and emptied.
        Inside a transaction this waits for its commit: the log must not be emptied before the erasure is in it."""
        if self._depth:
            self._erase_after_commit = True
        else:
            self._checkpoint()

    def _checkpoint(self) -> None:
        """`wal_checkpoint(TRUNCATE)`; a reader that holds old pages keeps it from finishing (logged, not raised:
        the erasure itself is committed, and the next checkpoint copies the log again)."""
        try:
            busy, _, _ = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error as exc:
            log.warning("write-ahead log not emptied after an erasure: %s", exc)
            return
        if busy:
            log.warning("write-ahead log not emptied after an erasure: a reader held it; the next checkpoint will")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside a transaction: if the block raises, what it wrote is undone alone and the transaction goes on
        (several events in one transaction, each failing on its own). Outside one: a transaction of its own."""
        if not self._depth:
            with self.transaction():
                yield
            return
        self.db.execute("SAVEPOINT one")
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK TO one")
                self.db.execute("RELEASE one")
            raise
        self.db.execute("RELEASE one")

    def _reopen(self) -> None:
        """SQLite keeps a file it found read-only read-only for the connection's life: a new connection
        sees the file writable again once an administrator has fixed it, without restarting the bot."""
        try:
            fresh = _connect(self._path)
        except sqlite3.Error as exc:
            raise _unavailable(exc) from exc
        with contextlib.suppress(sqlite3.Error):
            self.db.conn.close()
        self.db = fresh
        self._reconnect = False
        log.info("database reopened after it was read-only")

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def _upsert(self, table: str, key: str, row: dict[str, Any], update: tuple[str, ...] | None = None) -> None:
        """Insert `row`, or change the row with the same `key`: its `update` columns (default: all of `row`'s).

        Table and column names come from the storage modules, never from outside.
        """
        changed = update if update is not None else tuple(column for column in row if column != key)
        self.db.execute(
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))}) "
            f"ON CONFLICT ({key}) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in changed)}",
            tuple(row.values()),
        )
