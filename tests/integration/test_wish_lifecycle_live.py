"""A wish's life after it was fulfilled, against a real Synapse: the session cancelled or no longer naming it opens
the wish again (interest kept, post and list back to open, the wishers told as they were of the fulfilment), and
the words people use to take wishes back close them instead of posting them as wishes."""

from __future__ import annotations

import re

import pytest

from tests.integration.conftest import World
from tests.integration.loopkit import ask, shows
from tests.integration.matrixkit import User, accept_direct_chat, body, in_thread_of, mentions, react
from tests.integration.sessionkit import linked_post, offer_text
from tests.integration.test_wishes import wish

pytestmark = pytest.mark.integration


async def offer_for(world: World, giver: User, title: str, wish_line: str) -> tuple[int, str]:
    """Offer a session naming a wish; (its number, its news post)."""
    sent = await giver.send(world.programme, offer_text(title=title) + f"\n{wish_line}")
    answer = await giver.wait_reply(world.programme, sent, world.bot_id)
    found = re.search(r"Nummer (\d+)", body(answer))
    assert found, body(answer)
    return int(found.group(1)), await linked_post(user=giver, bot_id=world.bot_id, room=world.programme, answer=answer)


async def test_a_cancelled_session_reopens_its_wish_and_tells_the_wishers(world: World) -> None:
    await world.start_bot()
    anna, carl, gerd = [await world.user(name, join=(world.programme,)) for name in ("anna", "carl", "gerd")]
    number, post = await wish(world, anna, "Barrierefreie Word-Dokumente")
    await react(carl, world.programme, post, "👍🏿")
    await shows(world, anna, post, "2 Personen interessiert")
    await ask(carl, world, "!sprache en")
    await ask(carl, world, "!erinnerung dm")

    session, news = await offer_for(world, gerd, "Word barrierefrei", f"Wunsch: W{number}")
    told = await anna.wait_for(world.programme, lambda e: in_thread_of(e, post) and "wird erfüllt" in body(e))
    assert mentions(told) == [anna.user_id]
    assert news in told["content"]["formatted_body"]  # the link to the session's post, to react on
    direct = await accept_direct_chat(carl)
    fulfilled = await carl.wait_for(direct, lambda e: e["sender"] == world.bot_id and "comes true" in body(e))
    assert news in fulfilled["content"]["formatted_body"]  # in a direct chat the link is the way there
    await shows(world, anna, post, "Erfüllt")

    cancelled = await ask(gerd, world, f"!absagen {session} Krankheit")
    assert f"Session {session}" in cancelled
    await shows(world, anna, post, "Reagiere mit 👍")  # open again: the post asks for interest and offers
    shown = await shows(world, anna, post, "Erfüllt", gone=True)
    assert "2 Personen interessiert" in shown and f"`Wunsch: W{number}`" in shown
    again = await anna.wait_for(world.programme, lambda e: in_thread_of(e, post) and "wieder offen" in body(e))
    assert mentions(again) == [anna.user_id] and f"Session {session}" in body(again) and "abgesagt" in body(again)
    english = await carl.wait_for(direct, lambda e: e["sender"] == world.bot_id and "open again" in body(e))
    assert "is cancelled" in body(english) and post in english["content"]["formatted_body"]
    listed = await ask(anna, world, "!wünsche")
    assert f"W{number}" in listed and "2 Personen interessiert" in listed

    second, _ = await offer_for(world, gerd, "Word barrierefrei, neuer Termin", f"Wunsch: W{number}")
    await shows(world, anna, post, f"Session {second}")  # and it can be fulfilled again


async def test_a_change_that_names_no_wish_or_another_reopens_the_one_before(world: World) -> None:
    await world.start_bot()
    anna, bert, gerd = [await world.user(name, join=(world.programme,)) for name in ("anna", "bert", "gerd")]
    first, post = await wish(world, anna, "Pivot-Tabellen")
    other, other_post = await wish(world, bert, "Serienbriefe")
    session, _ = await offer_for(world, gerd, "Excel für alle", f"Wunsch: W{first}")
    await shows(world, anna, post, "Erfüllt")

    assert "ist schon so" in await ask(gerd, world, f"!ändern {session}\nWunsch: W{first}")  # nothing changes
    await ask(gerd, world, f"!ändern {session}\nWunsch: W{other}")
    await shows(world, anna, post, "Reagiere mit 👍")
    await shows(world, bert, other_post, "Erfüllt")
    told = await anna.wait_for(world.programme, lambda e: in_thread_of(e, post) and "wieder offen" in body(e))
    assert "nimmt Wunsch" in body(told) and mentions(told) == [anna.user_id]

    await ask(gerd, world, f"!ändern {session}\nWunsch: keiner")
    await shows(world, bert, other_post, "Reagiere mit 👍")
    listed = await ask(anna, world, "!wünsche")
    assert f"W{first}" in listed and f"W{other}" in listed


async def test_take_back_wordings_close_wishes_and_post_none(world: World) -> None:
    await world.start_bot(limits={"commands_per_minute": 60})  # one person asks many times here
    anna = await world.user("anna", join=(world.programme,))
    posts = [await wish(world, anna, topic) for topic in ("Eins", "Zwei", "Drei", "Vier", "Fünf")]

    assert "Wunsch W1 „Eins“ ist geschlossen" in await ask(anna, world, "!wunsch löschen W1")
    assert "Wunsch W2 „Zwei“ ist geschlossen" in await ask(anna, world, "!wunsch zurücknehmen W2")
    both = await ask(anna, world, "!wunsch schließen W4 W5")
    assert "W4 „Vier“ ist geschlossen" in both and "W5 „Fünf“ ist geschlossen" in both
    partly = await ask(anna, world, "!wunsch entfernen W3 W9")
    assert "W3 „Drei“ ist geschlossen" in partly and "nicht geschlossen" in partly and "W9 gibt es nicht" in partly
    assert "kein Thema" in await ask(anna, world, "!wunsch streiche W1")
    assert "schon geschlossen" in await ask(anna, world, "!wish withdraw W1")  # the English words work too
    for _, post in posts:
        await shows(world, anna, post, "Geschlossen")
    assert "keine offenen Themenwünsche" in await ask(anna, world, "!wünsche")
    await ask(anna, world, "!ping")
    posted = [body(e) for e in anna.events.get(world.programme, []) if e.get("sender") == world.bot_id]
    assert not [text for text in posted if re.match(r"💡 Wunschthema W\d+: (löschen|zurücknehmen|schließen)", text)]
