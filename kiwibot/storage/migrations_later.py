"""Schema steps 11 and on (files, statistics, privacy, signup tallies): the list continues `migrations.py`'s,
kept apart only so neither file is too long to read at once. Append new steps at the end.
"""

from __future__ import annotations

from kiwibot.storage.folding import search_source

LATER: tuple[tuple[str, ...], ...] = (
    # 11: files sent with a message (exports, charts). Each file is an outbox row of its own (its event without
    # the upload's url); its bytes wait here until the row is sent or failed, then they are deleted: an export
    # of personal data must not linger in the database.
    (
        """CREATE TABLE outbox_files (
            outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id),
            data BLOB NOT NULL
        )""",
    ),
    # 12: statistics that outlive the participant lists (#14, storage/statistics.py). `stats_sessions`: each held
    # session's facts, frozen once it ended (start, format, seats, how many took part); `stats_people`: who took
    # part in it and who gave it, as keyed hashes (HMAC-SHA256 with a random key kept in `meta`), so the same
    # person is the same key and nobody's id is kept; no foreign keys, so the figures stay whatever is deleted.
    # `monthly_reports`: the months whose report was posted (once, across restarts).
    (
        """CREATE TABLE stats_sessions (
            session_id INTEGER PRIMARY KEY,
            starts_at TEXT NOT NULL,
            format TEXT NOT NULL,
            seats INTEGER,
            participants INTEGER NOT NULL,
            frozen_at TEXT NOT NULL
        )""",
        "CREATE INDEX stats_sessions_by_start ON stats_sessions (starts_at)",
        """CREATE TABLE stats_people (
            session_id INTEGER NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('participant', 'host')),
            person TEXT NOT NULL,
            PRIMARY KEY (session_id, role, person)
        )""",
        "CREATE INDEX stats_people_by_person ON stats_people (role, person)",
        """CREATE TABLE monthly_reports (
            month TEXT PRIMARY KEY,
            recorded_at TEXT NOT NULL
        )""",
    ),
    # 13: privacy (#14). `handled_events.origin_ts`: the event's server time (ms), so old ids can be pruned and
    # anything older than the pruned horizon (meta `events_horizon_ms`) is ignored if the server sends it again.
    # `forget_requests`: a `!vergessen` waiting for its confirmation (10 minutes). `forgotten`: a keyed hash of each
    # person who was forgotten and when, so their reactions from before are not counted again when read back
    # (never their id). `sessions.names_removed_at`: when the retention period removed the participants' names
    # (the rows stay, under pseudonyms, so every count stays). `month_keys`: one random key per month of sessions,
    # to give a participant the same pseudonym within a month (distinct people per month stay countable); a key
    # is deleted once every session of its month lost its names, and with it any way back to the person.
    (
        "ALTER TABLE handled_events ADD COLUMN origin_ts INTEGER",
        """CREATE TABLE forget_requests (
            user_id TEXT PRIMARY KEY,
            requested_at TEXT NOT NULL
        )""",
        """CREATE TABLE forgotten (
            marker TEXT PRIMARY KEY,
            forgotten_at TEXT NOT NULL
        )""",
        "ALTER TABLE sessions ADD COLUMN names_removed_at TEXT",
        "CREATE INDEX sessions_named ON sessions (names_removed_at, ends_at)",
        """CREATE TABLE month_keys (
            month TEXT PRIMARY KEY,
            key TEXT NOT NULL
        )""",
        "CREATE INDEX commands_by_sender ON commands (sender)",
        "CREATE INDEX outbox_by_time ON outbox (created_at)",
    ),
    # 14: how many are signed up per session, kept by triggers: a reaction's waiting-list place (and every
    # headcount) is read in one row instead of counting all signups of the session (#15: O(n) per signup).
    (
        """CREATE TABLE signup_tallies (
            session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
            people INTEGER NOT NULL
        )""",
        "INSERT INTO signup_tallies (session_id, people) SELECT session_id, COUNT(*) FROM signups GROUP BY session_id",
        """CREATE TRIGGER signups_tally_insert AFTER INSERT ON signups
        BEGIN
            INSERT INTO signup_tallies (session_id, people) VALUES (NEW.session_id, 1)
            ON CONFLICT (session_id) DO UPDATE SET people = people + 1;
        END""",
        """CREATE TRIGGER signups_tally_delete AFTER DELETE ON signups
        BEGIN
            UPDATE signup_tallies SET people = people - 1 WHERE session_id = OLD.session_id;
        END""",
    ),
    # 15: finer change counts, so that the web side keeps programme pages and personal feeds until something they
    # show changes. `calendar_version.signups` grows with every signup, sign-off or change of one, and the
    # session's `signups_rev` takes its new value (as `calendar_rev` does for the session itself; the calendar
    # triggers do not watch `signups_rev`, so no event is rendered again because someone signed up).
    # `calendar_version.layout` grows when the set or order of sessions a list shows can change: a session added
    # or deleted, moved, lengthened, cancelled or handed to another giver, a co-giver named or removed. With the
    # layout unchanged, a feed renders again only the sessions changed since it was built (by `calendar_rev`).
    (
        "ALTER TABLE calendar_version ADD COLUMN signups INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE calendar_version ADD COLUMN layout INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE sessions ADD COLUMN signups_rev INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX sessions_by_calendar_rev ON sessions (calendar_rev)",  # what changed since a feed was built
        """CREATE TRIGGER signups_version_insert AFTER INSERT ON signups
        BEGIN
            UPDATE calendar_version SET signups = signups + 1;
            UPDATE sessions SET signups_rev = (SELECT signups FROM calendar_version) WHERE id = NEW.session_id;
        END""",
        """CREATE TRIGGER signups_version_update AFTER UPDATE ON signups
        BEGIN
            UPDATE calendar_version SET signups = signups + 1;
            UPDATE sessions SET signups_rev = (SELECT signups FROM calendar_version)
            WHERE id IN (OLD.session_id, NEW.session_id);
        END""",
        """CREATE TRIGGER signups_version_delete AFTER DELETE ON signups
        BEGIN
            UPDATE calendar_version SET signups = signups + 1;
            UPDATE sessions SET signups_rev = (SELECT signups FROM calendar_version) WHERE id = OLD.session_id;
        END""",
        "CREATE TRIGGER sessions_layout_insert AFTER INSERT ON sessions "
        "BEGIN UPDATE calendar_version SET layout = layout + 1; END",
        "CREATE TRIGGER sessions_layout_delete AFTER DELETE ON sessions "
        "BEGIN UPDATE calendar_version SET layout = layout + 1; END",
        """CREATE TRIGGER sessions_layout_update AFTER UPDATE OF starts_at, ends_at, duration, status, giver ON sessions
        WHEN OLD.starts_at IS NOT NEW.starts_at OR OLD.ends_at IS NOT NEW.ends_at OR OLD.duration IS NOT NEW.duration
            OR OLD.status IS NOT NEW.status OR OLD.giver IS NOT NEW.giver
        BEGIN UPDATE calendar_version SET layout = layout + 1; END""",
        "CREATE TRIGGER cogivers_layout_insert AFTER INSERT ON cogivers "
        "BEGIN UPDATE calendar_version SET layout = layout + 1; END",
        "CREATE TRIGGER cogivers_layout_delete AFTER DELETE ON cogivers "
        "BEGIN UPDATE calendar_version SET layout = layout + 1; END",
    ),
    # 16: the archive's index finds more of what people type. Words written with joining marks are also
    # indexed joined ("E-Akte" as "eakte", "Einsteiger:innen" as "einsteigerinnen"); the giver's whole Matrix id
    # (not only its local part) and the co-givers' ids are indexed too. The index now keeps its own copy of the
    # folded texts (a plain FTS5 table), so the triggers, also those on `cogivers`, delete a session's row by its
    # id and insert it again from the view, instead of repeating the old texts as an external-content table needs.
    (
        "DROP TRIGGER session_search_insert",
        "DROP TRIGGER session_search_delete",
        "DROP TRIGGER session_search_update",
        "DROP TABLE session_search",
        "DROP VIEW session_search_source",
        f"CREATE VIEW session_search_source (id, title, description, givers) AS {search_source()}",
        """CREATE VIRTUAL TABLE session_search USING fts5 (
            title, description, givers, tokenize = 'unicode61 remove_diacritics 2'
        )""",
        "INSERT INTO session_search (rowid, title, description, givers) SELECT * FROM session_search_source",
        """CREATE TRIGGER session_search_insert AFTER INSERT ON sessions BEGIN
            INSERT INTO session_search (rowid, title, description, givers)
            SELECT * FROM session_search_source WHERE id = NEW.id;
        END""",
        """CREATE TRIGGER session_search_delete AFTER DELETE ON sessions BEGIN
            DELETE FROM session_search WHERE rowid = OLD.id;
        END""",
        """CREATE TRIGGER session_search_update AFTER UPDATE OF title, description, giver, giver_name ON sessions
        BEGIN
            DELETE FROM session_search WHERE rowid = OLD.id;
            INSERT INTO session_search (rowid, title, description, givers)
            SELECT * FROM session_search_source WHERE id = NEW.id;
        END""",
        *(
            f"""CREATE TRIGGER session_search_cogivers_{event.lower()} AFTER {event} ON cogivers BEGIN
            DELETE FROM session_search WHERE rowid = {row}.session_id;
            INSERT INTO session_search (rowid, title, description, givers)
            SELECT * FROM session_search_source WHERE id = {row}.session_id;
        END"""
            for event, row in (("INSERT", "NEW"), ("DELETE", "OLD"))
        ),
        """CREATE TRIGGER session_search_cogivers_update AFTER UPDATE ON cogivers BEGIN
            DELETE FROM session_search WHERE rowid IN (OLD.session_id, NEW.session_id);
            INSERT INTO session_search (rowid, title, description, givers)
            SELECT * FROM session_search_source WHERE id IN (OLD.session_id, NEW.session_id);
        END""",
    ),
    # 17: the web side. `revoked_links`: the hashes of links `!kalender neu` revoked, without the person, kept
    # REVOKED_KEEP (90 days; the daily retention run prunes them): a calendar still polling an old link gets its
    # 404 without counting as someone guessing (core/calendar.py). `signups.moves` / `moved_at`: how often and when
    # a person last moved between the waiting list and a seat, so their own feed's event gets a new SEQUENCE and
    # LAST-MODIFIED and calendar clients take the new title and status (RFC 5545 3.8.7.4).
    (
        "CREATE TABLE revoked_links (hash TEXT PRIMARY KEY, revoked_at TEXT NOT NULL) WITHOUT ROWID",
        "ALTER TABLE signups ADD COLUMN moves INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE signups ADD COLUMN moved_at TEXT",
    ),
)
