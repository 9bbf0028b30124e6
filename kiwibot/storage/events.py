"""The bot's own bookkeeping: key-value state (meta), events already handled, commands and how they ended."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import iso


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


class EventRows(StoreBase):
    """Tables `meta`, `handled_events` and `commands`."""

    def get_meta(self, key: str) -> str | None:
        """Bot state by name (sync token, login, overview post, …) that must survive a restart."""
        value: str | None = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return value

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._upsert("meta", "key", {"key": key, "value": value})

    def delete_meta(self, key: str) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM meta WHERE key = ?", (key,))

    def instance_id(self) -> str:
        """Random per database: makes transaction ids unique per bot account and database."""
        value = self.get_meta("instance_id")
        if value is None:
            value = secrets.token_hex(6)
            self.set_meta("instance_id", value)
        return value

    def is_handled(self, event_id: str) -> bool:
        """Whether this event was handled already: a redelivered event must not act twice."""
        return self._one("SELECT 1 FROM handled_events WHERE event_id = ?", (event_id,)) is not None

    def mark_handled(self, event_id: str, at: datetime, origin_ts: int | None = None) -> bool:
        """Record an event as handled; False if it already was (a duplicate delivery). `origin_ts`: the event's
        server time (ms), which decides when its id may be pruned (storage/retention.py)."""
        columns: tuple[str, ...] = ("event_id", "handled_at")
        values: tuple[str | int, ...] = (event_id, iso(at))
        if origin_ts is not None:  # without it, pruning goes by `handled_at`
            columns, values = (*columns, "origin_ts"), (*values, origin_ts)
        with self.transaction():
            cur = self.db.execute(
                f"INSERT OR IGNORE INTO handled_events ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                values,
            )
        return cur.rowcount == 1

    def events_horizon_ms(self) -> int:
        """Events older than this (server time, ms) are ignored: their ids may have been pruned (retention)."""
        return int(self.get_meta("events_horizon_ms") or 0)

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
        """How the command carried by this event ended, to decide what an edit of it does; None if none ran."""
        row = self.db.execute(
            "SELECT event_id, room_id, sender, thread_root, succeeded, session_id, edit_noted FROM commands "
            "WHERE event_id = ?",
            (event_id,),
        ).fetchone()
        if row is None:
            return None
        return CommandRecord(row[0], row[1], row[2], row[3], bool(row[4]), row[5], bool(row[6]))

    def note_edit(self, event_id: str) -> None:
        """The author was told that edits of this command are not applied: tell them only once."""
        with self.transaction():
            self.db.execute("UPDATE commands SET edit_noted = 1 WHERE event_id = ?", (event_id,))
