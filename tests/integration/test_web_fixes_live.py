"""The web side's fixes against the real Synapse and the bot's real HTTP server: dead links from an office's
shared address never slow a valid link there, only members move up from the waiting list, and a session that
has begun does not promise a waiting list on the page."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from tests.integration.chatkit import command, direct_chat, from_bot
from tests.integration.conftest import World
from tests.integration.matrixkit import body
from tests.integration.sessionkit import offer
from tests.integration.test_calendar_live import ask_for_links, fetch

pytestmark = pytest.mark.integration

OFFICE = {"X-Forwarded-For": "203.0.113.44"}  # one NAT address for a whole office, behind the local proxy


async def test_dead_links_from_an_office_never_slow_a_valid_link_from_there(world: World) -> None:
    await world.start_bot()
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    old, dm, first_text = await ask_for_links(world, anna, world.programme)
    assert "funktionieren weiter" not in first_text  # the very first links: there were no earlier ones
    new, _, renewed = await ask_for_links(world, anna, world.programme, "!kalender neu", dm=dm)
    assert "funktionieren ab sofort nicht mehr" in renewed
    valid, _, _ = await ask_for_links(world, bert, world.programme)

    for _ in range(12):  # calendars in the office still polling the revoked links
        status, headers, page = await fetch(old["mine"], OFFICE)
        assert status == 404 and headers["Content-Type"].startswith("text/html") and b"!kalender" in page
    for url in (valid["mine"], new["page"]):
        began = time.monotonic()
        assert (await fetch(url, OFFICE))[0] == 200
        assert time.monotonic() - began < 0.45  # not slowed: the revoked links were not guesses

    for n in range(14):  # real guesses from the same address
        assert (await fetch(f"{world.web_url}/feed/{'G' * 31}{n % 10}/mine.ics", OFFICE))[0] in (404, 429)
    answers = await asyncio.gather(*(fetch(valid["mine"], OFFICE) for _ in range(6)))
    assert [status for status, _, _ in answers] == [200] * 6  # never 429 for a valid link
    began = time.monotonic()
    status = (await fetch(f"{world.web_url}/feed/{'H' * 32}/mine.ics", OFFICE))[0]
    assert status == 429 or time.monotonic() - began >= 0.45  # guesses still wait
    assert (await fetch(new["page"] + "/", OFFICE))[0] == 200  # a trailing slash leads to the page


async def test_someone_who_left_the_network_does_not_move_up(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    cem = await world.user("cem", join=(world.programme,))
    number, _ = await offer(world, giver, title="Ein Platz", seats=1)
    for person in (anna, bert, cem):  # anna has the seat, bert and cem wait
        await command(world, person, f"!anmelden {number}")
    await world.stop_bot(app)
    members = [giver.user_id, anna.user_id, cem.user_id]  # bert has left the network
    await world.start_bot(access={"allowed_servers": ["elsewhere.example"]}, roles={"patrons": members})

    assert "abgemeldet" in await command(world, anna, f"!abmelden {number}")
    promoted = await cem.wait_for(world.programme, from_bot(world, "Platz frei geworden", "Ein Platz"))
    assert cem.user_id in str(promoted["content"]) and bert.user_id not in str(promoted["content"])
    assert "Direktnachricht" in await command(world, giver, f"!teilnehmende {number}")
    dm = await direct_chat(giver)
    listed = body(await giver.wait_for(dm, from_bot(world, f"Teilnehmende von Session {number}")))
    assert cem.user_id in listed and bert.user_id not in listed, listed
    told = [e for e in await giver.history(world.programme) if from_bot(world, "Platz frei geworden")(e)]
    assert len(told) == 1  # bert was never told of a seat


async def test_a_full_session_that_has_begun_does_not_promise_a_waiting_list(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, _ = await offer(world, giver, title="Schon voll", seats=1)
    await command(world, anna, f"!anmelden {number}")
    links, _, _ = await ask_for_links(world, giver, world.programme)
    before = (await fetch(links["page"]))[2].decode()
    assert "Ausgebucht" in before
    world.clock.set(app.store.get_session(number).starts_at + timedelta(minutes=5))  # type: ignore[union-attr]
    page = (await fetch(links["page"]))[2].decode()
    assert "Hat schon begonnen" in page and "Ausgebucht" not in page and "Warteliste" not in page
