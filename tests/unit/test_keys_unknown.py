"""A failed keys query is "cannot tell now", not "has no device with keys", offline with the bot's real crypto:
the person's direct chat is not opened (unencrypted for good) on that guess but waits, their messages stay
queued, and the chat is opened encrypted once the query works; a person whose homeserver keeps failing gets
theirs unencrypted after a bound, and an unencrypted chat is asked about again soon after a failed query.
(Against the real Synapse: tests/integration/test_keys_unknown_live.py.)"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from nio import AsyncClient, MatrixRoom

from kiwibot.matrix.direct_encryption import RETRY_SECONDS, DirectEncryption, Rechecks
from kiwibot.matrix.key_queries import GIVE_UP_SECONDS, QueryFailures
from kiwibot.matrix.lanes import DIRECT
from tests.unit.adapterkit import BOB, BOT, CAROL, Bot, FakeServer, text

DANA = "@dana:dead.example"  # on a homeserver that does not answer over federation
MEGOLM = "m.megolm.v1.aes-sha2"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def crypto_bot(tmp_path: Path, server: FakeServer, bots: list[Bot], clock: Clock) -> Bot:
    """The bot with its real crypto (its own device keys) on the offline homeserver."""
    bot = Bot(tmp_path, server)
    bots.append(bot)
    client = bot.bot.client
    client.device_id, client.access_token = "KIWIDEVICE", "token"
    crypto = bot.bot.outbox.crypto
    crypto.load()
    crypto.failures = QueryFailures(clock=clock)
    return bot


async def phone_of(tmp_path: Path, user_id: str) -> dict[str, dict[str, Any]]:
    """The signed device keys an encrypting client of `user_id` publishes."""
    store = tmp_path / f"phone-{user_id}"
    store.mkdir()
    phone = AsyncClient("http://homeserver.invalid", user_id, device_id="PHONE", store_path=str(store))
    phone.user_id = user_id  # as after a login
    phone.load_store()
    assert phone.olm is not None
    keys: dict[str, Any] = phone.olm.share_keys()["device_keys"]
    await phone.close()
    return {"PHONE": keys}


def opened(server: FakeServer, invited: str) -> list[list[dict[str, Any]]]:
    """The encryption state of each direct chat opened with `invited`."""
    return [
        [e for e in server.created_state[room] if e["type"] == "m.room.encryption"]
        for room, invite in server.created
        if invite == [invited]
    ]


def queued_for(bot: Bot, user_id: str) -> int:
    return sum(item.room_id == DIRECT + user_id for item in bot.app.store.pending_outbox())


async def test_a_failed_keys_query_opens_nothing_and_the_next_flush_opens_the_chat_encrypted(
    tmp_path: Path, bots: list[Bot]
) -> None:
    server = FakeServer(keys_error="502")  # Synapse restarting behind its proxy
    bot = crypto_bot(tmp_path, server, bots, Clock())
    await bot.event(BOB, text("!kalender"))
    await bot.deliver()
    assert server.keys_queries >= 1
    assert opened(server, BOB) == []  # not opened unencrypted on a guess
    assert queued_for(bot, BOB) == 1  # the links wait, still queued

    server.keys_error = ""
    server.device_keys[BOB] = await phone_of(tmp_path, BOB)
    await bot.deliver()  # the next flush (after the next sync)
    ((state,),) = opened(server, BOB)
    assert state["content"]["algorithm"] == MEGOLM


async def test_a_person_whose_homeserver_keeps_failing_gets_the_chat_unencrypted_after_the_bound(
    tmp_path: Path, bots: list[Bot], caplog: pytest.LogCaptureFixture
) -> None:
    server = FakeServer(unreachable={"dead.example"})
    clock = Clock()
    bot = crypto_bot(tmp_path, server, bots, clock)
    caplog.set_level(logging.DEBUG, logger="kiwibot.matrix.key_queries")
    await bot.event(DANA, text("!kalender"))
    await bot.event(CAROL, text("!kalender"))  # reachable, no device with keys: that is known at once
    await bot.deliver()
    assert opened(server, CAROL) == [[]]
    assert opened(server, DANA) == []
    for _ in range(2):
        clock.now += GIVE_UP_SECONDS / 2 - 1
        await bot.deliver()
        assert opened(server, DANA) == [] and queued_for(bot, DANA) == 1
    warned = [r for r in caplog.records if r.levelno == logging.WARNING and DANA in r.getMessage()]
    assert len(warned) == 1, [r.getMessage() for r in warned]  # the same failure: once an hour at most
    assert "dead.example did not answer" in warned[0].getMessage()

    clock.now += 2
    await bot.deliver()
    assert opened(server, DANA) == [[]]  # failing for longer than the bound: she still gets her messages


async def test_an_unencrypted_chat_is_asked_about_again_soon_after_a_failed_query(
    tmp_path: Path, bots: list[Bot]
) -> None:
    server = FakeServer(keys_error="502")
    clock = Clock()
    bot = crypto_bot(tmp_path, server, bots, clock)
    client = bot.bot.client
    room = MatrixRoom("!dm:x", BOT)
    room.add_member(BOT, None, None)
    room.add_member(BOB, None, None)
    client.rooms[room.room_id] = room
    switch = DirectEncryption(client, bot.bot.outbox.crypto, Rechecks(clock=clock))
    assert not await switch.must_wait(room.room_id, BOB)
    assert (room.room_id, "m.room.encryption") not in server.state

    server.keys_error = ""
    server.device_keys[BOB] = await phone_of(tmp_path, BOB)
    clock.now += RETRY_SECONDS  # not an hour: the failure was "cannot tell", not "no keys"
    assert await switch.must_wait(room.room_id, BOB)
    assert server.state[(room.room_id, "m.room.encryption")] == {"algorithm": MEGOLM}


def test_a_failure_long_after_the_last_starts_a_new_run() -> None:
    clock = Clock()
    failures = QueryFailures(give_up=600, clock=clock)
    failures.failed(DANA, "down")
    clock.now += 500
    failures.failed(DANA, "down")
    assert not failures.given_up(DANA)
    clock.now += 3600  # nothing asked in between: an old failure does not make this one "failing for long"
    failures.failed(DANA, "down")
    assert failures.failing_for(DANA) == 0 and not failures.given_up(DANA)
    clock.now += 600
    failures.failed(DANA, "down")
    assert failures.given_up(DANA)
    failures.succeeded(DANA)
    assert not failures.given_up(DANA)
