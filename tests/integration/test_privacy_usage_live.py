"""The privacy commands as people type them, against the real Synapse (found by using the bot): "!meine daten" as
two words, a co-giver told how to take themselves off before being forgotten, "Bestätigen!" with a closing mark,
and the export of a person who asked in a room: times as the chat showed them, the direct chat it opened named."""

from __future__ import annotations

import json

import pytest

from tests.integration.chatkit import command, direct_chat, from_bot
from tests.integration.conftest import World
from tests.integration.matrixkit import body, download
from tests.integration.sessionkit import day, offer
from tests.integration.test_privacy_live import SENT, a_file

pytestmark = pytest.mark.integration


async def test_a_person_asks_for_their_data_in_two_words_and_gets_it_by_direct_message(world: World) -> None:
    await world.start_bot()
    dan = await world.user("dan", join=(world.programme,))
    assert await command(world, dan, "!meine daten") == SENT
    dm = await direct_chat(dan)
    summary = await dan.wait_for(dm, from_bot(world, "Deine Daten bei KIWI"))
    assert "nur, dass es diesen Direktchat mit dir gibt" in body(summary)
    data = json.loads(await download(dan, (await dan.wait_for(dm, a_file(world)))["content"]["url"]))
    assert data["direct_chat"]["exists"] is True  # the chat the file came in
    assert data["exported_at"].endswith(("+01:00", "+02:00")) and data["times_are"].startswith("Ortszeit Europe")


async def test_a_co_giver_is_told_how_to_step_down_and_then_forgotten(world: World) -> None:
    await world.start_bot()
    gabi = await world.user("gabi", join=(world.programme,))
    erin = await world.user("erin", join=(world.programme,))
    number, _ = await offer(world, gabi, title="Zu zweit", when=day(7, "10:00"))
    await command(world, gabi, f"!ändern {number}\nCo-Geber:in: {erin.user_id}")

    refused = await command(world, erin, "!vergessen")
    assert f"Du bist noch Co-Geber:in dieser Session:\n• Nr. {number} „Zu zweit“" in refused
    assert f"`!ändern {number} Co-Geber:in: -`" in refused and "@name" not in refused
    assert "geändert" in await command(world, erin, f"!ändern {number} Co-Geber:in: -")
    assert "Soll ich dich vergessen?" in await command(world, erin, "!vergessen")
    done = await command(world, erin, "!vergessen Bestätigen!")
    assert done.startswith("Erledigt: Ich habe dich vergessen.")
