"""Topic wishes against a real Synapse: the wish's post, interest by 👍 (any skin tone, once a person, withdrawn
with the reaction, read back after time away), the list, fulfilment by an offer, closing, and W-numbers kept apart
from session numbers."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import pytest

from kiwibot.storage import Store
from tests.integration.conftest import World
from tests.integration.loopkit import ask, shows
from tests.integration.matrixkit import (
    User,
    accept_direct_chat,
    body,
    current_content,
    in_thread_of,
    is_edit_of,
    mentions,
    react,
    redact,
)
from tests.integration.sessionkit import offer, offer_text

pytestmark = pytest.mark.integration


async def wish(world: World, user: User, text: str) -> tuple[int, str]:
    """Make a wish; (its number, its post's event id) once the bot posted it."""
    reply = await ask(user, world, f"!wunsch {text}")
    match = re.search(r"Dein Wunsch hat die Nummer W(\d+):", reply)
    assert match, reply
    number = int(match.group(1))
    post = await user.wait_for(
        world.programme,
        lambda e: e.get("sender") == world.bot_id and body(e).startswith(f"💡 Wunschthema W{number}:"),
    )
    return number, post["event_id"]


async def test_a_wish_is_posted_counted_listed_and_fulfilled_by_an_offer(world: World) -> None:
    app = await world.start_bot()
    anna, bert, caro, dora, giver = [
        await world.user(name, join=(world.programme,)) for name in ("anna", "bert", "caro", "dora", "giver")
    ]
    number, post = await wish(world, anna, "Barrierefreie PDFs\nWie geht das mit Word und LibreOffice?")
    assert number == 1
    shown = (await current_content(anna, world.programme, post))["body"]
    assert "Gewünscht von" in shown and "Wie geht das mit Word" in shown and "1 Person interessiert" in shown
    assert "Reagiere mit 👍, wenn du auch Interesse hast." in shown and "`Wunsch: W1`" in shown

    first = await react(bert, world.programme, post)
    second = await react(bert, world.programme, post, "👍🏽")  # the same person twice: counted once
    await react(caro, world.programme, post, "👍🏽")
    await react(dora, world.programme, post, "👍\ufe0f")
    await react(anna, world.programme, post)  # the wisher counts already
    await react(giver, world.programme, post, "❤️")  # not a signup reaction
    await shows(world, anna, post, "4 Personen interessiert")
    await redact(bert, world.programme, first)
    await ask(bert, world, "!ping")
    assert "4 Personen interessiert" in (await current_content(anna, world.programme, post))["body"]
    await redact(bert, world.programme, second)
    await shows(world, anna, post, "3 Personen interessiert")
    await react(bert, world.programme, post)
    await shows(world, anna, post, "4 Personen interessiert")

    other, _ = await wish(world, caro, "Agiles Arbeiten")
    listing = await ask(dora, world, "!wünsche")
    assert listing.index("W1") < listing.index(f"W{other}")  # most interest first
    assert "4 Personen interessiert" in listing and "1 Person interessiert" in listing
    assert "Offene Themenwünsche" in await ask(dora, world, "!wuensche")
    assert "Offene Themenwünsche" in await ask(dora, world, "!wishes")  # answered in the asker's language

    await ask(caro, world, "!erinnerung dm")
    await ask(dora, world, "!erinnerung aus")
    sent = await giver.send(world.programme, offer_text(title="PDFs barrierefrei") + "\nWunsch: W1")
    confirmation = body(await giver.wait_reply(world.programme, sent, world.bot_id))
    found = re.search(r"Nummer (\d+)", confirmation)
    assert found, confirmation
    session = int(found.group(1))
    told = await anna.wait_for(world.programme, lambda e: in_thread_of(e, post) and "wird erfüllt" in body(e))
    assert mentions(told) == sorted([anna.user_id, bert.user_id])  # Caro by DM, Dora chose "off"
    assert f"Session {session}" in body(told) and f"!anmelden {session}" in body(told)
    direct_room = await accept_direct_chat(caro)
    direct = await caro.wait_for(direct_room, lambda e: e["sender"] == world.bot_id and "wird erfüllt" in body(e))
    assert f"Session {session}" in body(direct)
    await shows(world, anna, post, "Erfüllt")
    news = app.store.get_session(session)
    assert news is not None and news.news_event
    await anna.wait_for(
        world.programme,
        lambda e: is_edit_of(e, post) and news.news_event in e["content"]["m.new_content"]["formatted_body"],
    )
    announced = await anna.wait_for(world.programme, lambda e: e["event_id"] == news.news_event)
    assert "Wunschthema: W1 „" in body(announced)  # the news post names the wish it takes up

    assert "schon erfüllt – durch Session" in await ask(anna, world, "!wunsch schließen W1")
    again = await giver.send(world.programme, offer_text(title="Noch einmal PDFs") + "\nWunsch: W1")
    assert "schon erfüllt" in body(await giver.wait_reply(world.programme, again, world.bot_id))
    listed = await ask(dora, world, "!wünsche")
    assert not re.search(r"\bW1\b", re.sub(r"https?://\S+", "", listed)), listed  # (a link's event id may hold "W1")


async def test_closing_wishes_and_numbers_kept_apart(world: World) -> None:
    await world.start_bot()
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    number, post = await wish(world, anna, "Datenschutz im Homeoffice")
    session, _ = await offer(world, bert)
    assert "Nummer eines Themenwunsches" in await ask(bert, world, f"!anmelden W{number}")
    assert "Session-Nummer" in await ask(anna, world, f"!wunsch schließen Nr. {session}")
    assert "Einen Wunsch W99 gibt es nicht" in await ask(anna, world, "!wunsch schließen W99")
    assert "ist eine Wunschnummer, kein Thema" in await ask(anna, world, f"!wunsch W{number}")
    assert "höchstens 150" in await ask(anna, world, "!wunsch " + "x" * 151)
    assert "Wünsch dir ein Thema" in await ask(anna, world, "!wunsch")
    assert "schon gewünscht" in await ask(anna, world, "!wunsch datenschutz im  homeoffice")
    others = await ask(bert, world, "!wunsch Datenschutz im Homeoffice")
    assert f"Das wünschen sich schon andere: W{number}" in others and post in others  # a link to the wish's post
    assert "nur die Person, die ihn sich gewünscht hat" in await ask(bert, world, f"!wunsch schließen W{number}")
    assert "Wunsch W1 „Datenschutz im Homeoffice“ ist geschlossen" in await ask(anna, world, f"!wish close W{number}")
    await shows(world, anna, post, "Geschlossen")
    assert "schon geschlossen" in await ask(anna, world, f"!wunsch schliessen {number}")
    closed_offer = await ask(bert, world, offer_text(title="Anders") + "\nWunsch: W1")
    assert "schon geschlossen" in closed_offer
    assert "keine offenen Themenwünsche" in await ask(bert, world, "!wünsche")


async def test_reactions_on_a_wish_while_the_bot_is_away_are_read_back(world: World) -> None:
    app = await world.start_bot()
    anna = await world.user("anna", join=(world.programme,))
    people = await asyncio.gather(*(world.user(f"w{i}", join=(world.programme,)) for i in range(4)))
    number, post = await wish(world, anna, "Künstliche Intelligenz in der Verwaltung")
    await react(people[0], world.programme, post)
    await shows(world, anna, post, "2 Personen interessiert")
    await world.stop_bot(app)

    await react(people[1], world.programme, post, "👍🏽")
    await react(people[2], world.programme, post)
    gone = await react(people[3], world.programme, post)
    await redact(people[3], world.programme, gone)
    for n in range(110):  # beyond what one sync shows: the reactions must be read back
        await world.host.send(world.programme, f"Plauderei {n}")
    app = await world.start_bot()
    await shows(world, anna, post, "4 Personen interessiert")
    assert sorted(app.store.interested(number)) == sorted(p.user_id for p in people[:3])


async def test_a_lost_sync_token_loses_no_interest_in_a_wish(world: World) -> None:
    """Start-up reconciliation reads the reactions on open wishes' posts too, the same way as on news posts."""
    app = await world.start_bot()
    anna = await world.user("anna", join=(world.programme,))
    people = await asyncio.gather(*(world.user(f"l{i}", join=(world.programme,)) for i in range(3)))
    number, post = await wish(world, anna, "Moderation von Videokonferenzen")
    first = await react(people[0], world.programme, post)
    await shows(world, anna, post, "2 Personen interessiert")
    await world.stop_bot(app)

    await react(people[1], world.programme, post, "👍🏿")
    await react(people[2], world.programme, post)
    await redact(people[0], world.programme, first)
    for n in range(110):
        await world.host.send(world.programme, f"Plauderei {n}")
    store = Store.open(world.tmp / "kiwibot.db")
    store.set_meta("sync_token", "")
    store.set_meta("last_event_ts", str(int((datetime.now(UTC) + timedelta(hours=1)).timestamp() * 1000)))
    store.close()

    app = await world.start_bot()
    await shows(world, anna, post, "3 Personen interessiert")
    assert sorted(app.store.interested(number)) == sorted(p.user_id for p in people[1:])


async def test_a_wish_in_other_words_points_to_the_alike_one_and_closing_it_keeps_the_other(world: World) -> None:
    await world.start_bot()
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    first, post = await wish(world, anna, "Pivot-Tabellen in Excel")
    reply = await ask(bert, world, "!wunsch Excel Pivot-Tabelle\nFür die Haushaltsplanung")
    assert "Dein Wunsch hat die Nummer W2" in reply  # made all the same: alike words may mean another topic
    assert "Ähnliche Wünsche gibt es schon" in reply and "`!wunsch schließen W2`" in reply
    assert f"W{first} „Pivot-Tabellen in Excel“" in reply and post in reply  # a link to the alike wish's post
    assert "Ähnliche" not in await ask(bert, world, "!wunsch Barrierefreie PDFs")
    assert "ist geschlossen" in await ask(bert, world, "!wunsch schließen W2")
    assert "ähnlich" not in (await current_content(anna, world.programme, post))["body"]


async def test_an_offer_alike_a_wish_says_how_to_name_it_and_naming_it_tells_the_wisher(world: World) -> None:
    await world.start_bot()
    anna = await world.user("anna", join=(world.programme,))
    giver = await world.user("giver", join=(world.programme,))
    number, post = await wish(world, anna, "Pivot-Tabellen in Excel")
    sent = await giver.send(world.programme, offer_text(title="Excel: Pivot-Tabellen für Einsteiger:innen"))
    answer = await giver.wait_reply(world.programme, sent, world.bot_id)
    assert "Passt deine Session zu einem Themenwunsch?" in body(answer)
    linked = await giver.wait_for(
        world.programme, lambda e: e.get("sender") == world.bot_id and is_edit_of(e, answer["event_id"])
    )
    shown = linked["content"]["m.new_content"]["body"]
    session = int(re.search(r"Nummer (\d+)", shown).group(1))  # type: ignore[union-attr]
    assert f"`!ändern {session}` mit der Zeile `Wunsch: W{number}`" in shown and f"W{number} „Pivot-Tabellen" in shown
    assert "https://matrix.to/#/" in shown  # the link to the news post is still there
    changed = await ask(giver, world, f"!ändern {session}\nWunsch: W{number}")
    assert f"Session {session}" in changed
    await shows(world, anna, post, f"Session {session}")  # the wish's post points to the session now
