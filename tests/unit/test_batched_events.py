"""A run of reactions and redactions shares one transaction, a savepoint each (#15): one commit for many events,
and still nothing twice, nothing lost, and a bad event failing alone."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from kiwibot.core.effects import Outcome
from kiwibot.core.errors import StorageUnavailable
from tests.unit.adapterkit import ROOM, Bot, FakeServer, reaction, text


@pytest.fixture
def bot(tmp_path: Path, bots: list[Bot]) -> Bot:
    started = Bot(tmp_path, FakeServer())
    bots.append(started)
    return started


def commits(bot: Bot) -> list[str]:
    """Every COMMIT the bot's connection runs from now on."""
    seen: list[str] = []
    bot.app.store.db.conn.set_trace_callback(lambda sql: seen.append(sql) if sql.startswith("COMMIT") else None)
    return seen


def signed_up(bot: Bot, session: int) -> set[str]:
    return set(bot.app.store.attendees(session))


async def test_a_run_of_reactions_is_one_commit_and_each_counts_once(bot: Bot) -> None:
    session, news = await bot.offer()
    events = [bot.server.add(ROOM, f"@p{n}:x", "m.reaction", reaction(news)) for n in range(20)]
    seen = commits(bot)
    await bot.bot.sync._handle_events(ROOM, events)
    assert len(seen) == 1
    assert signed_up(bot, session) == {f"@p{n}:x" for n in range(20)}
    await bot.bot.sync._handle_events(ROOM, events)  # delivered again (a replay after a crash)
    assert len(bot.app.store.reaction_sources(session)) == 20


async def test_one_failing_event_of_a_run_fails_alone_and_is_skipped_as_before(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    session, news = await bot.offer()
    events = [bot.server.add(ROOM, f"@p{n}:x", "m.reaction", reaction(news)) for n in range(5)]
    sign_up = bot.app.kiwi.sign_up

    def failing(user_id: str, *args: Any) -> Outcome:
        outcome = sign_up(user_id, *args)  # its writes are made, then undone with its savepoint
        if user_id == "@p2:x":
            raise RuntimeError("a bug in one use case")
        return outcome

    monkeypatch.setattr(bot.app.kiwi, "sign_up", failing)
    with caplog.at_level(logging.ERROR):
        await bot.bot.sync._handle_events(ROOM, events)
    assert signed_up(bot, session) == {"@p0:x", "@p1:x", "@p3:x", "@p4:x"}
    assert not bot.app.store.is_handled(events[2]["event_id"])
    assert all(bot.app.store.is_handled(e["event_id"]) for e in events if e is not events[2])
    assert f"failed to handle event {events[2]['event_id']}" in caplog.text
    assert not bot.bot.sync._retry_events  # a bug is not retried: logged and skipped, as one at a time


async def test_a_database_refusal_in_a_run_is_handled_one_event_at_a_time(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, news = await bot.offer()
    events = [bot.server.add(ROOM, f"@p{n}:x", "m.reaction", reaction(news)) for n in range(4)]
    sign_up = bot.app.kiwi.sign_up
    refused: list[str] = []

    def refusing(user_id: str, *args: Any) -> Outcome:
        if user_id == "@p1:x" and refused.count(user_id) < 2:  # the shared run, then p1's own transaction
            refused.append(user_id)
            raise StorageUnavailable("disk full")
        return sign_up(user_id, *args)

    monkeypatch.setattr(bot.app.kiwi, "sign_up", refusing)
    await bot.bot.sync._handle_events(ROOM, events)
    assert signed_up(bot, session) == {"@p0:x", "@p2:x", "@p3:x"}
    assert [e["event_id"] for _, e in bot.bot.sync._retry_events] == [events[1]["event_id"]]
    await bot.bot.sync._retry_waiting_events()  # after the next sync
    assert signed_up(bot, session) == {f"@p{n}:x" for n in range(4)}


async def test_commands_between_reactions_keep_their_order_and_own_transaction(bot: Bot) -> None:
    session, news = await bot.offer()
    first = bot.server.add(ROOM, "@p0:x", "m.reaction", reaction(news))
    second = bot.server.add(ROOM, "@p1:x", "m.reaction", reaction(news))
    command = bot.server.add(ROOM, "@p0:x", "m.room.message", text(f"!abmelden {session}"))
    third = bot.server.add(ROOM, "@p2:x", "m.reaction", reaction(news))
    await bot.bot.sync._handle_events(ROOM, [first, second, command, third])
    assert signed_up(bot, session) == {"@p1:x", "@p2:x"}  # p0 signed off after the 👍, as they wrote it
    assert any("abgemeldet" in a["body"] for a in bot.answers())
