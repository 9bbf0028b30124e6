"""The only place with SQL: SQLite through sqlite-utils, WAL, foreign keys, versioned migrations.

Writes go through `transaction()` (BEGIN IMMEDIATE … COMMIT) on an autocommit connection, so a
handled event, the state it changed and the replies it queued are committed together or not at all.
sqlite-utils' own write helpers open nested `with conn:` blocks that would commit early, so this
module writes with plain statements and uses sqlite-utils for opening, WAL and introspection.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from kiwibot.core.effects import Purpose
from kiwibot.core.errors import StorageUnavailable
from kiwibot.core.model import DURATIONS, Format, Session, SessionDraft, Status
from kiwibot.storage.calendar import CalendarRows
from kiwibot.storage.migrations import LATEST, MIGRATIONS
from kiwibot.storage.purposes import PURPOSE_COLUMNS, PURPOSE_IS, purpose_columns, purpose_of
from kiwibot.storage.times import from_iso, iso

log = logging.getLogger(__name__)
# The longest a session lasts (the schema CHECKs the same durations).
MAX_DURATION = timedelta(minutes=max(DURATIONS))
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


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    room_id: str
    event_type: str
    content: dict[str, Any]
    purpose: Purpose | None
    txn_id: str


@dataclass(frozen=True, slots=True)
class CommandRecord:
    """A command the bot ran: keyed by the event that carried it (an edit's original for a re-run edit)."""

    event_id: str
    room_id: str
    sender: str
    thread_root: str | None
    succeeded: bool
    session_id: int | None  # the session it created (offer, repeat), for the note about edits
    edit_noted: bool


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
    # Checkpoint every ~40 MB of log instead of SQLite's 4 MB: pages written again and again (the
    # handled-events index, the outbox) are copied once per checkpoint, so a catch-up burst does less work.
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
    return db


class Store(CalendarRows):
    """Persistent state of the bot; the database is the truth, everything else is rebuilt from it."""

    def __init__(self, db: sqlite_utils.Database, path: str | Path = ":memory:") -> None:
        self.db = db
        self._path = str(path)
        self._depth = 0
        self._reconnect = False

    # -- opening and migrations -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, target: int | None = None) -> Store:
        """Open (creating if needed) and migrate up to `target` (default: latest)."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        store = cls(_connect(path), path)
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
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and _is_unavailable(exc):
                self._reconnect = _read_only(exc)
                raise _unavailable(exc) from exc
            raise
        finally:
            self._depth = 0

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

        Table and column names come from this module, never from outside.
        """
        changed = update if update is not None else tuple(column for column in row if column != key)
        self.db.execute(
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))}) "
            f"ON CONFLICT ({key}) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in changed)}",
            tuple(row.values()),
        )

    # -- bot state --------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        return self._one("SELECT value FROM meta WHERE key = ?", (key,))

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._upsert("meta", "key", {"key": key, "value": value})

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

    # -- commands ---------------------------------------------------------------------------

    def record_command(
        self,
        event_id: str,
        room_id: str,
        sender: str,
        thread_root: str | None,
        succeeded: bool,
        session_id: int | None,
        at: datetime,
    ) -> None:
        """Remember how a command ended (a re-run after an edit replaces the earlier outcome)."""
        row = {
            "event_id": event_id,
            "room_id": room_id,
            "sender": sender,
            "thread_root": thread_root,
            "succeeded": int(succeeded),
            "session_id": session_id,
            "handled_at": iso(at),
        }
        with self.transaction():
            self._upsert("commands", "event_id", row, update=("succeeded", "session_id", "handled_at"))

    def command(self, event_id: str) -> CommandRecord | None:
        row = self.db.execute(
            "SELECT event_id, room_id, sender, thread_root, succeeded, session_id, edit_noted FROM commands "
            "WHERE event_id = ?",
            (event_id,),
        ).fetchone()
        if row is None:
            return None
        return CommandRecord(row[0], row[1], row[2], row[3], bool(row[4]), row[5], bool(row[6]))

    def note_edit(self, event_id: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE commands SET edit_noted = 1 WHERE event_id = ?", (event_id,))

    # -- users ------------------------------------------------------------------------------

    def get_language(self, user_id: str) -> str | None:
        return self._one("SELECT language FROM users WHERE user_id = ?", (user_id,))

    def set_language(self, user_id: str, language: str) -> None:
        with self.transaction():
            self._upsert("users", "user_id", {"user_id": user_id, "language": language})

    # -- outbox -----------------------------------------------------------------------------

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

    def pending_outbox(self, limit: int = 100) -> list[OutboxItem]:
        prefix = self.instance_id()
        rows = self.db.execute(
            f"SELECT id, room_id, event_type, content, {', '.join(PURPOSE_COLUMNS)} FROM outbox "
            "WHERE state = 'pending' ORDER BY id LIMIT ?",
            (limit,),
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

    def outbox_sent(self, item_id: int, event_id: str) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE outbox SET state = 'sent', event_id = ?, content = '{}' WHERE id = ?",
                (event_id, item_id),
            )

    def cancel_pending(self, purpose: Purpose) -> int:
        """Drop queued messages that no longer make sense (e.g. edits of a deleted message)."""
        with self.transaction():
            cur = self.db.execute(
                f"UPDATE outbox SET state = 'failed', error = 'cancelled' WHERE state = 'pending' AND {PURPOSE_IS}",
                purpose_columns(purpose),
            )
        return cur.rowcount

    def outbox_failed(self, item_id: int, error: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE outbox SET state = 'failed', error = ? WHERE id = ?", (error[:500], item_id))

    # -- sessions ---------------------------------------------------------------------------

    _SESSION_COLUMNS = (
        "id, giver, title, starts_at, duration, format, description, description_html, link, seats, "
        "status, cancel_reason, news_room, news_event, origin_room, origin_event, repeated_from"
    )

    @staticmethod
    def _session(row: tuple[Any, ...]) -> Session:
        return Session(
            id=row[0],
            giver=row[1],
            title=row[2],
            starts_at=from_iso(row[3]),
            duration=row[4],
            format=Format(row[5]),
            description=row[6],
            description_html=row[7],
            link=row[8],
            seats=row[9],
            status=Status(row[10]),
            cancel_reason=row[11],
            news_room=row[12],
            news_event=row[13],
            origin_room=row[14],
            origin_event=row[15],
            repeated_from=row[16],
        )

    def _sessions(self, where: str, params: tuple[Any, ...] = ()) -> list[Session]:
        rows = self.db.execute(f"SELECT {self._SESSION_COLUMNS} FROM sessions {where}", params).fetchall()
        return [self._session(row) for row in rows]

    def create_session(self, draft: SessionDraft, at: datetime) -> Session:
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO sessions (giver, title, starts_at, ends_at, duration, format, description, "
                "description_html, link, seats, origin_room, origin_event, repeated_from, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    draft.giver,
                    draft.title,
                    iso(draft.starts_at),
                    iso(draft.starts_at + timedelta(minutes=draft.duration)),
                    draft.duration,
                    draft.format.value,
                    draft.description,
                    draft.description_html,
                    draft.link,
                    draft.seats,
                    draft.origin_room,
                    draft.origin_event,
                    draft.repeated_from,
                    iso(at),
                    iso(at),
                ),
            )
        session = self.get_session(int(cur.lastrowid or 0))
        assert session is not None
        return session

    def get_session(self, session_id: int) -> Session | None:
        found = self._sessions("WHERE id = ?", (session_id,))
        return found[0] if found else None

    def session_by_news(self, event_id: str) -> Session | None:
        found = self._sessions("WHERE news_event = ?", (event_id,))
        return found[0] if found else None

    _EDITABLE = frozenset(
        {
            "title",
            "starts_at",
            "duration",
            "format",
            "description",
            "description_html",
            "link",
            "seats",
            "status",
            "cancel_reason",
            "news_room",
            "news_event",
        }
    )

    def update_session(self, session_id: int, at: datetime, **changes: Any) -> Session:
        unknown = set(changes) - self._EDITABLE
        if unknown:
            raise ValueError(f"not editable: {unknown}")
        values = {
            key: iso(value) if isinstance(value, datetime) else getattr(value, "value", value)
            for key, value in changes.items()
        }
        if "starts_at" in changes or "duration" in changes:
            current = self.get_session(session_id)
            assert current is not None
            start = changes.get("starts_at", current.starts_at)
            values["ends_at"] = iso(start + timedelta(minutes=changes.get("duration", current.duration)))
        assignments = ", ".join(f"{key} = ?" for key in values)
        with self.transaction():
            self.db.execute(
                f"UPDATE sessions SET {assignments}, updated_at = ? WHERE id = ?",
                (*values.values(), iso(at), session_id),
            )
        session = self.get_session(session_id)
        assert session is not None
        return session

    def upcoming(self, now: datetime, limit: int = 1000, offset: int = 0) -> list[Session]:
        """Open sessions that have not ended yet, in date order."""
        # Sessions last at most MAX_DURATION: the bound on starts_at lets the index deliver them in order.
        return self._sessions(
            "WHERE status = 'open' AND starts_at > ? AND ends_at > ? ORDER BY starts_at, id LIMIT ? OFFSET ?",
            (iso(now - MAX_DURATION), iso(now), limit, offset),
        )

    def count_upcoming(self, now: datetime) -> int:
        return int(self._one("SELECT COUNT(*) FROM sessions WHERE status = 'open' AND ends_at > ?", (iso(now),)))

    def overlapping(self, start: datetime, end: datetime, exclude: int | None = None) -> list[Session]:
        return self._sessions(
            "WHERE status = 'open' AND ends_at > ? AND starts_at < ? AND id IS NOT ? ORDER BY starts_at",
            (iso(start), iso(end), exclude),
        )

    def sessions_given_by(self, user_id: str, now: datetime) -> list[Session]:
        return self._sessions("WHERE giver = ? AND ends_at > ? ORDER BY starts_at", (user_id, iso(now)))

    def sessions_joined_by(self, user_id: str, now: datetime) -> list[Session]:
        return self._sessions(
            "WHERE id IN (SELECT session_id FROM signups WHERE user_id = ?) AND ends_at > ? ORDER BY starts_at",
            (user_id, iso(now)),
        )

    # -- signups ----------------------------------------------------------------------------

    def attendees(self, session_id: int) -> list[str]:
        """Everyone signed up, in signup order (the waitlist is the tail beyond the seats)."""
        rows = self.db.execute(
            "SELECT user_id FROM signups WHERE session_id = ? ORDER BY seq", (session_id,)
        ).fetchall()
        return [row[0] for row in rows]

    def signup_counts(self, session_ids: list[int]) -> dict[int, int]:
        if not session_ids:
            return {}
        marks = ",".join("?" * len(session_ids))
        rows = self.db.execute(
            f"SELECT session_id, COUNT(*) FROM signups WHERE session_id IN ({marks}) GROUP BY session_id",
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

    def is_withdrawn(self, event_id: str) -> bool:
        return self._one("SELECT 1 FROM withdrawn_reactions WHERE event_id = ?", (event_id,)) is not None

    # -- patrons and news posts -------------------------------------------------------------

    def patrons(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT user_id FROM patrons ORDER BY user_id").fetchall()]

    def add_patron(self, user_id: str, added_by: str, at: datetime) -> bool:
        with self.transaction():
            cur = self.db.execute(
                "INSERT OR IGNORE INTO patrons (user_id, added_by, added_at) VALUES (?, ?, ?)",
                (user_id, added_by, iso(at)),
            )
        return cur.rowcount == 1

    def remove_patron(self, user_id: str) -> bool:
        with self.transaction():
            cur = self.db.execute("DELETE FROM patrons WHERE user_id = ?", (user_id,))
        return cur.rowcount == 1

    def news_hash(self, session_id: int) -> str | None:
        return self._one("SELECT news_hash FROM sessions WHERE id = ?", (session_id,))

    def set_news_hash(self, session_id: int, digest: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE sessions SET news_hash = ? WHERE id = ?", (digest, session_id))

    # -- reminders and digests --------------------------------------------------------------

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
        value = self._one("SELECT MIN(due_at) FROM reminders WHERE state = 'planned'")
        return None if value is None else from_iso(value)

    def set_reminder_state(
        self, session_id: int, offset: int, planned_start: datetime, state: str, at: datetime
    ) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE reminders SET state = ?, updated_at = ? "
                "WHERE session_id = ? AND offset_minutes = ? AND planned_start = ?",
                (state, iso(at), session_id, offset, iso(planned_start)),
            )

    def reminder_states(self, session_id: int) -> list[tuple[int, datetime, str]]:
        rows = self.db.execute(
            "SELECT offset_minutes, planned_start, state FROM reminders WHERE session_id = ? "
            "ORDER BY planned_start, offset_minutes DESC",
            (session_id,),
        ).fetchall()
        return [(r[0], from_iso(r[1]), r[2]) for r in rows]

    def pending_with_purpose(self, purpose: Purpose) -> int:
        """How many queued messages with this purpose still wait to go out."""
        return int(
            self._one(f"SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND {PURPOSE_IS}", purpose_columns(purpose))
        )

    def reminder_prefs(self, user_ids: list[str]) -> dict[str, str]:
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

    def digest_recorded(self, day: str) -> bool:
        return self._one("SELECT 1 FROM digests WHERE day = ?", (day,)) is not None

    def record_digest(self, day: str, at: datetime) -> bool:
        """True if this call recorded the day (so exactly one caller posts that day's digest)."""
        with self.transaction():
            cur = self.db.execute(
                "INSERT OR IGNORE INTO digests (day, state, recorded_at) VALUES (?, 'sending', ?)", (day, iso(at))
            )
        return cur.rowcount == 1

    def digest_sent(self, day: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE digests SET state = 'sent' WHERE day = ?", (day,))

    def sessions_between(self, start: datetime, end: datetime) -> list[Session]:
        return self._sessions(
            "WHERE status = 'open' AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id", (iso(start), iso(end))
        )

    def direct_room(self, user_id: str) -> str | None:
        return self._one("SELECT room_id FROM direct_rooms WHERE user_id = ?", (user_id,))

    def set_direct_room(self, user_id: str, room_id: str) -> None:
        with self.transaction():
            self._upsert("direct_rooms", "user_id", {"user_id": user_id, "room_id": room_id})

    def reaction_sources(self, session_id: int) -> dict[str, str]:
        """Signup reactions the database counts for a session: reaction event id → user."""
        rows = self.db.execute(
            "SELECT source_id, user_id FROM signup_sources WHERE session_id = ? AND kind = 'reaction'", (session_id,)
        ).fetchall()
        return {row[0]: row[1] for row in rows}
