"""Materials and the archive against a real Synapse: links shared after a session (the news post shows them, those
who took part are told in the thread), and past sessions found by folded words, a page at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiwibot.core.messages import Moment
from kiwibot.matrix.render import Renderer
from tests.integration.conftest import World
from tests.integration.loopkit import ask, shows
from tests.integration.matrixkit import User, body, current_content, in_thread_of, is_edit_of, mentions, react
from tests.integration.sessionkit import BERLIN, day, offer

pytestmark = pytest.mark.integration


async def named_user(world: World, name: str, display_name: str) -> User:
    """A member whose display name is set before joining, so the room knows it from the first message on."""
    user = await world.user(name)
    await user.client.set_displayname(display_name)
    await world.host.client.room_invite(world.programme, user.user_id)
    await user.join(world.programme)
    return user


async def test_materials_after_the_session_edit_the_post_and_tell_who_took_part(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    number, news = await offer(world, giver)
    await react(anna, world.programme, news)
    await giver.wait_for(world.programme, lambda e: is_edit_of(e, news) and "1 teilnehmende" in e["content"]["body"])
    session = app.store.get_session(number)
    assert session is not None
    world.clock.set(session.ends_at + timedelta(hours=2))  # the main use: slides shared after the session

    reply = await ask(giver, world, f"!material {number} https://cloud.example.org/folien.pdf Folien (PDF)")
    assert "Nr. 1" in reply and "1 teilnehmende Person" in reply
    told = await anna.wait_for(world.programme, lambda e: in_thread_of(e, news) and "Neue Unterlagen" in body(e))
    assert mentions(told) == [anna.user_id]
    assert '<a href="https://cloud.example.org/folien.pdf">Folien (PDF)</a>' in told["content"]["formatted_body"]
    assert "📎 1. Folien (PDF) (https://cloud.example.org/folien.pdf)" in await shows(world, giver, news, "Unterlagen")
    shown = await current_content(giver, world.programme, news)
    assert '<a href="https://cloud.example.org/folien.pdf">Folien (PDF)</a>' in shown["formatted_body"]

    refused = await ask(bert, world, f"!material {number} https://example.org/mine")
    assert "nur die Session-Geber:in, Co-Geber:innen, Pat:innen und Admins" in refused
    bad = await ask(giver, world, f"!material {number} javascript:alert(1)")
    assert "https://" in bad and "javascript:alert(1)" in bad
    wish_number = await ask(giver, world, "!material W1 https://example.org/x")
    assert "Nummer eines Themenwunsches" in wish_number
    second = await ask(giver, world, f"!materials {number} https://example.org/notes Notizen")
    assert "Nr. 2" in second
    listed = await ask(bert, world, f"!material {number}")
    assert "1. Folien (PDF)" in listed and "2. Notizen" in listed

    removed = await ask(giver, world, f"!materials {number} remove 1")
    assert "Nr. 1" in removed and "entfernt" in removed
    no_such = await ask(giver, world, f"!material {number} entfernen 5")
    assert "nur 1 Unterlage" in no_such
    now_shown = await shows(world, giver, news, "Folien", gone=True)
    assert "📎 1. Notizen (https://example.org/notes)" in now_shown

    # A link at the end of a sentence, or in brackets, is stored without the full stop and the brackets.
    await ask(giver, world, f"!material {number} https://video.example.org/rec/123.")
    told = await anna.wait_for(world.programme, lambda e: in_thread_of(e, news) and "rec/123" in body(e))
    assert '<a href="https://video.example.org/rec/123">' in told["content"]["formatted_body"]
    await ask(giver, world, f"!material {number} (<https://example.org/a_(b)>). Skript")
    listed = await ask(bert, world, f"!material {number}")
    assert "2. https://video.example.org/rec/123\n" in listed + "\n" and "rec/123." not in listed
    assert "3. Skript (https://example.org/a_(b))" in listed


async def test_the_post_of_an_ended_session_edited_again_invites_no_signups_and_shows_no_waiting_list(
    world: World,
) -> None:
    """A material shared afterwards edits the post: it must not invite a sign-up for a session that is over."""
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    number, news = await offer(world, giver, seats=1)
    await ask(anna, world, f"!anmelden {number}")
    assert "Warteliste" in await ask(bert, world, f"!anmelden {number}")
    before = await shows(world, giver, news, "1 auf der Warteliste")
    assert f"`!anmelden {number}`" in before
    session = app.store.get_session(number)
    assert session is not None
    world.clock.set(session.ends_at + timedelta(hours=2))
    await ask(giver, world, f"!material {number} https://cloud.example.org/folien.pdf Folien")
    after = await shows(world, giver, news, "Unterlagen")
    assert "Die Session hat begonnen – anmelden geht nicht mehr." in after
    assert "!anmelden" not in after and "Reagiere" not in after and "Warteliste" not in after
    assert "1 teilnehmende Person" in after


async def test_the_archive_finds_past_sessions_by_folded_words_and_pages(world: World) -> None:
    app = await world.start_bot(limits={"commands_per_minute": 60})  # one person asks many times here
    juergen = await named_user(world, "juergen", "Jürgen Müller")
    anna = await world.user("anna", join=(world.programme,))
    first, _ = await offer(world, juergen, title="Übungen zur E-Akte", when=day(2, "10:00"))
    second, news = await offer(world, anna, title="Haushalt digital", when=day(4, "10:00"), description="Straßenbau")
    gone, _ = await offer(world, anna, title="Übung fällt aus", when=day(3, "10:00"))
    await ask(anna, world, f"!absagen {gone}")
    await react(juergen, world.programme, news)
    await anna.wait_for(world.programme, lambda e: is_edit_of(e, news) and "1 teilnehmende" in e["content"]["body"])
    assert app.store.get_session(first).giver_name == "Jürgen Müller"  # type: ignore[union-attr]

    nothing_yet = await ask(anna, world, "!archiv")
    assert "noch nichts" in nothing_yet
    world.clock.shift(timedelta(days=10))
    await ask(anna, world, f"!material {second} https://example.org/haushalt.pdf Folien")

    listing = await ask(anna, world, "!archiv")
    assert "Seite 1 von 1" in listing and "fällt aus" not in listing
    assert listing.index("Haushalt digital") < listing.index("Übungen zur E-Akte")  # newest first
    assert "Jürgen Müller" in listing and "1 teilnehmende Person" in listing
    assert "📎 1. Folien (https://example.org/haushalt.pdf)" in listing
    newest = app.kiwi.archive(None).sessions[0]
    assert Renderer(BERLIN).render(Moment(newest.starts_at, "date"), "de").body in listing  # the date

    for query in ("uebung", "Ubung", "ÜBUNGEN", "e-akte", "juergen", "muller"):
        found = await ask(anna, world, f"!archiv {query}")
        assert "1 Session zu" in found and "Übungen zur E-Akte" in found and "Haushalt" not in found, query
    street = await ask(anna, world, "!archive strasse")
    assert "Haushalt digital" in street
    none = await ask(anna, world, "!archiv Zeitreise")
    assert "Zu „Zeitreise“ habe ich im Archiv keine Session gefunden" in none
    beyond = await ask(anna, world, "!archiv 3")
    assert "Seite 3 gibt es nicht" in beyond and "1 Seite" in beyond
    beyond_search = await ask(anna, world, "!archiv uebung 2")
    assert "Seite 2 gibt es nicht" in beyond_search and "„uebung“" in beyond_search
    assert "English" in await ask(juergen, world, "!language en")
    in_english = await ask(juergen, world, "!archive Übung")
    assert "1 session for “Übung”" in in_english


async def test_the_archive_finds_givers_by_matrix_id_co_givers_joined_words_and_years(world: World) -> None:
    app = await world.start_bot(limits={"commands_per_minute": 60})  # one person asks many times here
    gerd = await named_user(world, "gerd", "Gerd Mahler")
    ben = await named_user(world, "ben", "Ben Beispiel")
    number, _ = await offer(
        world, gerd, title="Excel für Einsteiger:innen", when=day(2, "10:00"), description="Tabellen ohne Tränen"
    )
    await offer(world, ben, title="Die E-Akte im Alltag", when=day(3, "10:00"), description="Akten ohne Papier")
    assert "geändert" in await ask(gerd, world, f"!ändern {number}\nCo-Geber:in: {ben.user_id}")
    world.clock.shift(timedelta(days=10))

    by_id = await ask(ben, world, f"!archiv {gerd.user_id}")
    assert "1 Session zu" in by_id and "Einsteiger:innen" in by_id and "Alltag" not in by_id
    assert "Gerd Mahler mit Ben Beispiel" in by_id  # the co-giver with the giver, as the programme shows them
    by_co_giver = await ask(gerd, world, f"!archiv {ben.user_id}")
    assert "2 Sessions zu" in by_co_giver and "Einsteiger:innen" in by_co_giver and "Alltag" in by_co_giver
    joined = await ask(gerd, world, "!archiv einsteigerinnen")
    assert "1 Session zu „einsteigerinnen“" in joined and "Einsteiger:innen" in joined
    assert "Die E-Akte im Alltag" in await ask(gerd, world, "!archiv eakte")

    apart = await ask(gerd, world, "!archiv E Akte")  # "archiv" + "E" is no `!archive`
    assert "1 Session zu „E Akte“" in apart and "Alltag" in apart
    year = app.store.get_session(number).starts_at.astimezone(BERLIN).year  # type: ignore[union-attr]
    in_year = await ask(gerd, world, f"!archiv {year}")
    assert f"2 Sessions zu „{year}“" in in_year and "Seite 1 von 1" in in_year
    assert f"Zu „{year - 5}“ habe ich im Archiv keine Session gefunden" in await ask(gerd, world, f"!archiv {year - 5}")
