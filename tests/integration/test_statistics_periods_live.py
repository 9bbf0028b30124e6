"""Statistics periods open at one end, typed the way staff type them, against the real Synapse: "seit März 2026",
"seit 1.3.2026", "bis heute", "since 2026"; a period not understood gets the accepted forms in the asker's
language."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import User, body
from tests.integration.test_attachments_live import answers
from tests.integration.test_statistics_live import seeded
from tests.unit.statskit import NOW

pytestmark = pytest.mark.integration


async def title_of(user: User, world: World, command: str) -> str:
    """The first line of the bot's text answer to `command` (the chart and the table follow as files)."""
    sent = await user.send(world.programme, command)
    reply, image, file = await answers(user, world.programme, sent, world.bot_id, 3)
    assert image["content"]["msgtype"] == "m.image" and file["content"]["msgtype"] == "m.file"
    return body(reply).splitlines()[0]


async def test_open_periods_in_german_and_english(world: World) -> None:
    world.clock.set(NOW)  # 21 November 2026; the first recorded session is of December 2025
    seeded(world)
    admin = await world.user("admin", join=(world.programme,))
    await world.start_bot(roles={"admins": [admin.user_id]})

    assert "KIWI-Statistik Januar 2026 – November 2026" in await title_of(admin, world, "!statistik seit 2026")
    assert "KIWI-Statistik März 2026 – November 2026" in await title_of(admin, world, "!statistik seit März 2026")
    assert "KIWI-Statistik März 2026 – November 2026" in await title_of(admin, world, "!statistik seit 1.3.2026")
    assert "KIWI-Statistik Dezember 2025 – November 2026" in await title_of(admin, world, "!statistik bis heute")

    bad = await admin.send(world.programme, "!statistik seit gestern Abend")
    text = body(await admin.wait_reply(world.programme, bad, world.bot_id))
    assert "Den Zeitraum „seit gestern Abend“ verstehe ich nicht" in text
    assert "„seit März 2026“" in text and "„bis heute“" in text and "`2026`" in text

    world.clock.shift(timedelta(minutes=2))  # the bot answers at most 10 commands a minute per person
    switch = await admin.send(world.programme, "!sprache en")
    await admin.wait_reply(world.programme, switch, world.bot_id)
    assert "KIWI statistics January 2026 – November 2026" in await title_of(admin, world, "!stats since 2026")
    assert "KIWI statistics March 2026 – November 2026" in await title_of(admin, world, "!stats since March 2026")
    assert "KIWI statistics December 2025 – November 2026" in await title_of(admin, world, "!stats until today")

    bad = await admin.send(world.programme, "!stats since forever")
    text = body(await admin.wait_reply(world.programme, bad, world.bot_id))
    assert "I don't understand the period “since forever”" in text
    assert "“since March 2026”" in text and "“until today”" in text

    future = await admin.send(world.programme, "!stats since 2027")
    assert "has not begun yet" in body(await admin.wait_reply(world.programme, future, world.bot_id))


async def test_periods_people_write_this_month_last_months_a_month_alone_a_quarter(world: World) -> None:
    world.clock.set(NOW)  # 21 November 2026
    seeded(world)
    admin = await world.user("admin", join=(world.programme,))
    await world.start_bot(roles={"admins": [admin.user_id]})

    assert "KIWI-Statistik November 2026" in await title_of(admin, world, "!statistik diesen Monat")
    assert "KIWI-Statistik August 2026 – Oktober 2026" in await title_of(admin, world, "!statistik letzte 3 Monate")
    assert "KIWI-Statistik Oktober 2026 – November 2026" in await title_of(admin, world, "!statistik Q4 2026")
    assert "KIWI-Statistik Dezember 2025" in await title_of(admin, world, "!statistik Dezember")
    assert "KIWI-Statistik November 2025 – Oktober 2026" in await title_of(admin, world, "!stats last 12 months")
    bad = await admin.send(world.programme, "!statistik irgendwann")
    text = body(await admin.wait_reply(world.programme, bad, world.bot_id))
    assert "„Q4 2026“" in text and "„letzte 3 Monate“" in text and "„diesen Monat“" in text
