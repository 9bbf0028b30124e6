"""The foundation under stress: a handler that crashes, an unreachable homeserver, a signal to stop."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import socket
from datetime import timedelta

import pytest

from kiwibot.app import App
from kiwibot.core.service import Kiwi
from tests.integration.conftest import World
from tests.integration.matrixkit import body, membership, replied_to

pytestmark = pytest.mark.integration


async def test_a_crashing_command_is_reported_with_a_reference_and_the_loop_goes_on(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(self: Kiwi, user_id: str, language: str) -> str:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(Kiwi, "set_language", explode)
    await world.start_bot()
    boom = await world.host.send(world.programme, "!sprache en")
    text = body(await world.host.wait_reply(world.programme, boom, world.bot_id))
    assert "schiefgelaufen" in text
    assert "secret internal detail" not in text
    ref = text.rsplit(" ", 1)[-1]
    assert any(boom in r.getMessage() and ref in r.getMessage() for r in caplog.records)
    ping = await world.host.send(world.programme, "!ping")
    await world.host.wait_reply(world.programme, ping, world.bot_id)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Attempts(logging.Handler):
    """Collects the bot's 'unreachable' log lines and wakes the test at the third."""

    def __init__(self, wanted: int) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.records: list[logging.LogRecord] = []
        self.wanted = wanted
        self.enough = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        if "unreachable" in record.getMessage():
            self.lines.append(record.getMessage())
            if len(self.lines) >= self.wanted:
                self.enough.set()


async def test_unreachable_homeserver_is_retried_with_growing_backoff(world: World) -> None:
    handler = _Attempts(wanted=3)
    logger = logging.getLogger("kiwibot")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        app = App(world.config(homeserver=f"http://127.0.0.1:{_free_port()}"), clock=world.clock)
        world.apps.append(app)
        await app.start(wait_ready=None)
        await asyncio.wait_for(handler.enough.wait(), timeout=30)
    finally:
        logger.removeHandler(handler)
    lines = handler.lines
    assert "attempt 1, next try in 1 s" in lines[0]
    assert "attempt 2, next try in 2 s" in lines[1]
    assert "attempt 3, next try in 4 s" in lines[2]
    assert not any(r.exc_info for r in handler.records)


async def test_sigterm_stops_the_bot_cleanly(world: World) -> None:
    proc = await world.spawn_bot(output=True)
    try:
        await world.host.wait_for(
            world.programme,
            membership(world.bot_id, "join"),
            within=60,
        )
        ping = await world.host.send(world.programme, "!ping")
        await world.host.wait_reply(world.programme, ping, world.bot_id, within=60)
        proc.send_signal(signal.SIGTERM)
        stdout, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    finally:
        if proc.returncode is None:
            proc.kill()
    output = stdout.decode()
    assert proc.returncode == 0, output
    assert "stopped" in output
    assert "Traceback" not in output


async def test_a_second_instance_on_the_same_database_refuses_to_start(world: World) -> None:
    await world.start_bot()
    proc = await world.spawn_bot(output=True)
    stdout, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 1
    assert "already running" in stdout.decode()
    ping = await world.host.send(world.programme, "!ping")
    await world.host.wait_reply(world.programme, ping, world.bot_id)
    replies = [e for e in await world.host.history(world.programme) if e["sender"] == world.bot_id and body(e)]
    assert sum("Pong" in body(e) for e in replies) == 1


async def test_rate_limit_says_the_commands_are_not_done_and_when_to_send_them_again(world: World) -> None:
    app = await world.start_bot(limits={"commands_per_minute": 3})
    chatty = await world.user("chatty", join=(world.programme,))
    pings = [await chatty.send(world.programme, "!ping") for _ in range(3)]
    for ping in pings:
        await chatty.wait_reply(world.programme, ping, world.bot_id)
    over = await chatty.send(world.programme, "!ping")
    note = body(await chatty.wait_reply(world.programme, over, world.bot_id))
    told = world.clock.now()
    assert "sehr viele Befehle" in note and "Diesen und alle weiteren Befehle führe ich vorerst nicht aus" in note
    named = re.search(r"bitte schick sie ab (\d\d:\d\d) Uhr noch einmal", note)
    assert named is not None, note
    local = told.astimezone(app.config.timezone)
    wait = (int(named[1][:2]) * 60 + int(named[1][3:]) - (local.hour * 60 + local.minute)) % (24 * 60)
    assert 1 <= wait <= 2, (named[1], local)  # the first ping's minute ends within the next minute, rounded up

    silent = await chatty.send(world.programme, "!ping")  # the rest of the burst: no second note at once
    other = await world.host.send(world.programme, "!ping")  # others are not limited
    await world.host.wait_reply(world.programme, other, world.bot_id)
    answered = {replied_to(e) for e in await world.host.history(world.programme) if e["sender"] == world.bot_id}
    assert silent not in answered
    assert app.store.is_handled(silent)

    world.clock.shift(timedelta(seconds=25))  # a retry, but too early: told once more, with the same time
    retry = await chatty.send(world.programme, "!ping")
    reminder = body(await chatty.wait_reply(world.programme, retry, world.bot_id))
    assert reminder == f"Auch diesen Befehl führe ich noch nicht aus. Bitte schick ihn ab {named[1]} Uhr noch einmal."

    world.clock.shift(timedelta(seconds=60))  # after the time named: carried out again
    again = await chatty.send(world.programme, "!ping")
    assert "Pong" in body(await chatty.wait_reply(world.programme, again, world.bot_id))


async def test_non_members_get_one_polite_refusal_and_their_reactions_do_not_count(world: World) -> None:
    app = await world.start_bot(access={"allowed_servers": ["kiwi.example"]}, roles={"admins": [world.host.user_id]})
    outsider = await world.user("outsider", join=(world.programme,))
    first = await outsider.send(world.programme, "!ping")
    assert "nur für Mitglieder" in body(await outsider.wait_reply(world.programme, first, world.bot_id))
    second = await outsider.send(world.programme, "!hilfe")
    marker = await world.host.send(world.programme, "!ping")
    reply = await world.host.wait_reply(world.programme, marker, world.bot_id)
    assert "Pong" in body(reply)  # admins named in the config count as members
    answered = {replied_to(e) for e in await world.host.history(world.programme) if e["sender"] == world.bot_id}
    assert second not in answered
    assert app.store.is_handled(second)
