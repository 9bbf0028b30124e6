"""Append-only schema migrations: never edit a released step, add a new one.

Each step is a list of SQL statements run in one transaction together with the bump of
`schema_migrations`, so a crash mid-migration leaves the previous version intact.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: foundation — bot state, handled events, per-user preferences, outgoing messages.
    (
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE handled_events (
            event_id TEXT PRIMARY KEY,
            handled_at TEXT NOT NULL
        )""",
        "CREATE INDEX handled_events_at ON handled_events (handled_at)",
        """CREATE TABLE users (
            user_id TEXT PRIMARY KEY,
            language TEXT CHECK (language IN ('de', 'en')),
            reminder_pref TEXT NOT NULL DEFAULT 'thread' CHECK (reminder_pref IN ('thread', 'dm', 'off'))
        )""",
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            room_id TEXT NOT NULL,
            event_type TEXT NOT NULL DEFAULT 'm.room.message',
            content TEXT NOT NULL,
            purpose TEXT,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
            event_id TEXT,
            error TEXT
        )""",
        "CREATE INDEX outbox_pending ON outbox (state, id)",
    ),
)

LATEST = len(MIGRATIONS)
