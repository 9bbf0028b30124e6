"""B9: fan-out — a reminder to a session with 1,000 participants, the daily digest with 500 sessions ahead.

The participants are real accounts in the programme room who signed up with a 👍 on the news post (so
Synapse pays for every member's push rules on every message, as in a real room). The reminder is made due
two seconds ahead in the database and the scheduler is told: it fires on its own, the reminder's messages
(50 pings each) are queued and sent. Measured: from the moment it was due to the last message accepted by
Synapse. Then 500 sessions in the coming week are written into the database, today's digest is made owed
again and the scheduler told; measured the same way.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bench.b8_drain import Held
from bench.net import Network, Peer, reaction
from bench.report import Row
from kiwibot.app import App
from kiwibot.storage.times import iso

AHEAD = 2.0  # seconds between planting a due time and that time


def rows_of(app: App, purpose: str, after: int) -> list[int]:
    cursor = app.store.db.execute("SELECT id FROM outbox WHERE purpose = ? AND id > ? ORDER BY id", (purpose, after))
    return [row[0] for row in cursor]


def last_row(app: App) -> int:
    return int(app.store.db.execute("SELECT COALESCE(MAX(id), 0) FROM outbox").fetchone()[0])


async def until(held: Held, check: Callable[[], bool], within: float) -> None:
    """Look again at every row marked, until `check` holds."""
    async with asyncio.timeout(within):
        while True:
            held.changed.clear()
            if check():
                return
            await held.changed.wait()


async def remind(app: App, held: Held, session: int) -> tuple[float, int]:
    """Make the session's day-before reminder due AHEAD seconds from now: (seconds from due to the last
    message accepted, messages)."""
    before = last_row(app)
    due = datetime.now(UTC) + timedelta(seconds=AHEAD)
    due_at = time.monotonic_ns() + int(AHEAD * 1e9)
    with app.store.transaction():
        app.store.db.execute(
            "UPDATE reminders SET due_at = ? WHERE session_id = ? AND offset_minutes = 1440", (iso(due), session)
        )
    app.bot.wakeups.poke()

    def delivered() -> bool:
        state = app.store.db.execute(
            "SELECT state FROM reminders WHERE session_id = ? AND offset_minutes = 1440", (session,)
        ).fetchone()[0]
        return bool(state == "sent")

    await until(held, delivered, within=120)
    ids = rows_of(app, "reminder", before)
    return (max(held.marked[i] for i in ids) - due_at) / 1e9, len(ids)


def plant_sessions(app: App, count: int, room: str, givers: list[str]) -> None:
    """`count` open sessions over the next six days, as if offered and announced (their posts' ids made up).

    Givers are real accounts of the homeserver: ids of another server would make it try federation for each name.
    """
    now = datetime.now(UTC).replace(microsecond=0)
    first = now + timedelta(days=1)
    step = timedelta(days=6) / count
    rows = [
        (
            givers[n % len(givers)],
            f"Session {n}: E-Akte, Verwaltung digital",
            iso(first + n * step),
            iso(first + n * step + timedelta(hours=1)),
            f"https://meet.example.org/kiwi/{n}",
            room,
            f"$news-b9-{n:04d}-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            iso(now),
            iso(now),
        )
        for n in range(count)
    ]
    with app.store.transaction():
        app.store.db.conn.executemany(
            """INSERT INTO sessions (giver, title, starts_at, ends_at, duration, format, description, link,
                                     news_room, news_event, news_hash, created_at, updated_at)
               VALUES (?, ?, ?, ?, 60, 'talk', 'Benchmark', ?, ?, ?, 'x', ?, ?)""",
            rows,
        )


async def digest(app: App, held: Held) -> tuple[float, int, int]:
    """Today's digest owed again, the scheduler told: (seconds from due to the last message accepted,
    messages, of them refused)."""
    with app.store.transaction():
        app.store.db.execute("DELETE FROM digests")
    before = last_row(app)
    failed = held.failed
    due_at = time.monotonic_ns()
    app.bot.wakeups.poke()  # the digest is owed now: the scheduler runs it at once

    def done() -> bool:
        ids = rows_of(app, "digest", before)
        return bool(ids) and all(i in held.marked for i in ids)

    await until(held, done, within=120)
    ids = rows_of(app, "digest", before)
    return (max(held.marked[i] for i in ids) - due_at) / 1e9, len(ids), held.failed - failed


async def run(net: Network, participants: int, sessions: int) -> list[Row]:
    began = time.monotonic()
    community = await net.community("b9", members=participants + 1)
    giver, members = community.members[0], community.members[1:]
    made = time.monotonic() - began
    held: list[Held] = []
    app = await community.start_bot(prepare=lambda a: held.append(Held(a)), digest={"time": "00:00"})
    try:
        number, news = await community.offer(app, giver, "Großveranstaltung")
        sender = await Peer.start(net.synapse.url, members)
        try:
            reports = await sender.burst(
                [(p, community.programme, "m.reaction", reaction(news)) for p in range(len(members))]
            )
        finally:
            await sender.close()
        await community.wait_handled([r["event_id"] for r in reports], within=600)
        await community.settled(app, within=300)
        reminder_s, chunks = await remind(app, held[0], number)
        await community.settled(app, within=300)
        plant_sessions(app, sessions - 1, community.programme, [m.user_id for m in members[:40]])
        digest_s, messages, refused = await digest(app, held[0])
    finally:
        await app.stop()
        await community.host.close()
    return [
        Row(
            "B9",
            f"reminder to a session with {participants:,} participants: due → last message accepted",
            f"{reminder_s:.2f} s ({chunks} messages of ≤ 50 pings; {participants:,} members in the room, made in "
            f"{made:.0f} s)",
            "< 5 s",
            reminder_s < 5,
        ),
        Row(
            "B9",
            f"daily digest with {sessions} sessions in the coming week: due → last message accepted",
            f"{digest_s:.2f} s ({messages} message(s), refused {refused})",
            "< 5 s",
            digest_s < 5 and refused == 0,
        ),
    ]
