"""The foundation against a real Synapse: help, ping, unknown commands, plain chat, restarts, invites."""

from __future__ import annotations

import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import body, replied_to

pytestmark = pytest.mark.integration


async def test_ping_round_trip_is_a_rich_reply_notice(world: World) -> None:
    await world.start_bot()
    ping = await world.host.send(world.programme, "!ping")
    reply = await world.host.wait_reply(world.programme, ping, world.bot_id)
    content = reply["content"]
    assert content["msgtype"] == "m.notice"
    assert "Pong" in content["body"]
    assert content["format"] == "org.matrix.custom.html"
    assert "Pong" in content["formatted_body"]
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": ping}}
    assert content["m.mentions"] == {}
