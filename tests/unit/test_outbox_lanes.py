"""The outbox sends conversations side by side and each conversation in order; it honours rate limits.

Lane keys are checked on given rows; the sending on the real bot against `adapterkit.FakeServer`, whose sends
take a random time (so they overlap and could overtake each other) and which can answer 429 like a
rate-limited homeserver.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from nio import RoomSendError

from kiwibot.core.effects import Confirmation, Digest, NewsEdit, NewsPost, Notice, Notify, Overview, Reminder
from kiwibot.core.messages import Msg
from kiwibot.matrix.lanes import Pace, lane_of
from kiwibot.storage import OutboxItem
from kiwibot.storage.outbox import Owners
from tests.unit.adapterkit import BOB, CAROL, ROOM, Bot, FakeServer, in_thread, text

PEOPLE = [BOB, CAROL, "@dana:x", "@eve:x", "@fritz:x", "@gabi:x"]


def item(room: str = ROOM, purpose: Any = None, relates: dict[str, Any] | None = None) -> OutboxItem:
    content: dict[str, Any] = {"msgtype": "m.notice", "body": "x"}
    if relates is not None:
        content["m.relates_to"] = relates
    return OutboxItem(1, room, "m.room.message", content, purpose, "t1")


OWNERS = Owners(
    command_senders={"$cmd-bob": BOB, "$cmd-bob2": BOB, "$cmd-carol": CAROL},
    post_sessions={"$news7": 7},
    direct_people={"!dm-carol:x": CAROL},
)


@pytest.mark.parametrize(
    ("row", "lane"),
    [
        (item("dm:@bob:x"), "dm:@bob:x"),
        (item("!dm-carol:x", relates={"m.in_reply_to": {"event_id": "$cmd-carol"}}), "dm:@carol:x"),
        (item(purpose=NewsPost(7)), f"{ROOM} session 7"),
        (item(purpose=NewsEdit(7), relates={"rel_type": "m.replace", "event_id": "$news7"}), f"{ROOM} session 7"),
        (item(purpose=Notice(7)), f"{ROOM} session 7"),  # queued before the post was sent: no thread yet
        (
            item(purpose=Reminder(7, 15, datetime(2026, 12, 3, tzinfo=UTC)), relates=in_thread("$news7")),
            f"{ROOM} session 7",
        ),
        (item(relates={"m.in_reply_to": {"event_id": "$cmd-bob"}, **in_thread("$news7")}), f"{ROOM} session 7"),
        (item(relates=in_thread("$other")), f"{ROOM} thread $other"),
        (item(relates={"rel_type": "m.replace", "event_id": "$other"}), f"{ROOM} thread $other"),
        (item(relates={"m.in_reply_to": {"event_id": "$cmd-bob"}}), f"{ROOM} person {BOB}"),
        (item(purpose=Confirmation(), relates={"m.in_reply_to": {"event_id": "$cmd-bob2"}}), f"{ROOM} person {BOB}"),
        (item(relates={"m.in_reply_to": {"event_id": "$unknown"}}), f"{ROOM} reply $unknown"),
        (item(purpose=Overview()), f"{ROOM} overview"),
        (item("!digest:x", purpose=Digest(date(2026, 12, 3))), "!digest:x digest"),
        (item(), ROOM),
    ],
)
def test_each_message_belongs_to_its_conversation(row: OutboxItem, lane: str) -> None:
    assert lane_of(row, OWNERS) == lane


def test_a_rate_limit_halves_the_lanes_and_calm_sends_widen_them_again() -> None:
    pace = Pace(widest=8)
    pace.limited_for(10)
    pace.limited_for(10)
    assert (pace.width, pace.limited) == (2, 2)
    for _ in range(4):
        pace.sent()
    assert pace.width == 3
    for _ in range(100):
        pace.sent()
    assert pace.width == 8


# -- sending, on the real bot ---------------------------------------------------------------------------


@pytest.fixture
def server() -> FakeServer:
    return FakeServer(latency=0.01)


@pytest.fixture
def bot(tmp_path: Path, server: FakeServer, bots: list[Bot]) -> Bot:
    started = Bot(tmp_path, server)
    bots.append(started)
    return started


async def commands_of_many_people(bot: Bot, rounds: int = 5) -> dict[str, list[str]]:
    """Every person writes `!ping` `rounds` times, interleaved with the others: their command ids in order."""
    written: dict[str, list[str]] = {person: [] for person in PEOPLE}
    for _ in range(rounds):
        for person in PEOPLE:
            written[person].append(await bot.event(person, text("!ping")))
    return written


def answers_in_arrival_order(server: FakeServer) -> list[str]:
    """The commands the bot's messages answer, in the order the homeserver accepted them."""
    replied = [(e["content"].get("m.relates_to") or {}).get("m.in_reply_to") for e in server.sent()]
    return [r["event_id"] for r in replied if r]


def failed_rows(bot: Bot) -> int:
    return int(bot.app.store.db.execute("SELECT COUNT(*) FROM outbox WHERE state = 'failed'").fetchone()[0])


async def test_many_peoples_answers_go_out_side_by_side_each_persons_in_order(bot: Bot, server: FakeServer) -> None:
    written = await commands_of_many_people(bot)
    await bot.deliver()
    arrived = answers_in_arrival_order(server)
    assert sorted(arrived) == sorted(c for commands in written.values() for c in commands)  # each once
    for person, commands in written.items():
        assert [c for c in arrived if c in commands] == commands, person
    assert server.most_in_flight > 1  # not one after another


async def test_a_threads_messages_arrive_in_the_order_they_were_queued(bot: Bot, server: FakeServer) -> None:
    _, news = await bot.offer()
    queued = []
    for _ in range(4):
        for person in PEOPLE:
            queued.append(await bot.event(person, text("!ping", **{"m.relates_to": in_thread(news)})))
        await bot.event(BOB, text("!ping"))  # answers outside the thread may go between
    await bot.deliver()
    in_thread_of_news = [
        e["content"]["m.relates_to"]["m.in_reply_to"]["event_id"]
        for e in server.sent()
        if (e["content"].get("m.relates_to") or {}).get("event_id") == news
    ]
    assert in_thread_of_news == queued
    assert server.most_in_flight > 1


async def test_a_notice_queued_before_its_news_post_was_sent_still_comes_after_it(bot: Bot, server: FakeServer) -> None:
    await bot.event(BOB, text("!anbieten\nTitel: E-Akte\nTermin: 3.12.2026 14:00\nDauer: 60\nFormat: impuls"))
    with bot.app.store.transaction():
        bot.bot.posts.apply((Notify(1, Msg.of("ping.pong"), ()),))  # e.g. a change before the post went out
    await commands_of_many_people(bot, rounds=2)
    await bot.deliver()
    session = bot.app.store.get_session(1)
    assert session is not None and session.news_event
    order = [e["event_id"] for e in server.sent()]
    notices = [
        e["event_id"] for e in server.sent() if "Pong" in e["content"]["body"] and not e["content"].get("m.relates_to")
    ]
    assert len(notices) == 1
    assert order.index(session.news_event) < min(order.index(n) for n in notices)


async def test_rate_limit_answers_are_waited_out_and_sent_again_never_failed(bot: Bot, server: FakeServer) -> None:
    server.limit_every = 4  # a quarter of all sends is refused as too many
    written = await commands_of_many_people(bot)
    await bot.deliver()
    arrived = answers_in_arrival_order(server)
    assert server.refused_as_too_many >= 5 and bot.bot.outbox.pace.limited == server.refused_as_too_many
    assert sorted(arrived) == sorted(c for commands in written.values() for c in commands)  # all, none twice
    assert failed_rows(bot) == 0 and not bot.app.store.pending_outbox()
    for person, commands in written.items():
        assert [c for c in arrived if c in commands] == commands, person
    assert bot.bot.outbox.pace.width < bot.bot.outbox.pace.widest  # narrowed, not yet widened back fully


async def test_a_network_error_postpones_the_rest_and_the_next_flush_sends_it(
    bot: Bot, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = await commands_of_many_people(bot)
    client = bot.bot.client
    original = client.room_send

    async def goes_down(*args: Any, **kwargs: Any) -> Any:
        if len(server.sent()) >= 8:
            server.down = True
        return await original(*args, **kwargs)

    monkeypatch.setattr(client, "room_send", goes_down)
    await bot.deliver()
    left = len(bot.app.store.pending_outbox())
    assert 0 < left < 30 and failed_rows(bot) == 0  # postponed, not lost, not failed
    monkeypatch.setattr(client, "room_send", original)
    server.down = False
    await bot.deliver()
    arrived = answers_in_arrival_order(server)
    assert sorted(arrived) == sorted(c for commands in written.values() for c in commands)  # all, none twice
    for person, commands in written.items():
        assert [c for c in arrived if c in commands] == commands, person


def slow_offer_answers(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, refuse: bool = False
) -> list[tuple[str, float, float]]:
    """Each send as (what, start, end); the offer's answer takes long (and is refused if asked)."""
    sends: list[tuple[str, float, float]] = []
    client = bot.bot.client
    original = client.room_send

    async def timed(room_id: str, kind: str, content: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        what = (
            "answer" if "Link folgt" in str(content.get("body")) else "post" if "KIWI-Session" in str(content) else ""
        )
        began = asyncio.get_running_loop().time()
        if what == "answer":
            await asyncio.sleep(0.05)
            if refuse:
                sends.append((what, began, asyncio.get_running_loop().time()))
                return RoomSendError("You are not allowed to send here", "M_FORBIDDEN")
        try:
            return await original(room_id, kind, content, *args, **kwargs)
        finally:
            sends.append((what, began, asyncio.get_running_loop().time()))

    monkeypatch.setattr(client, "room_send", timed)
    return sends


OFFER = "!anbieten\nTitel: E-Akte\nTermin: 3.12.2026 14:00\nDauer: 60\nFormat: impuls"


async def test_a_news_post_waits_until_its_offer_answer_is_out(
    bot: Bot, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sent side by side, the post could reach the member's client first and the answer wait for its next sync."""
    sends = slow_offer_answers(bot, monkeypatch)
    await bot.event(BOB, text(OFFER))
    await commands_of_many_people(bot, rounds=1)  # other lanes are free to go meanwhile
    await bot.deliver()
    (answer,) = [s for s in sends if s[0] == "answer"]
    (post,) = [s for s in sends if s[0] == "post"]
    assert post[1] >= answer[2]
    assert min(s[1] for s in sends if not s[0]) < answer[2]  # the pings did not wait for the answer


async def test_a_refused_offer_answer_does_not_hold_its_post_back(
    bot: Bot, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sends = slow_offer_answers(bot, monkeypatch, refuse=True)
    await bot.event(BOB, text(OFFER))
    await bot.deliver()
    session = bot.app.store.get_session(1)
    assert session is not None and session.news_event
    assert [s[0] for s in sends][:2] == ["answer", "post"] and failed_rows(bot) == 1


async def test_everyones_first_answer_goes_out_before_anyones_second(bot: Bot, server: FakeServer) -> None:
    """A backlog is sent row by row, the oldest waiting row first: no conversation's whole queue goes ahead of
    the others, and at its end all conversations still send side by side (#15, B8)."""
    server.latency = 0.0  # sends finish in the order they start
    bot.bot.outbox.pace = Pace(widest=2)
    written = await commands_of_many_people(bot, rounds=3)
    await bot.deliver()
    arrived = answers_in_arrival_order(server)
    firsts = {commands[0] for commands in written.values()}
    assert set(arrived[: len(PEOPLE)]) == firsts
    for person, commands in written.items():
        assert [c for c in arrived if c in commands] == commands, person
