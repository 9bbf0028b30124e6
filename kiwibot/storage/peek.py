"""What `kiwibot health` reads beside the running bot (in a container's HEALTHCHECK), without writing anything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiwibot.core.errors import StorageUnavailable

# The sync loop's heartbeat in `meta`: the wall time (ms since the epoch) of its last successful sync.
HEARTBEAT_KEY = "heartbeat_ms"


def peek_meta(database: Path, key: str) -> str | None:
    """A `meta` value, or None while there is none (no database, no table, no row yet).

    Read-only: unlike `Store.open` it never creates, migrates or locks the database of the running bot.
    A database that cannot be read raises StorageUnavailable.
    """
    if not database.exists():
        return None
    try:
        conn = sqlite3.connect(f"{database.absolute().as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise StorageUnavailable(f"cannot read {database}: {exc}") from exc
    except sqlite3.Error as exc:
        raise StorageUnavailable(f"cannot read {database}: {exc}") from exc
    return None if row is None else str(row[0])


def lock_holder(database: Path) -> int | None:
    """The pid `InstanceLock` wrote into `<database>.lock` when the bot (the running one, or the last) started."""
    try:
        text = Path(f"{database}.lock").read_text().strip()
    except FileNotFoundError:
        return None
    return int(text) if text.isdigit() else None
