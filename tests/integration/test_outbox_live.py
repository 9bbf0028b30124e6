"""The outbox against the real Synapse: answers to many people go out side by side, yet each person's direct
chat, each person's answers and each thread keep the order they were queued in; a bot the homeserver
rate-limits delivers everything anyway, once, in order, nothing refused."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
from nio.api import RoomPreset

from kiwibot.app import App
from tests.integration.conftest import World
from tests.integration.matrixkit import Event, User, replied_to

pytestmark = pytest.mark.integration

ROUNDS = 5


async def limit_messages(world: World, user_id: str, per_second: float, burst: int) -> None:
    """Synapse's per-user override of its message rate limit, through the admin API (the test server relaxes
    the limits for everyone else)."""
    admin = f"admin-{world.tag}"
    await asyncio.to_thread(world.synapse.register, admin, "pw-admin", True)
    token, _ = await asyncio.to_thread(world.synapse.login_token, admin, "pw-admin")
    url = f"{world.synapse.url}/_synapse/admin/v1/users/{user_id}/override_ratelimit"
    payload = {"messages_per_second": per_second, "burst_count": burst}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=payload, headers={"Authorization": f"Bearer {token}"}) as response,
    ):
        assert response.status == 200, await response.text()


def overlapping_sends(app: App) -> list[int]:
    """Counts the bot's sends on their way at once; [the most seen]."""
    client = app.bot.client
    original = client.room_send
    state = {"now": 0}
    most = [0]

    async def counted(*args: Any, **kwargs: Any) -> Any:
        state["now"] += 1
        most[0] = max(most[0], state["now"])
        try:
            return await original(*args, **kwargs)
        finally:
            state["now"] -= 1

    client.room_send = counted  # type: ignore[method-assign]
    return most


async def people(world: World, count: int) -> list[User]:
    return [await world.user(f"p{n}", join=(world.programme,)) for n in range(count)]


async def own_direct_chat(world: World, user: User) -> str:
    """The person opens a direct chat with the bot, as Element does; the bot joins it."""
    response = await user.client.room_create(
        is_direct=True, invite=[world.bot_id], preset=RoomPreset.trusted_private_chat
    )
    room_id: str = response.room_id
    deadline = time.monotonic() + 30
    while world.bot_id not in await members(user, room_id):
        assert time.monotonic() < deadline, "the bot did not join the direct chat"
        await asyncio.sleep(0.1)
    return room_id


async def members(user: User, room_id: str) -> list[str]:
    response = await user.client.joined_members(room_id)
    return [m.user_id for m in getattr(response, "members", [])]


Plan = list[tuple[str, str, dict[str, Any]]]


async def write_all(crowd: list[User], plans: dict[str, Plan]) -> dict[str, list[tuple[str, str]]]:
    """Every person sends their commands in order, all people at once: {person: [(room, event id)]}."""

    async def one(user: User) -> list[tuple[str, str]]:
        return [(room, await user.send(room, text, **extra)) for room, text, extra in plans[user.user_id]]

    results = await asyncio.gather(*(one(user) for user in crowd))
    return {user.user_id: result for user, result in zip(crowd, results, strict=True)}


async def answers(world: World, reader: User, rooms: set[str], wanted: int) -> dict[str, list[Event]]:
    """The bot's answers in each room, in the order the homeserver holds them, once `wanted` have arrived."""
    deadline = time.monotonic() + 120
    while True:
        found = {
            room: [e for e in await reader.history(room) if e["sender"] == world.bot_id and replied_to(e)]
            for room in rooms
        }
        if sum(len(v) for v in found.values()) >= wanted or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.5)


def in_thread(root: str) -> dict[str, Any]:
    return {
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": root,
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": root},
        }
    }


async def scenario(
    world: World, app: App, count: int
) -> tuple[dict[str, list[tuple[str, str]]], list[str], dict[str, list[Event]]]:
    """`count` people write `!ping` in the programme room, in one thread and in their own direct chat, each
    ROUNDS times, all at once. Returns what each wrote, the thread's commands in the order the homeserver got
    them, and the answers per room."""
    crowd = await people(world, count)
    root = await world.host.send(world.programme, "Fragen zur Reihe hier im Thread")
    chats = {user.user_id: await own_direct_chat(world, user) for user in crowd}
    plans = {
        user.user_id: [
            step
            for _ in range(ROUNDS)
            for step in (
                (world.programme, "!ping", {}),
                (world.programme, "!ping", in_thread(root)),
                (chats[user.user_id], "!ping", {}),
            )
        ]
        for user in crowd
    }
    written = await write_all(crowd, plans)
    rooms = {world.programme, *chats.values()}
    total = sum(len(plan) for plan in plans.values())
    found: dict[str, list[Event]] = {}
    for user in crowd:  # each person reads their own direct chat; the host the programme room
        found |= await answers(world, user, {chats[user.user_id]}, ROUNDS)
    found |= await answers(world, world.host, {world.programme}, total - count * ROUNDS)
    history = await world.host.history(world.programme)
    thread_commands = [
        e["event_id"]
        for e in history
        if e["sender"] != world.bot_id and (e["content"].get("m.relates_to") or {}).get("event_id") == root
    ]
    assert sum(len(v) for v in found.values()) == total, {r: len(v) for r, v in found.items()}
    assert rooms == set(found)
    return written, thread_commands, found


def check_order(
    written: dict[str, list[tuple[str, str]]], thread_commands: list[str], found: dict[str, list[Event]]
) -> None:
    arrived = {room: [replied_to(e) for e in events] for room, events in found.items()}
    every = [command for events in arrived.values() for command in events]
    assert len(every) == len(set(every))  # none answered twice
    thread = set(thread_commands)
    for user, sent in written.items():
        for room in {room for room, _ in sent}:
            mine = [event for r, event in sent if r == room and event not in thread]
            assert [c for c in arrived[room] if c in mine] == mine, f"{user} in {room}"
    programme = next(room for room, events in arrived.items() if set(thread_commands) <= set(events))
    assert [c for c in arrived[programme] if c in thread] == thread_commands  # the thread, in the order asked


async def test_many_peoples_answers_overlap_yet_keep_each_conversations_order(world: World) -> None:
    app = await world.start_bot(limits={"commands_per_minute": 1000})
    most = overlapping_sends(app)
    written, thread_commands, found = await scenario(world, app, count=4)
    check_order(written, thread_commands, found)
    assert most[0] > 1  # sent side by side, not one after another
    assert app.store.db.execute("SELECT COUNT(*) FROM outbox WHERE state = 'failed'").fetchone()[0] == 0


async def test_a_rate_limited_bot_delivers_everything_once_in_order_and_nothing_fails(world: World) -> None:
    await limit_messages(world, world.bot_id, per_second=4, burst=4)
    app = await world.start_bot(limits={"commands_per_minute": 1000})
    written, thread_commands, found = await scenario(world, app, count=3)
    check_order(written, thread_commands, found)
    assert app.bot.outbox.pace.limited > 0  # the homeserver did answer 429, and the bot slowed down
    assert app.store.db.execute("SELECT COUNT(*) FROM outbox WHERE state = 'failed'").fetchone()[0] == 0
    assert not app.store.pending_outbox()
