"""Commands as Element sends them: as rich replies, edited afterwards, written in threads."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import Event, User, body, in_thread_of, replied_to
from tests.integration.sessionkit import day, offer, offer_text

pytestmark = pytest.mark.integration


def pill(user_id: str, name: str) -> str:
    return f'<a href="https://matrix.to/#/{user_id}">{name}</a>'


async def reply_as_element(user: User, room: str, to: Event, body_text: str, html: str, mentions: list[str]) -> str:
    """A rich reply as Element sends it: fallback quote in body and <mx-reply>, the replied-to sender in
    m.mentions."""
    quoted = str(to["content"].get("body", ""))
    quote = (
        f'<mx-reply><blockquote><a href="https://matrix.to/#/{room}/{to["event_id"]}">In reply to</a> '
        f"{pill(to['sender'], to['sender'])}<br>{quoted}</blockquote></mx-reply>"
    )
    first, *more = quoted.split("\n")
    fallback = "\n".join([f"> <{to['sender']}> {first}", *(f"> {line}" for line in more)])
    return await user.send(
        room,
        f"{fallback}\n\n{body_text}",
        quote + html,
        **{"m.mentions": {"user_ids": mentions}, "m.relates_to": {"m.in_reply_to": {"event_id": to["event_id"]}}},
    )


async def edit_as_element(user: User, room: str, original: str, new_body: str) -> str:
    content: dict[str, Any] = {
        "msgtype": "m.text",
        "body": "* " + new_body,
        "m.new_content": {"msgtype": "m.text", "body": new_body, "m.mentions": {}},
        "m.mentions": {},
        "m.relates_to": {"rel_type": "m.replace", "event_id": original},
    }
    return await user.send_event(room, "m.room.message", content)


def in_thread(root: str) -> dict[str, Any]:
    """What Element puts on a message written in a thread."""
    return {
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": root,
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": root},
        }
    }


def answer_to(world: World, event_id: str, text: str) -> Any:
    return lambda e: e["sender"] == world.bot_id and replied_to(e) == event_id and text in body(e)


async def test_the_patron_is_the_person_named_not_the_one_replied_to(world: World) -> None:
    app = await world.start_bot(roles={"admins": [world.host.user_id]})
    await world.host.join(world.programme)
    bob = await world.user("bob", join=(world.programme,))
    carol = await world.user("carol", join=(world.programme,))
    said = await bob.send(world.programme, "Wer hilft bei der Vorbereitung?")
    bobs = await world.host.wait_for(world.programme, lambda e: e["event_id"] == said)
    named = await reply_as_element(
        world.host,
        world.programme,
        bobs,
        "!pate Carol",
        "!pate " + pill(carol.user_id, "Carol"),
        [bob.user_id, carol.user_id],
    )
    reply = await world.host.wait_reply(world.programme, named, world.bot_id)
    assert "ist jetzt Pat:in" in body(reply)
    assert app.kiwi.patrons() == [carol.user_id]

    removed = await world.host.send(world.programme, f"!pate entfernen {carol.user_id}")
    await world.host.wait_reply(world.programme, removed, world.bot_id)
    bot_answer = await world.host.wait_for(world.programme, lambda e: e["event_id"] == reply["event_id"])
    typed = await reply_as_element(
        world.host,
        world.programme,
        bot_answer,
        f"!pate {carol.user_id}",
        f"!pate {carol.user_id}",
        [world.bot_id],
    )
    assert "ist jetzt Pat:in" in body(await world.host.wait_reply(world.programme, typed, world.bot_id))
    assert app.kiwi.patrons() == [carol.user_id]

    nobody = await reply_as_element(world.host, world.programme, bobs, "!pate bitte", "!pate bitte", [bob.user_id])
    assert "Wen meinst du?" in body(await world.host.wait_reply(world.programme, nobody, world.bot_id))
    assert app.kiwi.patrons() == [carol.user_id]


async def test_a_failed_offer_corrected_by_editing_is_accepted(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    sent = await giver.send(world.programme, offer_text(duration=45))
    assert "45" in body(await giver.wait_reply(world.programme, sent, world.bot_id))
    await edit_as_element(giver, world.programme, sent, offer_text(duration=60))
    confirmed = await giver.wait_for(world.programme, answer_to(world, sent, "Nummer 1"))
    assert "Nummer 1" in body(confirmed)
    session = app.store.get_session(1)
    assert session is not None and session.duration == 60 and session.giver == giver.user_id


async def test_an_edited_command_that_succeeded_is_not_run_again(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    sent = await giver.send(world.programme, offer_text(title="Erster Titel"))
    await giver.wait_for(world.programme, answer_to(world, sent, "Nummer 1"))
    number = 1
    await edit_as_element(giver, world.programme, sent, offer_text(title="Zweiter Titel"))
    note = await giver.wait_for(world.programme, answer_to(world, sent, "übernehme ich nicht"))
    assert f"!ändern {number}" in body(note)
    await edit_as_element(giver, world.programme, sent, offer_text(title="Dritter Titel"))
    ping = await giver.send(world.programme, "!ping")
    await giver.wait_reply(world.programme, ping, world.bot_id)

    # The same after a restart: an edit sent while the bot was away, read back from the backlog.
    await world.stop_bot(app)
    await edit_as_element(giver, world.programme, sent, offer_text(title="Vierter Titel"))
    await edit_as_element(giver, world.programme, ping, "!ping")
    app = await world.start_bot()
    await giver.wait_for(world.programme, answer_to(world, ping, "schon ausgeführt"))
    barrier = await giver.send(world.programme, "!ping")
    await giver.wait_reply(world.programme, barrier, world.bot_id)

    history = await giver.history(world.programme)
    notes = [e for e in history if e["sender"] == world.bot_id and "übernehme ich nicht" in body(e)]
    assert [replied_to(e) for e in notes] == [sent, ping]
    assert app.store.get_session(2) is None and app.store.get_session(number).title == "Erster Titel"


async def test_an_offer_in_a_thread_is_confirmed_in_that_thread(world: World) -> None:
    await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    root = await giver.send(world.programme, "Ideen für Sessions")
    bad = await giver.send(world.programme, offer_text(duration=45), **in_thread(root))
    assert in_thread_of(await giver.wait_reply(world.programme, bad, world.bot_id), root)
    sent = await giver.send(world.programme, offer_text(), **in_thread(root))
    confirmed = await giver.wait_reply(world.programme, sent, world.bot_id)
    assert "Nummer 1" in body(confirmed)
    assert in_thread_of(confirmed, root)
    assert confirmed["content"]["m.relates_to"]["is_falling_back"] is False


async def test_a_repeat_in_a_thread_is_confirmed_in_that_thread(world: World) -> None:
    await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    number, news = await offer(world, giver)
    again = await giver.send(world.programme, f"!wiederholen {number} {day(20, '09:00')}", **in_thread(news))
    confirmed = await giver.wait_reply(world.programme, again, world.bot_id)
    assert "Nummer 2" in body(confirmed)
    assert in_thread_of(confirmed, news)


async def test_join_and_leave_without_a_number_as_a_reply_to_a_news_post(world: World) -> None:
    """ "!anmelden" answering a news post (a reply, or in its thread) means that post's session."""
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    await offer(world, giver, title="Erste Runde")
    number, news = await offer(world, giver, title="Zweite Runde")
    post = await anna.wait_for(world.programme, lambda e: e["event_id"] == news)
    joined = await reply_as_element(anna, world.programme, post, "!anmelden", "!anmelden", [world.bot_id])
    answer = body(await anna.wait_reply(world.programme, joined, world.bot_id))
    assert "Zweite Runde" in answer and "angemeldet" in answer
    assert app.store.attendees(number) == [anna.user_id]

    left = await anna.send(world.programme, "!abmelden", **in_thread(news))
    answer = body(await anna.wait_reply(world.programme, left, world.bot_id))
    assert "Zweite Runde" in answer and "abgemeldet" in answer
    assert app.store.attendees(number) == []

    chat = await anna.send(world.programme, "Hallo")
    said = await anna.wait_for(world.programme, lambda e: e["event_id"] == chat)
    bare = await reply_as_element(anna, world.programme, said, "!anmelden", "!anmelden", [anna.user_id])
    assert "!anmelden <Nr.>" in body(await anna.wait_reply(world.programme, bare, world.bot_id))
    assert app.store.attendees(number) == []


async def test_as_people_type_on_phones_a_space_after_the_prefix_a_bare_www_link_and_a_change_that_is_none(
    world: World,
) -> None:
    """'! anmelden N' signs up, 'Link: www.…' becomes https://www.…, and an '!ändern' to what is already so says
    so and leaves the news post alone."""
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, _ = await offer(world, giver, link="www.example.org/kiwi-raum")
    assert app.store.get_session(number).link == "https://www.example.org/kiwi-raum"
    spaced = await anna.send(world.programme, f"! anmelden {number}")
    assert "angemeldet" in body(await anna.wait_reply(world.programme, spaced, world.bot_id))
    assert app.store.attendees(number) == [anna.user_id]
    before = app.store.get_session(number)
    same = await giver.send(world.programme, f"!ändern {number}\nLink: https://www.example.org/kiwi-raum")
    assert "nichts geändert" in body(await giver.wait_reply(world.programme, same, world.bot_id))
    assert app.store.get_session(number) == before
