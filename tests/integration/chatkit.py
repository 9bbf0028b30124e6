"""Talking to the bot as a person does: a command and its answer, the bot's direct chat, waiting until it is idle."""

from __future__ import annotations

from collections.abc import Callable

from tests.integration.conftest import World
from tests.integration.matrixkit import Event, User, body


def from_bot(world: World, *words: str) -> Callable[[Event], bool]:
    """Matches a message of the bot that says all of `words`."""
    return lambda e: e.get("sender") == world.bot_id and all(word in body(e) for word in words)


async def command(world: World, user: User, text: str, room: str | None = None) -> str:
    """Send a command as a person types it and return the bot's answer."""
    room = room or world.programme
    sent = await user.send(room, text)
    return body(await user.wait_reply(room, sent, world.bot_id))


async def direct_chat(user: User) -> str:
    """Join the bot's direct chat with `user`: its invite may have come with an earlier sync (while waiting for
    an answer), which `accept_direct_chat` would not see again."""
    for _ in range(60):
        invited = list(user.client.invited_rooms)
        if invited:
            await user.join(invited[0])
            await user.sync_once(timeout_ms=0)
            return invited[0]
        await user.sync_once(timeout_ms=500)
    raise AssertionError(f"no direct chat invite for {user.user_id}")


async def settle(world: World, user: User) -> None:
    """Everything the bot had to do before now is done once it answered a later !ping."""
    await command(world, user, "!ping")
