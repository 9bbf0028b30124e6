"""Changing sessions: edit, cancel, repeat; roles and patrons; programme and my sessions; English."""

from __future__ import annotations

import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import body, current_content, in_thread_of, is_edit_of, mentions, react
from tests.integration.sessionkit import day, linked_post, offer, offer_text

pytestmark = pytest.mark.integration


async def test_edit_time_tells_participants_and_edits_the_post(world: World) -> None:
    await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer(world, giver, when=day(5, "10:00"))
    await react(anna, world.programme, news)
    await giver.wait_for(world.programme, lambda e: is_edit_of(e, news) and "1 teilnehmende Person" in body(e))
    change = await giver.send(
        world.programme, f"!ändern {number}\nTermin: {day(6, '11:30')}\nLink: https://neu.example"
    )
    assert "geändert" in body(await giver.wait_reply(world.programme, change, world.bot_id))
    told = await anna.wait_for(world.programme, lambda e: in_thread_of(e, news) and "geändert" in body(e))
    assert mentions(told) == [anna.user_id]
    assert "11:30" in body(told) and "https://neu.example" in body(told)
    await giver.wait_for(world.programme, lambda e: is_edit_of(e, news) and "11:30" in body(e))
    bad = await giver.send(world.programme, f"!ändern {number}\nDauer: 45")
    assert "45" in body(await giver.wait_reply(world.programme, bad, world.bot_id))


async def test_cancel_marks_the_post_tells_once_and_refuses_signups(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    number, news = await offer(world, giver)
    joined = await anna.send(world.programme, f"!anmelden {number}")
    await anna.wait_reply(world.programme, joined, world.bot_id)
    cancel = await giver.send(world.programme, f"!absagen {number} Ich bin krank")
    assert "abgesagt" in body(await giver.wait_reply(world.programme, cancel, world.bot_id))
    await giver.wait_for(world.programme, lambda e: is_edit_of(e, news) and "ABGESAGT" in body(e))
    post = await current_content(giver, world.programme, news)
    assert "ABGESAGT" in post["body"] and "Ich bin krank" in post["body"] and "Reagiere" not in post["body"]
    refused = await bert.send(world.programme, f"!anmelden {number}")
    assert "abgesagt" in body(await bert.wait_reply(world.programme, refused, world.bot_id))
    again = await giver.send(world.programme, f"!absagen {number}")
    assert "schon abgesagt" in body(await giver.wait_reply(world.programme, again, world.bot_id))
    notes = [e for e in await giver.history(world.programme) if in_thread_of(e, news) and "abgesagt" in body(e)]
    assert len(notes) == 1 and mentions(notes[0]) == [anna.user_id]
    assert app.store.get_session(number).cancelled


async def test_repeat_offers_again_with_a_new_post(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    number, news = await offer(world, giver, title="Wiederholung wert")
    again = await giver.send(world.programme, f"!wiederholen {number} {day(20, '09:00')}")
    reply = await giver.wait_reply(world.programme, again, world.bot_id)
    assert "Nummer 2" in body(reply)
    # The answer is edited to link the new post once that is out.
    await linked_post(user=giver, bot_id=world.bot_id, room=world.programme, answer=reply)
    second = app.store.get_session(2)
    assert second.title == "Wiederholung wert" and second.news_event not in (None, news)


async def test_strangers_are_refused_patrons_and_admins_may_help(world: World) -> None:
    await world.start_bot(roles={"admins": [world.host.user_id]})
    await world.host.join(world.programme)
    giver = await world.user("giver", join=(world.programme,))
    stranger = await world.user("stranger", join=(world.programme,))
    patron = await world.user("patron", join=(world.programme,))
    number, _news = await offer(world, giver)
    for text in (f"!absagen {number}", f"!ändern {number}\nDauer: 30", f"!wiederholen {number} {day(9)}"):
        sent = await stranger.send(world.programme, text)
        assert "dürfen nur" in body(await stranger.wait_reply(world.programme, sent, world.bot_id)), text
    denied = await stranger.send(world.programme, f"!pate {patron.user_id}")
    assert "nur Admins" in body(await stranger.wait_reply(world.programme, denied, world.bot_id))
    added = await world.host.send(world.programme, f"!pate {patron.user_id}")
    assert "ist jetzt Pat:in" in body(await world.host.wait_reply(world.programme, added, world.bot_id))
    edit = await patron.send(world.programme, f"!ändern {number}\nDauer: 30")
    assert "geändert" in body(await patron.wait_reply(world.programme, edit, world.bot_id))
    _second, second_news = await offer(world, giver, title="Neu mit Pat:in")
    told = await patron.wait_for(world.programme, lambda e: in_thread_of(e, second_news) and "helfen" in body(e))
    assert mentions(told) == [patron.user_id]
    removed = await world.host.send(world.programme, f"!pate entfernen {patron.user_id}")
    assert "nicht mehr" in body(await world.host.wait_reply(world.programme, removed, world.bot_id))


async def test_programme_pages_and_my_sessions(world: World) -> None:
    await world.start_bot(limits={"open_offers_per_user": 20, "commands_per_minute": 100})
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    for i in range(16):
        sent = await giver.send(world.programme, offer_text(title=f"Session {i:02d}", when=day(2 + i)))
        await giver.wait_reply(world.programme, sent, world.bot_id)
    ask = await anna.send(world.programme, "!programm")
    text = body(await anna.wait_reply(world.programme, ask, world.bot_id))
    assert "Session 00" in text and "Session 14" in text and "Session 15" not in text
    assert "`!programm 2`" in text
    page2 = await anna.send(world.programme, "!programm 2")
    assert "Session 15" in body(await anna.wait_reply(world.programme, page2, world.bot_id))
    join = await anna.send(world.programme, "!anmelden 3")
    await anna.wait_reply(world.programme, join, world.bot_id)
    mine = await anna.send(world.programme, "!meine")
    text = body(await anna.wait_reply(world.programme, mine, world.bot_id))
    assert "Session 02" in text and "Session 03" not in text
    given = await giver.send(world.programme, "!mine")
    assert "Session 15" in body(await giver.wait_reply(world.programme, given, world.bot_id))


async def test_english_offer_and_news_post(world: World) -> None:
    await world.start_bot(language="en")
    giver = await world.user("giver", join=(world.programme,))
    text = "\n".join(
        [
            "!offer",
            "title: Intro to e-files",
            f"when: {day(3, '14:00')}",
            "duration: 30 min",
            "format: workshop",
            "link: https://meet.example.org/x",
            "description: Hands on.",
        ]
    )
    sent = await giver.send(world.programme, text)
    reply = body(await giver.wait_reply(world.programme, sent, world.bot_id))
    assert "number 1" in reply
    post = await giver.wait_for(world.programme, lambda e: e["sender"] == world.bot_id and "KIWI session 1" in body(e))
    assert "React with 👍 to this message to sign up – or write `!join 1`." in body(post)
    assert "(30 minutes)" in body(post)
