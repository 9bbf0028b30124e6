"""Helpers for the learning loop's tests: a command's answer, and waiting until a living post shows a text."""

from __future__ import annotations

import time

from tests.integration.conftest import World
from tests.integration.matrixkit import User, body, current_content


async def ask(user: User, world: World, text: str, room: str | None = None) -> str:
    """Send a command (to the programme room by default) and return the text of the bot's reply."""
    room = room or world.programme
    sent = await user.send(room, text)
    return body(await user.wait_reply(room, sent, world.bot_id))


async def shows(world: World, watcher: User, post: str, text: str, *, gone: bool = False, within: float = 60) -> str:
    """Until the post (after its newest edit) shows `text` (or, with `gone`, no longer does); returns its body.

    Asks the server each time rather than looking for an edit in what sync showed: a post may have shown the
    text before and changed since."""
    deadline = time.monotonic() + within
    while (text in (shown := (await current_content(watcher, world.programme, post))["body"])) == gone:
        assert time.monotonic() < deadline, f"the post never {'lost' if gone else 'showed'} {text!r}; it shows: {shown}"
        await watcher.sync_once(timeout_ms=500)
    return shown
