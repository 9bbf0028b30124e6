"""B1: what one reaction costs inside the bot, from the event dict to the committed signup.

No homeserver: the adapter's per-event handler is called directly on a real SQLite file, so the figure is
the bot's own work (lookups, the signup transaction, effects) and nothing else. Sending is stubbed; the
debounced post edits run between events as they would in the real loop, and the scheduler's wake-ups run
as in the started bot (every use case sets them again from the database). With 50 seats a post, most of
the reactions get a waiting-list place and their person a notice in the thread: one queued message each.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from nio import RoomSendResponse

from bench.report import Row, spread
from kiwibot.app import App
from kiwibot.config import Config, parse_config
from kiwibot.core.model import Format, SessionDraft

ROOM = "!programme:localhost"


async def _fake_send(
    room_id: str, event_type: str, content: Any, tx_id: str | None = None, **_: Any
) -> RoomSendResponse:
    return RoomSendResponse(f"$sent-{tx_id}", room_id)


def _config(folder: Path) -> Config:
    """A bot that never reaches a homeserver: port 9 is closed, sending is stubbed."""
    folder.mkdir(parents=True, exist_ok=True)
    return parse_config(
        {
            "homeserver": "http://127.0.0.1:9",
            "user_id": "@kiwibot:localhost",
            "password": "unused",
            "database": str(folder / "kiwibot.db"),
            "rooms": {"programme": ROOM, "digest": "!digest:localhost"},
            "log_level": "WARNING",
        },
        folder,
        {},
    )


async def _nothing() -> None:
    return None


async def measure(folder: Path, events: int, sessions: int) -> list[float]:
    """Seconds per reaction: `events` reactions spread over `sessions` news posts, each from its own person."""
    app = App(_config(folder))
    bot, store = app.bot, app.store
    bot.client.room_send = _fake_send  # type: ignore[method-assign]
    bot.rooms.programme = ROOM
    bot.posts._pin_if_pending = _nothing  # type: ignore[method-assign]
    bot.wakeups.start()  # as the running bot: without it `poke()` after each use case costs nothing
    now = datetime.now(UTC)
    news = []
    for n in range(sessions):
        draft = SessionDraft(
            giver="@giver:localhost",
            title=f"Session {n}",
            starts_at=now + timedelta(days=3, hours=n),
            duration=60,
            format=Format.TALK,
            seats=50,
        )
        session = store.create_session(draft, now)
        store.update_session(session.id, now, news_room=ROOM, news_event=f"$news{n}")
        news.append(f"$news{n}")
    stamp = int(time.time() * 1000)
    samples: list[float] = []
    try:
        for i in range(events):
            event = {
                "type": "m.reaction",
                "event_id": f"$reaction{i}",
                "sender": f"@member{i // sessions}:localhost",
                "origin_server_ts": stamp + i,
                "room_id": ROOM,
                "content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": news[i % sessions], "key": "👍"}},
            }
            began = time.perf_counter()
            await bot.sync.on_event(ROOM, event)
            samples.append(time.perf_counter() - began)
            await asyncio.sleep(0)  # let the debounced edits run between events, as the sync loop would
        stored = store.db.execute("SELECT COUNT(*) FROM signup_sources").fetchone()[0]
        if stored != events:
            raise RuntimeError(f"B1: {stored} signups stored for {events} reactions")
    finally:
        await bot.wakeups.shutdown()
        await bot.posts.stop()
        await app.stop()
    return samples


async def run(folder: Path, events: int) -> list[Row]:
    spread_over = await measure(folder / "many", events, sessions=50)
    one_post = await measure(folder / "one", events, sessions=1)
    return [
        Row(
            "B1",
            f"reaction → signup committed, in-process, real SQLite ({events:,} events on 50 posts)",
            spread(spread_over),
            "median < 0.5 ms",
            sorted(spread_over)[len(spread_over) // 2] < 0.0005,
        ),
        Row("B1", f"same, all {events:,} on one post (worst case)", spread(one_post)),
    ]
