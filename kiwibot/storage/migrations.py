"""Append-only schema migrations: never edit a released step, add a new one.

Each step is a list of SQL statements run in one transaction together with the bump of
`schema_migrations`, so a crash mid-migration leaves the previous version intact.
"""

from __future__ import annotations

from kiwibot.storage.folding import search_values

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
    # 2: sessions, signups (one row per person, one source row per reaction or command), patrons.
    (
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            giver TEXT NOT NULL,
            title TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            duration INTEGER NOT NULL CHECK (duration IN (30, 60, 90)),
            format TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            description_html TEXT,
            link TEXT,
            seats INTEGER CHECK (seats IS NULL OR seats > 0),
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
            cancel_reason TEXT,
            news_room TEXT,
            news_event TEXT UNIQUE,
            news_hash TEXT,
            origin_room TEXT,
            origin_event TEXT,
            repeated_from INTEGER REFERENCES sessions (id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX sessions_by_start ON sessions (starts_at)",
        "CREATE INDEX sessions_by_end ON sessions (status, ends_at)",
        "CREATE INDEX sessions_by_giver ON sessions (giver, starts_at)",
        """CREATE TABLE signups (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            signed_up_at TEXT NOT NULL,
            PRIMARY KEY (session_id, user_id)
        )""",
        "CREATE INDEX signups_by_user ON signups (user_id)",
        "CREATE INDEX signups_in_order ON signups (session_id, seq)",
        """CREATE TABLE signup_sources (
            source_id TEXT PRIMARY KEY,
            session_id INTEGER NOT NULL,
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('reaction', 'command')),
            FOREIGN KEY (session_id, user_id) REFERENCES signups (session_id, user_id) ON DELETE CASCADE
        )""",
        "CREATE INDEX signup_sources_by_person ON signup_sources (session_id, user_id)",
        """CREATE TABLE withdrawn_reactions (
            event_id TEXT PRIMARY KEY,
            session_id INTEGER NOT NULL
        )""",
        """CREATE TABLE patrons (
            user_id TEXT PRIMARY KEY,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL
        )""",
    ),
    # 3: reminders (one row per session, offset and planned start) and daily digests; direct chats.
    (
        """CREATE TABLE reminders (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            offset_minutes INTEGER NOT NULL,
            planned_start TEXT NOT NULL,
            due_at TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'sent', 'skipped', 'cancelled')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (session_id, offset_minutes, planned_start)
        )""",
        "CREATE INDEX reminders_planned ON reminders (state, due_at)",
        """CREATE TABLE digests (
            day TEXT PRIMARY KEY,
            state TEXT NOT NULL CHECK (state IN ('sending', 'sent')),
            recorded_at TEXT NOT NULL
        )""",
        """CREATE TABLE direct_rooms (
            user_id TEXT PRIMARY KEY,
            room_id TEXT NOT NULL
        )""",
    ),
    # 4: open sessions in date order. Without it SQLite answers "open sessions between two dates" (digest) and
    # "upcoming, in date order" (programme) from (status, ends_at): every open session read, then sorted.
    ("CREATE INDEX sessions_open_by_start ON sessions (status, starts_at, id)",),
    # 5: commands the bot ran, keyed by the command's (original) event: where it was written (answers after
    # the news post go to the same thread), whether it succeeded and whether an edit of it was answered, so an
    # edited command is run again only after a failure and a note about edits is sent once, across restarts.
    (
        """CREATE TABLE commands (
            event_id TEXT PRIMARY KEY,
            room_id TEXT NOT NULL,
            sender TEXT NOT NULL,
            thread_root TEXT,
            succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
            session_id INTEGER,
            edit_noted INTEGER NOT NULL DEFAULT 0 CHECK (edit_noted IN (0, 1)),
            handled_at TEXT NOT NULL
        )""",
    ),
    # 6: what a queued message is for, in typed columns (read and written only by storage/purposes.py):
    # `purpose` now names the kind (news, news-edit, confirm, notice, reminder, digest, overview, overview-edit;
    # NULL: a reply or note nothing waits for) and its subject is in the new columns. Rows of older versions,
    # e.g. "reminder:7:15:2026-12-03T13:00:00+00:00", are converted, so what was queued before the upgrade is
    # still delivered and followed up (the reminder marked sent, the news post remembered).
    (
        "ALTER TABLE outbox ADD COLUMN session_id INTEGER",
        "ALTER TABLE outbox ADD COLUMN reminder_offset INTEGER",
        "ALTER TABLE outbox ADD COLUMN planned_start TEXT",
        "ALTER TABLE outbox ADD COLUMN digest_day TEXT",
        # "news:7", "edit:7", "notify:7"
        """UPDATE outbox SET
            purpose = CASE substr(purpose, 1, instr(purpose, ':') - 1)
                WHEN 'news' THEN 'news' WHEN 'edit' THEN 'news-edit' ELSE 'notice' END,
            session_id = CAST(substr(purpose, instr(purpose, ':') + 1) AS INTEGER)
        WHERE purpose GLOB 'news:[0-9]*' OR purpose GLOB 'edit:[0-9]*' OR purpose GLOB 'notify:[0-9]*'""",
        # "digest:2026-12-03"
        "UPDATE outbox SET purpose = 'digest', digest_day = substr(purpose, 8) WHERE purpose GLOB 'digest:*'",
        # "reminder:<session>:<offset>:<planned start as Python's isoformat() of a UTC moment>"
        """WITH reminder AS (
            SELECT id, substr(purpose, 10) AS rest FROM outbox WHERE purpose GLOB 'reminder:*:*:*'
        ), session AS (
            SELECT id, substr(rest, 1, instr(rest, ':') - 1) AS session_id, substr(rest, instr(rest, ':') + 1) AS rest
            FROM reminder
        ), parts AS (
            SELECT id, session_id, substr(rest, 1, instr(rest, ':') - 1) AS offset_minutes,
                substr(rest, instr(rest, ':') + 1) AS start
            FROM session
        )
        UPDATE outbox SET
            purpose = 'reminder',
            session_id = CAST(parts.session_id AS INTEGER),
            reminder_offset = CAST(parts.offset_minutes AS INTEGER),
            planned_start = CASE
                WHEN parts.start GLOB '????-??-??T??:??:??+00:00' THEN substr(parts.start, 1, 19) || '.000000Z'
                WHEN parts.start GLOB '????-??-??T??:??:??.??????+00:00' THEN substr(parts.start, 1, 26) || 'Z'
                ELSE strftime('%Y-%m-%dT%H:%M:%f', parts.start) || '000Z'
            END
        FROM parts WHERE outbox.id = parts.id""",
        # anything else (none was ever written) is sent as a plain message
        """UPDATE outbox SET purpose = NULL WHERE purpose NOT IN
            ('news', 'news-edit', 'confirm', 'notice', 'reminder', 'digest', 'overview', 'overview-edit')""",
    ),
    # 7: calendars (read and written by storage/calendar.py). Each session gets an unguessable calendar-file id,
    # an iCalendar SEQUENCE that grows with every change of time, title, link or status, and the moment it was
    # cancelled (feeds keep a cancelled session for 30 days). `calendar_version` counts changes to what any
    # calendar shows and each session keeps the count of its own last change (`calendar_rev`), so a cached feed
    # is checked with one row read and only the events that changed are rendered again. Triggers keep all of it
    # true whatever code writes the row; randomblob is SQLite's CSPRNG. People's calendar links are kept only as
    # SHA-256 hashes of their random secrets.
    (
        "ALTER TABLE sessions ADD COLUMN calendar_id TEXT",
        "ALTER TABLE sessions ADD COLUMN ical_sequence INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE sessions ADD COLUMN cancelled_at TEXT",
        "ALTER TABLE sessions ADD COLUMN calendar_rev INTEGER NOT NULL DEFAULT 0",
        "UPDATE sessions SET calendar_id = lower(hex(randomblob(16)))",
        "UPDATE sessions SET cancelled_at = updated_at WHERE status = 'cancelled'",
        "CREATE UNIQUE INDEX sessions_by_calendar_id ON sessions (calendar_id)",
        "CREATE INDEX sessions_cancelled ON sessions (status, cancelled_at)",
        """CREATE TABLE calendar_version (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        )""",
        "INSERT INTO calendar_version (id, version) VALUES (1, 0)",
        """CREATE TRIGGER sessions_calendar_insert AFTER INSERT ON sessions
        BEGIN
            UPDATE calendar_version SET version = version + 1;
            UPDATE sessions SET calendar_id = COALESCE(NEW.calendar_id, lower(hex(randomblob(16)))),
                calendar_rev = (SELECT version FROM calendar_version)
            WHERE id = NEW.id;
        END""",
        """CREATE TRIGGER sessions_calendar_update AFTER UPDATE OF title, starts_at, duration, format, description,
            link, seats, status, cancel_reason, news_room, news_event, giver, updated_at ON sessions
        BEGIN
            UPDATE calendar_version SET version = version + 1;
            UPDATE sessions SET calendar_rev = (SELECT version FROM calendar_version) WHERE id = NEW.id;
        END""",
        "CREATE TRIGGER sessions_calendar_delete AFTER DELETE ON sessions "
        "BEGIN UPDATE calendar_version SET version = version + 1; END",
        """CREATE TRIGGER sessions_ical_sequence AFTER UPDATE OF title, starts_at, duration, link, status ON sessions
        WHEN OLD.title IS NOT NEW.title OR OLD.starts_at IS NOT NEW.starts_at OR OLD.duration IS NOT NEW.duration
            OR OLD.link IS NOT NEW.link OR OLD.status IS NOT NEW.status
        BEGIN
            UPDATE sessions SET ical_sequence = ical_sequence + 1,
                cancelled_at = CASE WHEN NEW.status = 'cancelled' THEN COALESCE(cancelled_at, NEW.updated_at) END
            WHERE id = NEW.id;
        END""",
        """CREATE TABLE calendar_links (
            hash TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX calendar_links_by_user ON calendar_links (user_id)",
    ),
    # 8: the learning loop (#13). Materials of a session (links, numbered in the order added); topic wishes with
    # their own numbers (W7), their post, and the reactions that show interest (a row per reaction, as signups);
    # the giver's name at offer time; and a full-text index of sessions for `!archiv`: an FTS5 table over a view
    # of the folded texts (storage/folding.py), kept equal to `sessions` by triggers. Wish posts' outbox rows
    # keep the wish's number in `session_id` (kinds "wish" and "wish-edit", storage/purposes.py).
    (
        "ALTER TABLE sessions ADD COLUMN giver_name TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE materials (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL
        )""",
        "CREATE INDEX materials_by_session ON materials (session_id, id)",
        """CREATE TABLE wishes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            wisher TEXT NOT NULL,
            topic TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'fulfilled', 'closed')),
            session_id INTEGER REFERENCES sessions (id),
            finished_by TEXT,
            finished_at TEXT,
            post_room TEXT,
            post_event TEXT UNIQUE,
            post_hash TEXT,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX wishes_by_status ON wishes (status, created_at, id)",
        "CREATE INDEX wishes_by_wisher ON wishes (wisher, status)",
        "CREATE INDEX wishes_by_session ON wishes (session_id)",
        """CREATE TABLE wish_interest (
            source_id TEXT PRIMARY KEY,
            wish_id INTEGER NOT NULL REFERENCES wishes (id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            added_at TEXT NOT NULL
        )""",
        "CREATE INDEX wish_interest_by_wish ON wish_interest (wish_id, user_id)",
        f"CREATE VIEW session_search_source (id, title, description, giver) AS "
        f"SELECT id, {search_values('sessions')} FROM sessions",
        """CREATE VIRTUAL TABLE session_search USING fts5 (
            title, description, giver,
            content = 'session_search_source', content_rowid = 'id',
            tokenize = 'unicode61 remove_diacritics 2'
        )""",
        f"""CREATE TRIGGER session_search_insert AFTER INSERT ON sessions BEGIN
            INSERT INTO session_search (rowid, title, description, giver) VALUES (NEW.id, {search_values("NEW")});
        END""",
        f"""CREATE TRIGGER session_search_delete AFTER DELETE ON sessions BEGIN
            INSERT INTO session_search (session_search, rowid, title, description, giver)
            VALUES ('delete', OLD.id, {search_values("OLD")});
        END""",
        f"""CREATE TRIGGER session_search_update AFTER UPDATE OF title, description, giver, giver_name ON sessions
        BEGIN
            INSERT INTO session_search (session_search, rowid, title, description, giver)
            VALUES ('delete', OLD.id, {search_values("OLD")});
            INSERT INTO session_search (rowid, title, description, giver) VALUES (NEW.id, {search_values("NEW")});
        END""",
        "INSERT INTO session_search (session_search) VALUES ('rebuild')",
    ),
    # 9: co-givers and feedback (#13). `cogivers`: up to three people who give a session with its giver, in the
    # order named. `feedback`: one answer per participant and session (a second replaces it), read only without
    # names. `feedback_asks`: a session's participants were asked once it ended (sending → sent; skipped: nobody
    # to ask, or it ended before this version). `feedback_summaries`: when the next summary to the givers is owed
    # (NULL: none) and when the last went out, so new answers are summed up at most once a day.
    (
        """CREATE TABLE cogivers (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (session_id, user_id)
        )""",
        "CREATE INDEX cogivers_by_user ON cogivers (user_id)",
        """CREATE TABLE feedback (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
            comment TEXT NOT NULL DEFAULT '',
            given_at TEXT NOT NULL,
            PRIMARY KEY (session_id, user_id)
        )""",
        """CREATE TABLE feedback_asks (
            session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
            state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'skipped')),
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE feedback_summaries (
            session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
            due_at TEXT,
            sent_at TEXT
        )""",
        "CREATE INDEX feedback_summaries_due ON feedback_summaries (due_at)",
        # Sessions that ended before this version are not asked about after the upgrade.
        """INSERT INTO feedback_asks (session_id, state, updated_at)
        SELECT id, 'skipped', strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z' FROM sessions
        WHERE ends_at <= strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'""",
    ),
    # 10: naming or removing a co-giver changes what their calendar feed holds: the feeds' change count moves
    # (as for a change of the session itself), so a cached feed is rebuilt at the next poll.
    (
        """CREATE TRIGGER cogivers_calendar_insert AFTER INSERT ON cogivers
        BEGIN
            UPDATE calendar_version SET version = version + 1;
            UPDATE sessions SET calendar_rev = (SELECT version FROM calendar_version) WHERE id = NEW.session_id;
        END""",
        """CREATE TRIGGER cogivers_calendar_delete AFTER DELETE ON cogivers
        BEGIN
            UPDATE calendar_version SET version = version + 1;
            UPDATE sessions SET calendar_rev = (SELECT version FROM calendar_version) WHERE id = OLD.session_id;
        END""",
    ),
    # 11: finer change counts, so that the web side keeps programme pages and personal feeds until something they
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
)

LATEST = len(MIGRATIONS)
