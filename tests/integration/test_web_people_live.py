"""Names on the web side against the real Synapse and the bot's real HTTP server: a session with co-givers shows
them with the giver, by display name, on the programme page and in every calendar (the programme feed, a co-giver's
own feed, the session's file); aiohttp's own answer to a malformed request carries the security headers."""

from __future__ import annotations

import asyncio
import html
import re

import aiohttp
import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import User, body
from tests.integration.sessionkit import linked_post, offer_text
from tests.integration.test_calendar_live import ask_for_links, fetch, parsed

pytestmark = pytest.mark.integration

TITLE = "Aktenplan zu dritt"


async def named_user(world: World, name: str, display_name: str) -> User:
    """A member whose display name is set before joining, so the room knows it from the first message on."""
    user = await world.user(name)
    await user.client.set_displayname(display_name)
    await world.host.client.room_invite(world.programme, user.user_id)
    await user.join(world.programme)
    return user


async def test_co_givers_are_named_with_the_giver_on_the_page_and_in_every_calendar(world: World) -> None:
    await world.start_bot()
    giver = await named_user(world, "gerd", "Gerd Geber")
    ben = await named_user(world, "ben", "Ben Beispiel")
    cem = await named_user(world, "cem", "Cem <i>Kursiv</i>")
    anna = await world.user("anna", join=(world.programme,))
    lines = offer_text(title=TITLE).splitlines()
    lines.insert(-1, f"Co-Geber:in: {ben.user_id}, {cem.user_id}")
    sent = await giver.send(world.programme, "\n".join(lines))
    reply = await giver.wait_reply(world.programme, sent, world.bot_id)
    assert "Nummer" in body(reply), body(reply)
    post = await linked_post(user=giver, bot_id=world.bot_id, room=world.programme, answer=reply)
    givers = "Gerd Geber mit Ben Beispiel, Cem <i>Kursiv</i>"

    links, _, _ = await ask_for_links(world, anna, world.programme)
    status, headers, page = await fetch(links["page"])
    assert status == 200 and headers["X-Frame-Options"] == "DENY"
    text = page.decode()
    assert f"<bdi>{html.escape(givers, quote=False)}</bdi>" in text and "<i>Kursiv" not in text
    assert ben.user_id not in text and cem.user_id not in text

    programme = parsed((await fetch(links["programme"]))[2])[TITLE]
    assert f"Session-Geber:in: {givers}\n" in str(programme["DESCRIPTION"])
    bens_links, _, _ = await ask_for_links(world, ben, world.programme)
    own = parsed((await fetch(bens_links["mine"]))[2])[TITLE]  # a co-giver's own feed holds the session
    assert f"Session-Geber:in: {givers}\n" in str(own["DESCRIPTION"])
    news = (await anna.client.room_get_event(world.programme, post)).event.source["content"]
    file_url = re.search(rf"{re.escape(world.web_url)}/session/[0-9a-f]+\.ics", news["formatted_body"])
    assert file_url
    single = parsed((await fetch(file_url.group(0)))[2])[TITLE]
    assert f"Session-Geber:in: {givers}\n" in str(single["DESCRIPTION"])
    for event in (programme, own, single):
        assert "@" not in str(event["DESCRIPTION"]).partition("Session-Geber:in:")[2].partition("\n")[0]

    # The same session in English for a reader who chose it.
    switched = await anna.send(world.programme, "!sprache en")
    await anna.wait_reply(world.programme, switched, world.bot_id)
    english = parsed((await fetch(links["programme"]))[2])[TITLE]
    assert "Session giver: Gerd Geber with Ben Beispiel, Cem <i>Kursiv</i>\n" in str(english["DESCRIPTION"])
    assert "Gerd Geber with Ben Beispiel" in (await fetch(links["page"]))[2].decode()


async def test_aiohttps_own_answer_to_a_malformed_request_carries_the_security_headers(world: World) -> None:
    await world.start_bot()
    reader, writer = await asyncio.open_connection("127.0.0.1", world.web_port)
    try:
        writer.write(b"GARBAGE\r\n\r\n")
        await writer.drain()
        answer = (await asyncio.wait_for(reader.read(), 5)).decode("latin-1")
    finally:
        writer.close()
    head = answer.partition("\r\n\r\n")[0].split("\r\n")
    assert " 400 " in head[0]
    assert {"X-Frame-Options: DENY", "X-Content-Type-Options: nosniff", "Server: kiwibot"} <= set(head)
    assert any(line.startswith("Content-Security-Policy: default-src 'none'") for line in head)
    async with aiohttp.ClientSession() as session, session.delete(world.web_url + "/p/nothing") as response:
        assert response.status == 405 and response.headers["Referrer-Policy"] == "no-referrer"
