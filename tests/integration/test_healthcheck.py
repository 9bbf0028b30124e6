"""`kiwibot health` beside the real bot process (as a container's HEALTHCHECK runs it) against the real Synapse."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.integration.conftest import World

pytestmark = pytest.mark.integration


async def health(config: Path) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "kiwibot", "health", "--config", str(config),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_health_says_syncing_while_the_bot_syncs_and_not_running_after_it_stopped(world: World) -> None:
    config = world.config_file()
    code, text = await health(config)
    assert code == 1 and text.startswith("not running"), text
    bot = await world.spawn_bot(config)
    try:
        deadline = time.monotonic() + 60
        while (result := await health(config))[0] != 0:
            assert time.monotonic() < deadline, result
            await asyncio.sleep(0.5)
        assert result[1].startswith("syncing: the last successful sync was"), result
        ping = await world.host.send(world.programme, "!ping")
        await world.host.wait_reply(world.programme, ping, world.bot_id)  # healthy means: it answers
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 30)
    code, text = await health(config)
    assert code == 1 and text.startswith("not running"), text
