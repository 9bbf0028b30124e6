"""Feedback after a session (#13.1–3) against a real Synapse, with the injected clock moved past the end."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.chatkit import command, direct_chat, from_bot, settle
from tests.integration.conftest import World
from tests.integration.matrixkit import Event, User, body, in_thread_of, mentions, react, replied_to
from tests.integration.sessionkit import day, offer

pytestmark = pytest.mark.integration


def is_ask(news: str):
    return lambda e: in_thread_of(e, news) and "ist vorbei – wie war es für dich?" in body(e)


async def asks_in_thread(user: User, world: World, news: str) -> list[Event]:
    return [e for e in await user.history(world.programme) if is_ask(news)(e)]


async def test_participants_are_asked_once_in_their_way_and_answer_privately(world: World) -> None:
    app = await world.start_bot(reminders=[15])
    giver = await world.user("giver", join=(world.programme,))
    anna, bert, carl, dora = [await world.user(n, join=(world.programme,)) for n in ("anna", "bert", "carl", "dora")]
    number, news = await offer(world, giver, seats=3, when=day(2, "10:00"))
    await command(world, bert, "!erinnerung dm")
    await command(world, carl, "!erinnerung aus")
    for user in (anna, bert, carl, dora):  # dora is fourth: she only waits
        await react(user, world.programme, news)
    await settle(world, dora)
    assert "noch nicht vorbei" in await command(world, anna, f"!feedback {number} Gut")

    world.clock.set(app.store.get_session(number).ends_at + timedelta(minutes=1))
    ask = await anna.wait_for(world.programme, is_ask(news))
    assert mentions(ask) == [anna.user_id]  # bert by direct message, carl not at all, dora only waited
    assert f"!feedback {number} 5 Sehr praxisnah!" in body(ask) and "Möglich bis" in body(ask)
    bert_dm = await direct_chat(bert)
    direct = await bert.wait_for(bert_dm, from_bot(world, "ist vorbei", f"!feedback {number}"))
    assert "Antworte mir hier" in body(direct)

    # In the direct chat the confirmation is the answer itself.
    answer = await command(world, bert, f"!feedback {number} 5 Sehr praxisnah", room=bert_dm)
    assert "Deine Note: 5 von 5" in answer and "Sehr praxisnah" in answer
    # In the programme room the room sees only a thank-you; the confirmation with the text goes by direct message.
    in_room = await command(world, anna, f"!feedback {number} 4 Geheimer Tipp")
    assert "per Direktnachricht" in in_room and "Geheimer" not in in_room
    anna_dm = await direct_chat(anna)
    confirmation = await anna.wait_for(anna_dm, from_bot(world, "Geheimer Tipp"))
    assert "Deine Note: 4 von 5" in body(confirmation)
    updated = await command(world, anna, f"!feedback {number} Doch eher 3", room=anna_dm)
    assert "aktualisiert" in updated and "Deine Note: 4 von 5. (Das ist deine Note von vorher" in updated
    assert "Warteliste" in await command(world, dora, f"!feedback {number} Schade")
    stranger = await world.user("erik", join=(world.programme,))
    assert "nicht angemeldet" in await command(world, stranger, f"!feedback {number} Hallo")
    assert "„6/5“ verstehe ich nicht als Note" in await command(world, carl, f"!feedback {number} 6/5 super")
    said = [body(e) for e in await giver.history(world.programme) if e["sender"] == world.bot_id]
    assert said and not [text for text in said if "Geheimer" in text]  # only anna's own message shows it

    await settle(world, anna)
    asks = await asks_in_thread(anna, world, news)
    assert len(asks) == 1
    assert app.store.feedback_ask_state(number) == "sent"
    assert app.store.feedback_of(number) == [(4, "Doch eher 3"), (5, "Sehr praxisnah")]


async def test_the_ask_is_sent_exactly_once_when_the_session_ended_while_the_bot_was_away(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer(world, giver, when=day(2, "10:00"))
    await react(anna, world.programme, news)
    await settle(world, anna)
    end = app.store.get_session(number).ends_at
    await world.stop_bot(app)
    world.clock.set(end + timedelta(hours=3))  # it ended while the bot was stopped

    app = await world.start_bot()
    ask = await anna.wait_for(world.programme, is_ask(news))
    assert mentions(ask) == [anna.user_id]
    await settle(world, anna)
    await world.stop_bot(app)
    app = await world.start_bot()  # and once more: nothing is asked again
    world.clock.shift(timedelta(minutes=5))
    await settle(world, anna)
    assert len(await asks_in_thread(anna, world, news)) == 1
    assert app.store.feedback_ask_state(number) == "sent"


async def test_the_givers_get_a_summary_without_names_a_day_after_and_again_for_later_answers(world: World) -> None:
    app = await world.start_bot(roles={"admins": [world.host.user_id]})
    giver = await world.user("giver", join=(world.programme,))
    cohost = await world.user("cohost", join=(world.programme,))
    anna, carl = [await world.user(n, join=(world.programme,)) for n in ("anna", "carl")]
    number, news = await offer(world, giver, when=day(2, "10:00"))
    assert "geändert" in await command(world, giver, f"!ändern {number}\nCo-Geber:in: {cohost.user_id}")
    cohost_dm = await direct_chat(cohost)
    await cohost.wait_for(cohost_dm, from_bot(world, "Co-Geber:in", f"Session {number}"))
    for user in (anna, carl):
        await react(user, world.programme, news)
    await settle(world, carl)
    end = app.store.get_session(number).ends_at
    world.clock.set(end + timedelta(minutes=1))
    await anna.wait_for(world.programme, is_ask(news))
    await command(world, anna, f"!feedback {number} 5 Sehr anschaulich")
    await command(world, carl, f"!feedback {number} 4 Mehr Beispiele, bitte")
    for person in (anna, carl):
        await direct_chat(person)  # their confirmations by direct message

    world.clock.set(end + timedelta(days=1, seconds=1))
    giver_dm = await direct_chat(giver)
    summaries = []
    for person, room in ((giver, giver_dm), (cohost, cohost_dm)):
        summary = await person.wait_for(room, from_bot(world, "Rückmeldungen zu Session"))
        summaries.append(summary)
        text = body(summary)
        assert "2 Rückmeldungen von 2 Teilnehmenden" in text and "Durchschnittsnote: 4,5 von 5" in text
        assert "– Sehr anschaulich (Note 5)" in text and "– Mehr Beispiele, bitte (Note 4)" in text
        assert "anna" not in text and "carl" not in text and mentions(summary) == []

    # Asked for in the room, the summary goes by direct message; the admin sees counts and average only.
    assert "per Direktnachricht" in await command(world, giver, f"!feedback {number}")
    first = summaries[0]["event_id"]
    await giver.wait_for(giver_dm, lambda e: from_bot(world, "Rückmeldungen zu Session")(e) and e["event_id"] != first)
    assert "per Direktnachricht" in await command(world, world.host, f"!feedback {number}")
    host_dm = await direct_chat(world.host)
    counts = await world.host.wait_for(host_dm, from_bot(world, "Rückmeldungen zu Session"))
    assert "4,5" in body(counts) and "anschaulich" not in body(counts) and "Kommentare sehen nur" in body(counts)
    how = await command(world, anna, f"!feedback {number}")  # a participant hears how to answer, sees nothing
    assert "So gibst du Rückmeldung" in how and "Du hast schon Rückmeldung gegeben" in how and "anschaulich" not in how

    # A later answer is summed up again, but not before a day has passed since the last summary.
    await command(world, anna, f"!feedback {number} 3 Doch nur okay")
    due, sent = app.store.feedback_summary_state(number)
    assert sent is not None and due == sent + timedelta(days=1)  # owed, but a day after the last one
    world.clock.set(due + timedelta(seconds=1))
    again = await cohost.wait_for(cohost_dm, from_bot(world, "Doch nur okay"))
    assert "Durchschnittsnote: 3,5 von 5" in body(again)


async def test_a_plain_answer_in_the_direct_chat_is_the_feedback_and_other_plain_chat_hears_of_the_help(
    world: World,
) -> None:
    """Explorer: the bot asked "wie war es für dich?" in the direct chat, Bert answered in plain words without the
    command, and heard nothing. Now the one open ask takes it, and says so; chat in the programme room stays chat."""
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    bert, carl = [await world.user(n, join=(world.programme,)) for n in ("bert", "carl")]
    number, news = await offer(world, giver, when=day(2, "10:00"))
    await command(world, bert, "!erinnerung dm")
    for user in (bert, carl):
        await react(user, world.programme, news)
    await settle(world, carl)

    world.clock.set(app.store.get_session(number).ends_at + timedelta(minutes=1))
    bert_dm = await direct_chat(bert)
    ask = await bert.wait_for(bert_dm, from_bot(world, "ist vorbei", f"!feedback {number}"))
    assert "auch einfach hier schreiben, ohne Befehl" in body(ask) and "erraten" in body(ask)
    answer = await command(world, bert, "War super, 5 Sterne! Danke an Gerd", room=bert_dm)
    assert answer.startswith(f"Deine Nachricht habe ich als Rückmeldung zu Session {number} „")
    assert f"Ändern kannst du sie mit `!feedback {number} …`." in answer and "Deine Note: 5 von 5." in answer
    assert "Dein Text: „War super, 5 Sterne! Danke an Gerd“." in answer
    assert app.store.feedback_of(number) == [(5, "War super, 5 Sterne! Danke an Gerd")]
    # answered already: more chat is not a new answer, it hears where the commands are explained
    assert await command(world, bert, "Danke dir!", room=bert_dm) == (
        "Ich antworte auf Befehle wie `!hilfe` – der zeigt dir alles, was ich kann."
    )
    assert app.store.feedback_of(number) == [(5, "War super, 5 Sterne! Danke an Gerd")]

    # In the programme room the bot leaves plain chat alone, feedback-like or not.
    said = await carl.send(world.programme, "War super, 4 Sterne!")
    await settle(world, carl)
    assert not [e for e in await carl.history(world.programme) if replied_to(e) == said]
    assert app.store.feedback_of(number) == [(5, "War super, 5 Sterne! Danke an Gerd")]
    # A numbered list after the number is text, not the worst rating.
    await command(world, carl, f"!feedback {number} 1) Inhalt gut 2) zu wenig Zeit")
    listed = await carl.wait_for(await direct_chat(carl), from_bot(world, "Inhalt gut"))
    assert "Deine Note" not in body(listed) and "Dein Text: „1) Inhalt gut 2) zu wenig Zeit“." in body(listed)
