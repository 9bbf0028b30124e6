"""People's names against the real Synapse: a co-giver the bot shares no room with is named on the page and in the
calendars by their display name (asked of the profile API), after a restart too; a rename reaches kept pages and
feeds; a mistyped co-giver's id is answered with a friendly error instead of being accepted."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Awaitable, Callable

import pytest
from nio import ProfileGetError, RoomGetEventResponse

from tests.integration.chatkit import command
from tests.integration.conftest import World
from tests.integration.sessionkit import linked_post, offer_text
from tests.integration.test_calendar_live import ask_for_links, fetch, parsed

pytestmark = pytest.mark.integration

TITLE = "Namen aus dem Profil"


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 15) -> None:
    """The page and feeds never wait for a lookup: a name asked in the background shows a moment later."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not await check():
        if loop.time() > end:
            raise AssertionError("the name did not show in time")
        await asyncio.sleep(0.3)


def offer_with(cogiver: str, title: str = TITLE) -> str:
    lines = offer_text(title=title).splitlines()
    lines.insert(-1, f"Co-Geber:in: {cogiver}")
    return "\n".join(lines)


async def shows(links: dict[str, str], name: str) -> bool:
    """Whether the page and the programme feed both name the co-giver `name`."""
    page = (await fetch(links["page"]))[2].decode()
    feed = parsed((await fetch(links["programme"]))[2]).get(TITLE)
    on_page = f"mit {html.escape(name, quote=False)}</bdi>" in page
    return on_page and feed is not None and f" mit {name}\n" in str(feed["DESCRIPTION"])


async def test_a_co_giver_the_bot_shares_no_room_with_is_named_by_display_name_after_a_restart_too(
    world: World,
) -> None:
    app = await world.start_bot()
    giver = await world.user("gerd", join=(world.programme,))
    ben = await world.user("ben")  # in no room the bot is in: no member event ever tells it his name
    await ben.client.set_displayname("Ben Beispiel")
    anna = await world.user("anna", join=(world.programme,))
    assert "Nummer" in await command(world, giver, offer_with(ben.user_id))
    links, _, _ = await ask_for_links(world, anna, world.programme)
    await eventually(lambda: shows(links, "Ben Beispiel"))

    await world.stop_bot(app)
    await world.start_bot()  # remembers no name: asks the homeserver again
    await eventually(lambda: shows(links, "Ben Beispiel"))
    localpart = ben.user_id.removeprefix("@").partition(":")[0]
    assert localpart not in (await fetch(links["page"]))[2].decode()


async def test_the_news_post_names_a_co_giver_by_display_name_in_its_plain_text(world: World) -> None:
    """The HTML's pill is named by the client; the plain text (notifications, simple clients) said the local part."""
    await world.start_bot()
    giver = await world.user("gerd", join=(world.programme,))
    ben = await world.user("ben")  # in no room the bot is in
    await ben.client.set_displayname("Ben Beispiel")
    sent = await giver.send(world.programme, offer_with(ben.user_id))
    answer = await giver.wait_reply(world.programme, sent, world.bot_id)
    assert "Nummer" in answer["content"]["body"], answer
    news = await linked_post(user=giver, bot_id=world.bot_id, room=world.programme, answer=answer)
    post = await giver.client.room_get_event(world.programme, news)
    assert isinstance(post, RoomGetEventResponse), post
    plain = post.event.source["content"]["body"]
    assert "Co-Geber:in: Ben Beispiel\n" in plain, plain


async def test_a_rename_reaches_the_kept_page_and_feed(world: World) -> None:
    await world.start_bot()
    giver = await world.user("gerd", join=(world.programme,))
    ben = await world.user("ben", join=(world.programme,))
    await ben.client.set_displayname("Ben Beispiel")
    anna = await world.user("anna", join=(world.programme,))
    assert "Nummer" in await command(world, giver, offer_with(ben.user_id))
    links, _, _ = await ask_for_links(world, anna, world.programme)
    await eventually(lambda: shows(links, "Ben Beispiel"))
    assert await shows(links, "Ben Beispiel")  # kept now

    await ben.client.set_displayname("Ben Neu")  # a member event in the programme room
    await eventually(lambda: shows(links, "Ben Neu"))


async def test_a_mistyped_co_giver_gets_a_friendly_answer_in_the_persons_language(world: World) -> None:
    app = await world.start_bot()  # no network membership configured: any id on any server would pass
    giver = await world.user("gerd", join=(world.programme,))
    ben = await world.user("ben", join=(world.programme,))
    server = giver.user_id.partition(":")[2]
    typo = f"@bne-{world.tag}:{server}"
    quoted = typo.replace("@", "@\u2060")  # an id quoted back never mentions anyone: a word joiner after the @
    answer = await command(world, giver, offer_with(typo))
    assert "Dein Angebot ist noch nicht ganz richtig" in answer and "Nummer" not in answer, answer
    assert f"Das Konto {quoted} gibt es nicht – ist die Matrix-ID vertippt?" in answer, answer
    assert app.store.upcoming(world.clock.now()) == []

    answer = await command(world, giver, offer_with(ben.user_id))  # the right one is taken
    number = app.store.upcoming(world.clock.now())[0].id
    assert "Nummer" in answer, answer
    answer = await command(world, giver, f"!ändern {number}\nCo-Geber:in: {ben.user_id}, {typo}")
    assert f"Das Konto {quoted} gibt es nicht" in answer, answer
    assert app.store.get_session(number).cogivers == (ben.user_id,)

    await command(world, giver, "!sprache en")
    answer = await command(world, giver, f"!edit {number}\nCo-host: {typo}")
    assert f"The account {quoted} does not exist – is the Matrix ID mistyped?" in answer, answer


async def test_a_member_without_display_name_or_picture_can_be_named_co_giver(world: World) -> None:
    """Synapse answers the profile of an account with no display name and no picture with 404 "Profile was not
    found", as it does for an account that does not exist: a member of the programme room was refused as a typo."""
    await world.start_bot()
    giver = await world.user("gerd", join=(world.programme,))
    ben = await world.user("ben")
    await ben.client.set_displayname("")  # Synapse keeps no name then (registration gave the local part)
    profile = await giver.client.get_profile(ben.user_id)
    assert isinstance(profile, ProfileGetError) and profile.status_code == "M_NOT_FOUND", profile
    await world.host.client.room_invite(world.programme, ben.user_id)
    await ben.join(world.programme)  # the bot sees him join, with no name
    answer = await command(world, giver, offer_with(ben.user_id))
    assert "Nummer" in answer and "gibt es nicht" not in answer, answer
