"""Faults on purpose: the homeserver goes away for half a minute while a reminder falls due."""

from __future__ import annotations

import asyncio
import logging
import random
import signal
import sqlite3
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiwibot.app import App
from kiwibot.config import parse_config
from kiwibot.core.clock import ShiftedClock
from kiwibot.devserver import LocalSynapse
from tests.integration.conftest import World
from tests.integration.matrixkit import (
    User,
    body,
    current_content,
    in_thread_of,
    is_edit_of,
    make_user,
    mentions,
    react,
    redact,
    replied_to,
)
from tests.integration.sessionkit import day, offer, offer_text

pytestmark = pytest.mark.integration
OUTAGE = 30.0


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []
        self.changed = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.changed.set()

    async def wait_for(self, predicate, within: float) -> None:
        async with asyncio.timeout(within):
            while not predicate(self.messages):
                self.changed.clear()
                await self.changed.wait()


@pytest.fixture
async def own_server(tmp_path: Path) -> AsyncIterator[LocalSynapse]:
    server = LocalSynapse(tmp_path / "hs")
    await asyncio.to_thread(server.start)
    try:
        yield server
    finally:
        await asyncio.to_thread(server.stop)


async def test_homeserver_outage_loses_nothing_and_reminds_once(own_server: LocalSynapse, tmp_path: Path) -> None:
    host = await make_user(own_server, "host")
    anna = await make_user(own_server, "anna")
    bot_id = own_server.register("kiwibot", "pw-bot")
    programme = await host.create_room("Programm", invite=[bot_id, anna.user_id], power_users={bot_id: 50})
    digest = await host.create_room("Tagesprogramm", invite=[bot_id])
    await anna.join(programme)
    config = parse_config(
        {
            "homeserver": own_server.url,
            "user_id": bot_id,
            "password": "pw-bot",
            "database": str(tmp_path / "k.db"),
            "rooms": {"programme": programme, "digest": digest},
            "reminders": [60],
        },
        tmp_path,
        {},
    )
    clock = ShiftedClock()
    log = Lines()
    logging.getLogger("kiwibot").addHandler(log)
    app = App(config, clock=clock)
    try:
        await app.start()
        sent = await host.send(programme, offer_text(when=day(2, "10:00")))
        await host.wait_reply(programme, sent, bot_id)
        session = app.store.get_session(1)
        news = session.news_event
        await react(anna, programme, news)
        ping = await anna.send(programme, "!ping")
        await anna.wait_reply(programme, ping, bot_id)
        assert app.store.attendees(1) == [anna.user_id]

        await asyncio.to_thread(own_server.stop)
        down_at = time.monotonic()
        clock.set(session.starts_at - timedelta(minutes=59))  # the reminder falls due during the outage
        await log.wait_for(lambda lines: sum("unreachable" in m for m in lines) >= 5, within=60)
        await asyncio.sleep(max(0.0, OUTAGE - (time.monotonic() - down_at)))  # the fault itself lasts 30 s
        await asyncio.to_thread(own_server.start)
        await log.wait_for(lambda lines: any("reachable again" in m for m in lines), within=60)

        reminder = await anna.wait_for(
            programme, lambda e: in_thread_of(e, news) and "Erinnerung" in body(e), within=60
        )
        assert mentions(reminder) == sorted([host.user_id, anna.user_id])
        after = await anna.send(programme, "!anmelden 1")
        assert "schon angemeldet" in body(await anna.wait_reply(programme, after, bot_id))
        history = await anna.history(programme)
        assert sum(1 for e in history if in_thread_of(e, news) and "Erinnerung" in body(e)) == 1
        assert app.store.attendees(1) == [anna.user_id]
        assert [s for _, _, s in app.store.reminder_states(1)] == ["sent"]
        attempts = [m for m in log.messages if "unreachable" in m]
        assert "attempt 1" in attempts[0] and "attempt 5" in attempts[4]
    finally:
        logging.getLogger("kiwibot").removeHandler(log)
        await app.stop()
        for user in (host, anna):
            await user.close()


async def test_a_locked_database_gets_try_again_later_and_nothing_is_lost(world: World) -> None:
    """Another process holds the database: commands are answered "try again later", none is lost."""
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    blocker = sqlite3.connect(world.tmp / "kiwibot.db", timeout=1)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        sent = await giver.send(world.programme, offer_text(title="Trotz Sperre"))
        told = await giver.wait_reply(world.programme, sent, world.bot_id, within=60)
        assert "versuche es in ein paar Minuten" in body(told)
        assert app._task is not None and not app._task.done()  # the bot keeps running
    finally:
        blocker.rollback()
        blocker.close()
    # Once the database is free again the same offer is handled: it was not lost, and not doubled.
    confirmed = await giver.wait_for(
        world.programme,
        lambda e: e["sender"] == world.bot_id and "Nummer 1" in body(e),
        within=60,
    )
    assert confirmed
    ping = await giver.send(world.programme, "!ping")
    await giver.wait_reply(world.programme, ping, world.bot_id)
    assert [s.title for s in app.store.upcoming(world.clock.now())] == ["Trotz Sperre"]
    replies = [e for e in await giver.history(world.programme) if e["sender"] == world.bot_id and "Nummer" in body(e)]
    assert len(replies) == 1


async def test_sigkill_at_random_points_during_signup_bursts(world: World) -> None:
    """Three bursts of reactions and withdrawals, the bot killed hard in the middle of each; then the
    stored signups equal the reactions in the room and the news post shows the exact count."""
    rng = random.Random(20261121)
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    _, news = await offer(world, giver)
    await world.stop_bot(app)
    people = await asyncio.gather(*(world.user(f"k{i}", join=(world.programme,)) for i in range(100)))
    reaction: dict[str, str | None] = {p.user_id: None for p in people}

    async def toggle(person: User) -> None:
        current = reaction[person.user_id]
        if current is None:
            reaction[person.user_id] = await react(person, world.programme, news)
        else:
            await redact(person, world.programme, current)
            reaction[person.user_id] = None

    config = world.config_file()
    for burst in range(3):
        bot = await world.spawn_bot(config)
        chosen = people if burst == 0 else rng.sample(people, 40)
        work = asyncio.gather(*(toggle(p) for p in chosen))
        await asyncio.sleep(rng.uniform(0.3, 2.0))  # the fault: a kill at a random moment of the burst
        bot.send_signal(signal.SIGKILL)
        await bot.wait()
        await work

    expected = sorted(user for user, event in reaction.items() if event is not None)
    bot = await world.spawn_bot(config)
    try:
        await giver.wait_for(
            world.programme,
            lambda e: is_edit_of(e, news) and f"{len(expected)} Teilnehmende" in e["content"]["m.new_content"]["body"],
            within=90,
        )
        ping = await giver.send(world.programme, "!ping")
        await giver.wait_reply(world.programme, ping, world.bot_id)
    finally:
        bot.send_signal(signal.SIGTERM)
        await bot.wait()
    stored = sqlite3.connect(world.tmp / "kiwibot.db")
    assert sorted(r[0] for r in stored.execute("SELECT user_id FROM signups WHERE session_id = 1")) == expected
    assert f"{len(expected)} Teilnehmende" in (await current_content(giver, world.programme, news))["body"]
    pongs = [e for e in await giver.history(world.programme) if replied_to(e) == ping]
    assert len(pongs) == 1
