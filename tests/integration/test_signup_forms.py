"""Sign-ups as people really make them: 👍 in every skin tone, 👍 mixed with commands, full sessions,
other people's changes, English readers, and the wording of counts (real Synapse, real nio users)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import (
    User,
    accept_direct_chat,
    body,
    current_content,
    in_thread_of,
    mentions,
    react,
    redact,
)
from tests.integration.sessionkit import day, offer, offer_text, participants
from tests.integration.test_signups import wait_count

pytestmark = pytest.mark.integration

# Five skin tones and the variation selector: what phone keyboards and clients send for 👍.
THUMBS = ["👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿", "👍\ufe0f"]


async def settle(world: World, user: User) -> None:
    """All the bot had queued before is sent once it answered a later !ping (the outbox keeps order)."""
    ping = await user.send(world.programme, "!ping")
    await user.wait_reply(world.programme, ping, world.bot_id)


async def test_every_skin_tone_signs_up_and_its_redaction_signs_off(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    people = await asyncio.gather(*(world.user(f"tone{i}", join=(world.programme,)) for i in range(len(THUMBS))))
    number, news = await offer(world, giver)
    reactions = [await react(p, world.programme, news, key) for p, key in zip(people, THUMBS, strict=True)]
    await wait_count(world, giver, news, participants(len(THUMBS)))
    assert sorted(app.store.attendees(number)) == sorted(p.user_id for p in people)
    for person, reaction in zip(people, reactions, strict=True):
        await redact(person, world.programme, reaction)
    await wait_count(world, giver, news, participants(0))
    assert app.store.attendees(number) == []


async def test_two_tones_from_one_person_count_once_until_both_are_gone(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer(world, giver)
    light = await react(anna, world.programme, news, "👍🏼")
    dark = await react(anna, world.programme, news, "👍🏿")
    await wait_count(world, giver, news, participants(1))
    await redact(anna, world.programme, light)
    await settle(world, anna)
    assert app.store.attendees(number) == [anna.user_id], "the other 👍 is still there"
    await redact(anna, world.programme, dark)
    await wait_count(world, giver, news, participants(0))


async def test_skin_tone_reactions_made_while_the_bot_was_stopped_are_read_back(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    number, news = await offer(world, giver)
    people = await asyncio.gather(*(world.user(f"off{i}", join=(world.programme,)) for i in range(len(THUMBS))))
    early = await react(people[0], world.programme, news, "👍🏾")
    await wait_count(world, giver, news, participants(1))
    await world.stop_bot(app)
    for person, key in zip(people[1:], THUMBS[1:], strict=True):
        await react(person, world.programme, news, key)
    await redact(people[0], world.programme, early)
    for n in range(110):  # beyond what one sync shows: the reactions must be read back
        await world.host.send(world.programme, f"Plauderei {n}")
    app = await world.start_bot()
    await wait_count(world, giver, news, participants(len(THUMBS) - 1))
    assert sorted(app.store.attendees(number)) == sorted(p.user_id for p in people[1:])


async def test_a_thumb_on_a_full_session_tells_the_waiting_list_place(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    number, news = await offer(world, giver, seats=1)
    await react(anna, world.programme, news, "👍🏽")
    await react(bert, world.programme, news, "👍🏽")
    told = await bert.wait_for(world.programme, lambda e: in_thread_of(e, news) and "Warteliste" in body(e))
    assert mentions(told) == [bert.user_id]
    assert "Platz 1 der Warteliste" in body(told)
    assert app.store.attendees(number) == [anna.user_id, bert.user_id]


async def test_removing_the_thumb_signs_off_a_command_signup_too_and_says_so(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer(world, giver)
    sent = await anna.send(world.programme, f"!anmelden {number}")
    await anna.wait_reply(world.programme, sent, world.bot_id)
    thumb = await react(anna, world.programme, news)
    await settle(world, anna)
    await redact(anna, world.programme, thumb)
    told = await anna.wait_for(world.programme, lambda e: in_thread_of(e, news) and "entfernt" in body(e))
    assert mentions(told) == [anna.user_id] and "abgemeldet" in body(told)
    assert app.store.attendees(number) == []
    await settle(world, anna)
    assert participants(0) in (await current_content(giver, world.programme, news))["body"]
    # and the other way round: !abmelden says the 👍 no longer counts
    await react(anna, world.programme, news, "👍🏻")
    await wait_count(world, giver, news, participants(1))
    gone = await anna.send(world.programme, f"!abmelden {number}")
    assert "zählt nicht mehr" in body(await anna.wait_reply(world.programme, gone, world.bot_id))


async def test_no_waiting_list_news_after_a_cancellation(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    number, news = await offer(world, giver, seats=1)
    anna_thumb = await react(anna, world.programme, news)
    await react(bert, world.programme, news)
    await bert.wait_for(world.programme, lambda e: in_thread_of(e, news) and "Warteliste" in body(e))
    cancel = await giver.send(world.programme, f"!absagen {number}")
    await giver.wait_reply(world.programme, cancel, world.bot_id)
    await redact(anna, world.programme, anna_thumb)
    await settle(world, bert)
    later = await bert.history(world.programme)
    assert not [e for e in later if "frei geworden" in body(e)]
    assert app.store.attendees(number) == [bert.user_id]


async def test_the_giver_is_told_when_an_admin_changes_repeats_or_cancels(world: World) -> None:
    await world.start_bot(roles={"admins": [world.host.user_id]})
    giver = await world.user("giver", join=(world.programme,))
    number, _ = await offer(world, giver)
    edit = await world.host.send(world.programme, f"!ändern {number}\nLink: https://meet.example.org/neu")
    await world.host.wait_reply(world.programme, edit, world.bot_id)
    dm = await accept_direct_chat(giver)
    changed = await giver.wait_for(dm, lambda e: e["sender"] == world.bot_id and "geändert" in body(e))
    assert "host-" in body(changed) and f"Session {number}" in body(changed)

    repeat = await world.host.send(world.programme, f"!wiederholen {number} {day(10)}")
    confirmation = body(await world.host.wait_reply(world.programme, repeat, world.bot_id, within=60))
    assert "Deine Session" not in confirmation and f"Session {number} wird wiederholt" in confirmation
    repeated = await giver.wait_for(dm, lambda e: e["sender"] == world.bot_id and "wiederholt" in body(e))
    assert "neue Session" in body(repeated)

    cancel = await world.host.send(world.programme, f"!absagen {number} Raum belegt")
    await world.host.wait_reply(world.programme, cancel, world.bot_id)
    cancelled = await giver.wait_for(dm, lambda e: e["sender"] == world.bot_id and "abgesagt" in body(e))
    assert "Raum belegt" in body(cancelled)


async def test_notices_reach_an_english_reader_in_english(world: World) -> None:
    await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    emma = await world.user("emma", join=(world.programme,))
    choose = await emma.send(world.programme, "!language en")
    await emma.wait_reply(world.programme, choose, world.bot_id)
    number, news = await offer(world, giver, seats=1)
    anna_thumb = await react(anna, world.programme, news)
    await react(emma, world.programme, news)
    waiting = await emma.wait_for(world.programme, lambda e: in_thread_of(e, news) and emma.user_id in mentions(e))
    assert "waiting list" in body(waiting) and "Warteliste" not in body(waiting)
    await redact(anna, world.programme, anna_thumb)
    promoted = await emma.wait_for(world.programme, lambda e: in_thread_of(e, news) and "seat came free" in body(e))
    assert mentions(promoted) == [emma.user_id]
    cancel = await giver.send(world.programme, f"!absagen {number}")
    await giver.wait_reply(world.programme, cancel, world.bot_id)
    told = await emma.wait_for(world.programme, lambda e: in_thread_of(e, news) and "cancelled" in body(e))
    assert mentions(told) == [emma.user_id]


async def test_wording_of_counts_and_reminder_choices(world: World) -> None:
    await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer(world, giver, seats=2)
    page = await anna.send(world.programme, "!programm 99")
    assert "das Programm hat nur 1 Seite." in body(await anna.wait_reply(world.programme, page, world.bot_id))
    await react(anna, world.programme, news)
    await wait_count(world, giver, news, "1 teilnehmende Person")
    off = await anna.send(world.programme, "!erinnerung aus")
    await anna.wait_reply(world.programme, off, world.bot_id)
    on = await anna.send(world.programme, "!erinnerung an")
    assert "im Faden" in body(await anna.wait_reply(world.programme, on, world.bot_id))
    odd = await anna.send(world.programme, "!erinnerung vielleicht")
    assert "„vielleicht“ kenne ich nicht" in body(await anna.wait_reply(world.programme, odd, world.bot_id))
    mine = await anna.send(world.programme, "!meine")
    text = body(await anna.wait_reply(world.programme, mine, world.bot_id))
    assert "  " not in text and "Ankündigung" in text
    lower = await giver.send(world.programme, f"!ändern {number}\nPlätze: 1")
    await giver.wait_reply(world.programme, lower, world.bot_id)
    bert = await world.user("bert", join=(world.programme,))
    await react(bert, world.programme, news)
    await bert.wait_for(world.programme, lambda e: in_thread_of(e, news) and "Warteliste" in body(e))
    lower = await giver.send(world.programme, f"!ändern {number}\nPlätze: 2")
    await giver.wait_reply(world.programme, lower, world.bot_id)
    lower = await giver.send(world.programme, f"!ändern {number}\nPlätze: 1")
    await giver.wait_reply(world.programme, lower, world.bot_id)
    demoted = await bert.wait_for(world.programme, lambda e: in_thread_of(e, news) and "nur noch" in body(e))
    assert "nur noch 1 Platz," in body(demoted)


async def test_second_tries_and_late_sign_offs_as_people_make_them(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    text = offer_text(seats=1, description="Erste Zeile.\nZweite Zeile.")
    first = await giver.send(world.programme, text)
    await giver.wait_reply(world.programme, first, world.bot_id)
    again = await giver.send(world.programme, text)  # the same offer sent a second time
    answer = body(await giver.wait_reply(world.programme, again, world.bot_id))
    assert "schon angeboten" in answer and "Nr. 1" in answer
    assert app.store.get_session(2) is None
    news = app.store.get_session(1).news_event
    assert "Erste Zeile.<br>" in (await current_content(giver, world.programme, news))["formatted_body"]

    for person in (anna, bert):
        sent = await person.send(world.programme, "!anmelden 1")
        await person.wait_reply(world.programme, sent, world.bot_id)
    twice = await bert.send(world.programme, "!anmelden 1")
    assert "Platz 1" in body(await bert.wait_reply(world.programme, twice, world.bot_id))

    world.clock.set(app.store.get_session(1).starts_at + timedelta(minutes=5))
    late = await anna.send(world.programme, "!abmelden 1")
    assert "schon begonnen" in body(await anna.wait_reply(world.programme, late, world.bot_id))
    assert app.store.attendees(1) == [anna.user_id, bert.user_id]
