"""B5: years of programme — 100,000 sessions (10,000 upcoming), 1,000,000 signups — must stay instant.

The database is made with bulk SQL through the store's own schema (the migrations), then measured in a
fresh process (``python -m bench.b5_scale DB``) so its RSS is the bot's and nothing else's: start-up
(open, migration check, the bot's objects, reminder wake-ups rebuilt), the `!programm` answer, the digest.
"""

from __future__ import annotations

import asyncio
import json
import logging
import resource
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.report import Row, ms, spread

USERS = 5_000
SIGNUPS_PER_SESSION_MAX = 40


def generate(path: Path, sessions: int, upcoming: int, signups: int) -> float:
    """Fill a fresh database: past sessions over five years, upcoming ones over the next year. Seconds taken."""
    from kiwibot.storage import Store
    from kiwibot.storage.store import iso

    began = time.monotonic()
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(path)
    db = store.db.conn
    now = datetime.now(UTC).replace(microsecond=0)
    past = sessions - upcoming
    first = int((now - timedelta(days=5 * 365)).timestamp())
    past_step = (5 * 365 * 86400) // max(1, past)
    soon = int((now + timedelta(hours=2)).timestamp())
    soon_step = (365 * 86400) // max(1, upcoming)
    per_session = max(1, min(SIGNUPS_PER_SESSION_MAX, signups // sessions))
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    db.execute(
        """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
           t(i, start) AS (SELECT i, CASE WHEN i <= ? THEN ? + (i - 1) * ? ELSE ? + (i - ? - 1) * ? END FROM n)
           INSERT INTO sessions (id, giver, title, starts_at, ends_at, duration, format, description, link, seats,
                                 news_room, news_event, news_hash, created_at, updated_at)
           SELECT i, '@giver' || (i % 700) || ':example.org', 'Session ' || i || ': E-Akte, Verwaltung digital',
                  strftime('%Y-%m-%dT%H:%M:%S.000000Z', start, 'unixepoch'),
                  strftime('%Y-%m-%dT%H:%M:%S.000000Z', start + 3600, 'unixepoch'),
                  60, 'talk', 'Worum es geht: eine Beschreibung von mittlerer Länge für den Benchmark.',
                  'https://meet.example.org/kiwi/' || i, CASE WHEN i % 3 = 0 THEN 12 END,
                  '!programme:example.org', '$news' || i, 'x', ?, ? FROM t""",
        (sessions, past, first, past_step, soon, past, soon_step, iso(now), iso(now)),
    )
    # Signups: `per_session` people per session, drawn from a pool of USERS, until `signups` rows exist.
    db.execute(
        """WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < ? - 1)
           INSERT INTO signups (session_id, user_id, seq, signed_up_at)
           SELECT s.id, '@member' || ((s.id * 7 + k.j * 13) % ?) || ':example.org', k.j + 1, s.created_at
           FROM sessions s, k WHERE (s.id - 1) * ? + k.j < ?""",
        (per_session, USERS, per_session, signups),
    )
    db.execute(
        """INSERT INTO signup_sources (source_id, session_id, user_id, kind)
           SELECT '$reaction' || session_id || '_' || seq, session_id, user_id, 'reaction' FROM signups"""
    )
    db.execute(
        """INSERT INTO handled_events (event_id, handled_at)
           SELECT source_id, ? FROM signup_sources""",
        (iso(now),),
    )
    db.execute(
        """INSERT INTO reminders (session_id, offset_minutes, planned_start, due_at, state, updated_at)
           SELECT id, o.m, starts_at, strftime('%Y-%m-%dT%H:%M:%S.000000Z', starts_at, '-' || o.m || ' minutes'),
                  CASE WHEN starts_at > ? THEN 'planned' ELSE 'sent' END, ?
           FROM sessions, (SELECT 1440 AS m UNION ALL SELECT 15) AS o""",
        (iso(now + timedelta(days=1)), iso(now)),
    )
    db.execute(
        """INSERT INTO outbox (room_id, content, purpose, session_id, created_at, state, event_id)
           SELECT news_room, '{}', 'news', id, created_at, 'sent', news_event FROM sessions"""
    )
    db.execute("COMMIT")
    store.set_meta("sync_token", "s1_1_0_1_1_1_1_1_1_1")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return time.monotonic() - began


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MB."""
    current = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1]) / 1024
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def measure(path: Path) -> dict[str, Any]:
    """In a fresh process: the bot's start-up steps, then the answers, then its memory."""
    imported = time.monotonic()
    from kiwibot.app import App
    from kiwibot.config import parse_config

    config = parse_config(
        {
            "homeserver": "http://127.0.0.1:9",
            "user_id": "@kiwibot:example.org",
            "password": "unused",
            "database": str(path),
            "rooms": {"programme": "!programme:example.org", "digest": "!digest:example.org"},
            "log_level": "WARNING",
        },
        path.parent,
        {},
    )
    began = time.monotonic()
    app = App(config)  # instance lock, open, migration check, core and adapter objects
    app.bot.wakeups.start()  # reminder and digest wake-ups rebuilt from the database
    started = time.monotonic() - began
    rss_started = rss_mb()
    bot, kiwi = app.bot.events, app.kiwi
    event = {"event_id": "$ask", "sender": "@member1:example.org", "content": {"msgtype": "m.text", "body": ""}}

    def answer(body: str) -> dict[str, Any]:
        invocation = bot.registry.match(body)
        assert invocation is not None and invocation.command is not None
        reply = bot.dispatch(invocation, "!programme:example.org", event)
        return bot.reply_content(event, reply, "de")

    def timed(step: Any, times: int) -> list[float]:
        samples = []
        for _ in range(times):
            t = time.perf_counter()
            step()
            samples.append(time.perf_counter() - t)
        return samples

    programme = timed(lambda: answer("!programm"), 50)
    last_page = kiwi.programme().pages
    programme_last = timed(lambda: answer(f"!programm {last_page}"), 20)
    digest = timed(lambda: bot.renderer.render(kiwi.digest(), "de").content(), 20)
    # The archive (#13): its first page, its last, a word in every title, and a word in one title only.
    archive_pages = kiwi.archive(None).pages
    rare = str(kiwi.archive(None).sessions[-1].id)  # "Session <n>: …": the number is in one title
    archive = timed(lambda: answer("!archiv"), 20)
    archive_last = timed(lambda: answer(f"!archiv {archive_pages}"), 10)
    archive_common = timed(lambda: answer("!archiv Verwaltung"), 10)
    archive_rare = timed(lambda: answer(f"!archiv {rare} Verwaltung"), 10)
    digest_lines = len(kiwi.digest().items) if hasattr(kiwi.digest(), "items") else 0
    result = {
        "import_s": began - imported,
        "start_s": started,
        "rss_after_start_mb": rss_started[0],
        "programme_s": programme,
        "programme_last_s": programme_last,
        "programme_pages": last_page,
        "digest_s": digest,
        "digest_lines": digest_lines,
        "archive_s": archive,
        "archive_last_s": archive_last,
        "archive_pages": archive_pages,
        "archive_common_s": archive_common,
        "archive_rare_s": archive_rare,
        "rss_end_mb": rss_mb()[0],
        "rss_peak_mb": rss_mb()[1],
    }
    await app.bot.wakeups.shutdown()
    await app.stop()
    return result


async def run(folder: Path, sessions: int, upcoming: int, signups: int) -> list[Row]:
    path = folder / "scale.db"
    made = await asyncio.to_thread(generate, path, sessions, upcoming, signups)
    size = path.stat().st_size / 1e6
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.b5_scale", str(path), stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"B5 measurement failed with exit code {proc.returncode}")
    r = json.loads(out.decode().strip().splitlines()[-1])
    scale = f"{sessions:,} sessions ({upcoming:,} upcoming), {signups:,} signups; {size:.0f} MB, made in {made:.0f} s"
    programme, digest = r["programme_s"], r["digest_s"]
    return [
        Row(
            "B5",
            f"`!programm` answer built ({scale})",
            spread(programme),
            "< 20 ms",
            statistics.median(programme) < 0.02,
        ),
        Row("B5", f"`!programm {r['programme_pages']}` (last page)", spread(r["programme_last_s"])),
        Row(
            "B5",
            f"digest built ({r['digest_lines']} lines)",
            spread(digest),
            "< 50 ms",
            statistics.median(digest) < 0.05,
        ),
        Row(
            "B5",
            "`!archiv` answer built (past sessions, newest first, first page)",
            spread(r["archive_s"]),
            "< 50 ms",
            statistics.median(r["archive_s"]) < 0.05,
        ),
        Row("B5", f"`!archiv {r['archive_pages']}` (last page)", spread(r["archive_last_s"])),
        Row(
            "B5",
            "`!archiv Verwaltung` (a word in every title: full-text search, first page)",
            spread(r["archive_common_s"]),
            "< 100 ms",
            statistics.median(r["archive_common_s"]) < 0.1,
        ),
        Row(
            "B5",
            "`!archiv <n> Verwaltung` (a word in one title only)",
            spread(r["archive_rare_s"]),
            "< 50 ms",
            statistics.median(r["archive_rare_s"]) < 0.05,
        ),
        Row(
            "B5",
            "start-up: open, migration check, bot objects, reminder wake-ups rebuilt",
            f"{ms(r['start_s'])} ms (imports before it: {ms(r['import_s'])} ms)",
            "< 2 s",
            r["start_s"] < 2,
        ),
        Row(
            "B5",
            "RSS after start",
            f"{r['rss_after_start_mb']:.0f} MB (after the answers {r['rss_end_mb']:.0f}, peak {r['rss_peak_mb']:.0f})",
            "< 150 MB",
            r["rss_after_start_mb"] < 150,
        ),
    ]


if __name__ == "__main__":
    # The digest wake-up is due at once and is cancelled by the stop; APScheduler would print that as an error.
    logging.getLogger("apscheduler").setLevel(logging.CRITICAL)
    print(json.dumps(asyncio.run(measure(Path(sys.argv[1])))))
