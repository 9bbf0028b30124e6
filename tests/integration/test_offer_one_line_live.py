"""Offers typed on one line, as in a single-line chat box, against the real Synapse: German and English field
names, a description that keeps its colon, the template joined into one line, and problems named as usual."""

from __future__ import annotations

import html
import re

import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import body
from tests.integration.sessionkit import day, linked_post

pytestmark = pytest.mark.integration


async def test_a_one_line_offer_is_read_field_by_field(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    when = day(3, "14:00")
    sent = await giver.send(
        world.programme,
        f"!anbieten Titel: E-Akte Termin: {when} Dauer: 60 Format: impuls Beschreibung: Wir lernen: Akten anlegen",
    )
    reply = await giver.wait_reply(world.programme, sent, world.bot_id)
    match = re.search(r"Nummer (\d+)", body(reply))
    assert match, body(reply)
    news = await linked_post(user=giver, bot_id=world.bot_id, room=world.programme, answer=reply)
    post = body(await giver.wait_for(world.programme, lambda e: e["event_id"] == news))
    assert f"KIWI-Session {match[1]}: E-Akte" in post.splitlines()[0]
    assert "14:00 Uhr (60 Minuten)" in post and "Impuls – " in post
    assert "Wir lernen: Akten anlegen" in post
    stored = app.store.get_session(int(match[1]))
    assert stored is not None and (stored.title, stored.duration) == ("E-Akte", 60)

    bad = await giver.send(world.programme, "!anbieten Titel: E-Akte Termin: gestern 10 Uhr Dauer: 45 Format: impuls")
    text = body(await giver.wait_reply(world.programme, bad, world.bot_id))
    assert "liegt in der Vergangenheit" in text and "45" in text
    assert "verstehe ich nicht" not in text and "fehlt" not in text  # every field was found

    switch = await giver.send(world.programme, "!sprache en")
    await giver.wait_reply(world.programme, switch, world.bot_id)
    sent = await giver.send(
        world.programme, f"!offer Title: E-file basics When: {day(4, '10:00')} Duration: 90 Format: workshop"
    )
    text = body(await giver.wait_reply(world.programme, sent, world.bot_id))
    match = re.search(r"number (\d+)", text)
    assert match, text
    stored = app.store.get_session(int(match[1]))
    assert stored is not None and (stored.title, stored.duration) == ("E-file basics", 90)


async def test_the_template_joined_into_one_line_works(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    ask = await giver.send(world.programme, "!anbieten")
    reply = await giver.wait_reply(world.programme, ask, world.bot_id)
    template = reply["content"]["formatted_body"].split("<pre><code>")[1].split("</code></pre>")[0]
    lines = html.unescape(template).strip().split("\n")
    lines[1], lines[-1] = "Titel: Excel im Team", "Beschreibung: Pivot-Tabellen: so geht's."
    sent = await giver.send(world.programme, " ".join(lines))  # pasted into a box that joins the lines
    text = body(await giver.wait_reply(world.programme, sent, world.bot_id))
    match = re.search(r"Nummer (\d+)", text)
    assert match, text
    stored = app.store.get_session(int(match[1]))
    assert stored is not None and stored.title == "Excel im Team"
    assert stored.description == "Pivot-Tabellen: so geht's."
