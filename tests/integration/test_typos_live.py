"""Mistyped commands against the real Synapse: each gets the command meant, named in the asker's language."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import User, body

pytestmark = pytest.mark.integration


async def answer(user: User, world: World, text: str) -> str:
    sent = await user.send(world.programme, text)
    return body(await user.wait_reply(world.programme, sent, world.bot_id))


async def test_typos_get_the_command_meant(world: World) -> None:
    anna = await world.user("anna", join=(world.programme,))
    await world.start_bot()

    for typo, meant in [
        ("!wünsch", "!wunsch"),
        ("!wünsch Barrierefreie PDFs", "!wunsch"),
        ("!wunsche Barrierefreie PDFs", "!wunsch"),
        ("!anbietn", "!anbieten"),
        ("!kalendr", "!kalender"),
        ("!abmeldn 3", "!abmelden"),
        ("!hilfee", "!hilfe"),
    ]:
        text = await answer(anna, world, typo)
        word = typo.split()[0]
        assert f"Den Befehl `{word}` kenne ich nicht. Meintest du `{meant}`?" in text, (typo, text)

    # `!wunsch` is a command: without a topic it says how to wish (no "kenne ich nicht")
    text = await answer(anna, world, "!wunsch")
    assert "kenne ich nicht" not in text and "Wünsch dir ein Thema: `!wunsch Thema`" in text

    world.clock.shift(timedelta(minutes=2))  # the bot answers at most 10 commands a minute per person
    await answer(anna, world, "!sprache en")
    text = await answer(anna, world, "!calender")
    assert "I don't know the command `!calender`. Did you mean `!calendar`?" in text
    text = await answer(anna, world, "!wishs Accessible PDFs")
    assert "Did you mean `!wish`?" in text
    text = await answer(anna, world, "!hlep")
    assert "Did you mean `!help`?" in text
