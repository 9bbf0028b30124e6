"""A member's rights and the retention period against the real Synapse (#14): `!meinedaten` sends the JSON file by
direct message (downloaded and parsed here), `!vergessen` is refused with the number of a session the person still
gives and after ten minutes, and once confirmed leaves the person's id (and its localpart) in no table, moves the
next one up and edits the news post to "ehemaliges Mitglied"; the names of a session's participants stay on the
last day of the retention period and are gone the day after."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from kiwibot.app import App
from tests.integration.chatkit import command, direct_chat, from_bot, settle
from tests.integration.conftest import World
from tests.integration.loopkit import shows
from tests.integration.matrixkit import Event, User, body, download, mentions, react
from tests.integration.sessionkit import day, offer

pytestmark = pytest.mark.integration

SENT = "Ich habe dir eine Direktnachricht mit deinen Daten geschickt."


def a_file(world: World) -> Callable[[Event], bool]:
    """Matches a file the bot sent."""
    return lambda e: e.get("sender") == world.bot_id and e["content"].get("msgtype") == "m.file"


def localpart(user: User) -> str:
    return user.user_id.removeprefix("@").split(":")[0]


async def offered(world: World, giver: User, **fields: Any) -> int:
    number, _ = await offer(world, giver, **fields)
    return number


async def seed(world: World, app: App, erin: User, bob: User) -> dict[str, int]:
    """Erin gives one session, co-gives one, takes part in one (and answers its feedback ask), wishes, likes a
    wish, shares a link, chose her reminders and has calendar links."""
    taken = await offered(world, bob, title="Vergangen", when=day(1, "09:00"))
    assert "angemeldet" in await command(world, erin, f"!anmelden {taken}")
    cogiven = await offered(world, bob, title="Zu zweit", when=day(5, "10:00"))
    await command(world, bob, f"!ändern {cogiven}\nCo-Geber:in: {erin.user_id}")
    given = await offered(world, erin, title="Erins Runde", when=day(6, "10:00"))
    await command(world, erin, f"!material {given} https://cloud.example.org/folien.pdf Folien")
    await command(world, erin, "!wunsch Barrierefreie PDFs")
    await command(world, bob, "!wunsch Excel für Fortgeschrittene")
    bobs_wish = app.store.get_wish(2)
    while bobs_wish is None or bobs_wish.post_event is None:
        await settle(world, bob)
        bobs_wish = app.store.get_wish(2)
    await react(erin, world.programme, bobs_wish.post_event)
    await command(world, erin, "!erinnerung dm")
    await command(world, erin, "!kalender")
    world.clock.shift(timedelta(days=2))  # "Vergangen" is over
    await command(world, erin, f"!feedback {taken} 4 Gut erklärt")
    await settle(world, erin)
    return {"taken": taken, "cogiven": cogiven, "given": given}


async def test_the_export_holds_every_kind_and_comes_as_a_file(world: World) -> None:
    app = await world.start_bot()
    erin = await world.user("erin", join=(world.programme,))
    bob = await world.user("bob", join=(world.programme,))
    numbers = await seed(world, app, erin, bob)
    dm = await direct_chat(erin)
    assert await command(world, erin, "!meinedaten") == SENT
    summary = await erin.wait_for(dm, from_bot(world, "Deine Daten bei KIWI"))
    file = await erin.wait_for(dm, a_file(world))
    assert file["content"]["body"] == "kiwi-meine-daten.json"
    assert file["content"]["info"]["mimetype"] == "application/json"
    data = json.loads((await download(erin, file["content"]["url"])).decode("utf-8"))
    assert data["user_id"] == erin.user_id and data["retention_days"] == 90
    assert [s["number"] for s in data["sessions_given"]] == [numbers["given"]]
    assert [s["number"] for s in data["sessions_cogiven"]] == [numbers["cogiven"]]
    (signup,) = data["signups"]
    assert signup["number"] == numbers["taken"] and signup["place"] == "seat" and signup["via"] == ["command"]
    assert signup["deleted_after"].endswith(("+01:00", "+02:00")) and signup["deleted_after"] > signup["ends_at"]
    (answer,) = data["feedback"]
    assert (answer["rating"], answer["comment"]) == (4, "Gut erklärt")
    assert [w["topic"] for w in data["wishes"]] == ["Barrierefreie PDFs"]
    assert [w["topic"] for w in data["wish_interest"]] == ["Excel für Fortgeschrittene"]
    assert [m["url"] for m in data["materials"]] == ["https://cloud.example.org/folien.pdf"]
    assert data["preferences"]["reminders"] == "dm" and data["calendar_links"] == {"exist": True, "deleted_after": None}
    assert data["direct_chat"]["exists"] is True
    # the explanations and labels in her language (German), the keys as always
    assert data["language"] == "de" and data["times_are"].startswith("Ortszeit ")
    assert answer["after_deletion"] == "Bewertung und Kommentar bleiben, ohne deinen Namen"
    assert data["labels"]["signups"] == "deine Anmeldungen (fester Platz oder Warteliste)"
    assert data["value_labels"]["seat"] == "fester Platz"
    text = body(summary)
    assert "Anmeldungen: 1 (davon auf der Warteliste: 0)" in text and "Rückmeldungen: 1" in text
    assert "Kalender-Links: ja" in text and "!vergessen" in text and "/feed/" not in text


async def test_a_person_the_bot_does_not_know_gets_an_export_too(world: World) -> None:
    await world.start_bot()
    dan = await world.user("dan", join=(world.programme,))
    assert await command(world, dan, "!mydata") == SENT
    dm = await direct_chat(dan)
    summary = await dan.wait_for(dm, from_bot(world, "Deine Daten bei KIWI"))
    assert "keine Anmeldungen, Sessions, Rückmeldungen, Wünsche oder Einstellungen" in body(summary)
    file = await dan.wait_for(dm, a_file(world))
    data = json.loads(await download(dan, file["content"]["url"]))
    assert data["signups"] == [] and data["sessions_given"] == [] and data["patron"] is None


async def test_who_chose_english_gets_the_file_explained_in_english_with_the_same_keys(world: World) -> None:
    await world.start_bot()
    dan = await world.user("dan", join=(world.programme,))
    assert await command(world, dan, "!meinedaten") == SENT
    dm = await direct_chat(dan)
    first = await dan.wait_for(dm, a_file(world))
    german = json.loads(await download(dan, first["content"]["url"]))
    assert await command(world, dan, "!sprache en") == "All right: from now on I answer you in English."
    assert await command(world, dan, "!mydata") == "I sent you a direct message with your data."
    second = await dan.wait_for(dm, lambda e: a_file(world)(e) and e["event_id"] != first["event_id"])
    english = json.loads(await download(dan, second["content"]["url"]))
    assert english["language"] == "en" and english["preferences"]["language"] == "en"
    assert english["times_are"] == "local time in Europe/Berlin, with its offset from UTC"
    assert english["labels"]["signups"] == "your signups (seat or waiting list)"
    assert english["value_labels"]["waiting_list"] == "waiting list"
    assert german["language"] == "de" and german["value_labels"]["waiting_list"] == "Warteliste"
    assert "bis du darum bittest, dich zu vergessen (!vergessen)" in german["deleted_after_null_means"]
    assert german["deleted_after_null_means"].endswith("bleiben, aber ohne deinen Namen.")
    assert list(english) == list(german) and list(english["labels"]) == list(german["labels"])


def scan(path: Path, *needles: str) -> list[str]:
    """Every table, every column, every row of the database file: where a needle occurs."""
    found: list[str] = []
    with sqlite3.connect(path) as db:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            cursor = db.execute(f'SELECT * FROM "{table}"')
            names = [c[0] for c in cursor.description]
            for row in cursor:
                for name, value in zip(names, row, strict=True):
                    shown = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    found += [f"{table}.{name}: {shown[:100]}" for needle in needles if needle in shown]
    return found


def in_files(path: Path, *needles: str) -> list[str]:
    """The raw bytes of the database file and its write-ahead log: SQLite keeps deleted rows in free pages and old
    page versions in the log, where no SELECT sees them but a copy of the files would."""
    files = (path, path.with_name(path.name + "-wal"))
    return [f"{f.name}: {n}" for f in files if f.exists() for n in needles if n.encode("utf-8") in f.read_bytes()]


async def nothing_queued(app: App) -> None:
    deadline = time.monotonic() + 30
    while app.store.pending_outbox():
        assert time.monotonic() < deadline, "the outbox did not empty"
        await app.bot.outbox.flush()


async def test_forgetting_leaves_no_trace_moves_the_next_one_up_and_edits_the_post(world: World) -> None:
    app = await world.start_bot()
    erin = await world.user("erin", join=(world.programme,))
    bob = await world.user("bob", join=(world.programme,))
    carol = await world.user("carol", join=(world.programme,))
    numbers = await seed(world, app, erin, bob)
    await command(world, bob, f"!ändern {numbers['cogiven']}\nCo-Geber:in: -")  # Erin co-gives nothing ahead
    full, _ = await offer(world, bob, title="Ein Platz", when=day(8, "10:00"), seats=1)
    await command(world, erin, f"!anmelden {full}")
    assert "Warteliste" in await command(world, carol, f"!anmelden {full}")
    # her own future session is cancelled first; its post then names her
    await command(world, erin, f"!absagen {numbers['given']}")
    given = app.store.get_session(numbers["given"])
    assert given is not None and given.news_event
    path = world.tmp / "kiwibot.db"
    assert scan(path, erin.user_id) and scan(path, localpart(erin))
    assert in_files(path, erin.user_id)

    asked = await command(world, erin, "!vergessen")
    assert "Soll ich dich vergessen?" in asked and "`!vergessen bestätigen`" in asked
    done = await command(world, erin, "!vergessen bestätigen")
    assert done == (
        "Erledigt: Ich habe dich vergessen.\n"
        "Von 1 kommenden Session habe ich dich abgemeldet; wer auf der Warteliste stand, ist nachgerückt.\n"
        "Mach's gut!"
    )

    promoted = await carol.wait_for(world.programme, from_bot(world, f"Für Session {full}", "fest angemeldet"))
    assert mentions(promoted) == [carol.user_id]
    post = await shows(world, bob, given.news_event, "ehemaliges Mitglied")
    assert localpart(erin) not in post
    await settle(world, bob)
    await nothing_queued(app)
    assert scan(path, erin.user_id, localpart(erin)) == []
    assert in_files(path, erin.user_id, localpart(erin)) == []  # not in free pages, not in the log
    # the counts stay: the past session still had one participant, its feedback one answer
    assert app.store.signup_counts([numbers["taken"]]) == {numbers["taken"]: 1}
    assert app.store.feedback_of(numbers["taken"]) == [(4, "Gut erklärt")]
    # a second confirmation hears that it is already done, and stores nothing about her either
    again = await command(world, erin, "!vergessen bestätigen")
    assert again.startswith("Das ist schon erledigt: Ich habe dich bereits vergessen.")
    assert scan(path, erin.user_id, localpart(erin)) == []


async def test_after_forgetting_the_next_export_says_it_comes_in_a_new_direct_chat(world: World) -> None:
    """Forgetting deletes the record of the direct chat, so the next `!meinedaten` opens a new one: the person is
    told so in the room, not left wondering about a second chat with the bot."""
    await world.start_bot()
    erin = await world.user("erin", join=(world.programme,))
    assert await command(world, erin, "!meinedaten") == SENT
    first = await direct_chat(erin)
    await erin.wait_for(first, a_file(world))
    assert "Soll ich dich vergessen?" in await command(world, erin, "!vergessen")
    assert (await command(world, erin, "!vergessen bestätigen")).startswith("Erledigt: Ich habe dich vergessen.")
    again = await command(world, erin, "!meinedaten")
    assert again == (
        "Ich habe dir deine Daten in einem neuen Direktchat geschickt (du bekommst eine Einladung von mir). "
        "Unseren früheren Direktchat habe ich mit `!vergessen` vergessen; du kannst ihn verlassen."
    )
    second = await direct_chat(erin)
    assert second != first
    file = await erin.wait_for(second, a_file(world))
    assert file["content"]["body"] == "kiwi-meine-daten.json"
    data = json.loads(await download(erin, file["content"]["url"]))
    assert data["direct_chat"]["exists"] is True and data["signups"] == []


async def test_the_export_names_an_ended_session_held_and_comes_in_english_as_kiwi_my_data(world: World) -> None:
    await world.start_bot()
    erin = await world.user("erin", join=(world.programme,))
    bob = await world.user("bob", join=(world.programme,))
    held = await offered(world, bob, title="Vorbei", when=day(1, "09:00"))
    ahead = await offered(world, bob, title="Bald", when=day(9, "09:00"))
    await command(world, erin, f"!anmelden {held} {ahead}")
    world.clock.shift(timedelta(days=2))
    assert await command(world, erin, "!language en") == "All right: from now on I answer you in English."
    assert await command(world, erin, "!mydata") == "I sent you a direct message with your data."
    dm = await direct_chat(erin)
    summary = await erin.wait_for(dm, from_bot(world, "Your data at KIWI"))
    assert "`kiwi-my-data.json`" in body(summary)
    file = await erin.wait_for(dm, a_file(world))
    assert file["content"]["body"] == "kiwi-my-data.json"
    data = json.loads(await download(erin, file["content"]["url"]))
    assert {s["number"]: s["status"] for s in data["signups"]} == {held: "held", ahead: "open"}
    assert data["value_labels"]["held"] == "held (it has taken place)"


async def test_a_confirmation_after_ten_minutes_is_refused(world: World) -> None:
    await world.start_bot()
    erin = await world.user("erin", join=(world.programme,))
    await command(world, erin, "!vergessen")
    world.clock.shift(timedelta(minutes=10, seconds=30))
    late = await command(world, erin, "!vergessen bestätigen")
    assert late.startswith("Die Bestätigung kam zu spät (mehr als 10 Minuten nach `!vergessen`)")


async def test_who_gives_a_future_session_is_refused_with_its_number(world: World) -> None:
    await world.start_bot()
    erin = await world.user("erin", join=(world.programme,))
    number, _ = await offer(world, erin, title="Erins Runde")
    refused = await command(world, erin, "!vergessen")
    assert f"Nr. {number} „Erins Runde“" in refused
    assert f"`!ändern {number} Co-Geber:in: @name`" in refused and f"`!absagen {number}`" in refused
    await command(world, erin, "!language en")
    english = await command(world, erin, "!forget")
    assert f"No. {number} “Erins Runde”" in english and f"`!edit {number} Co-giver: @name`" in english


async def retention_ran(app: App, before: str | None) -> None:
    """Until the nightly job has run once more (the clock jumped past its time)."""
    deadline = time.monotonic() + 30
    while app.store.get_meta("retention_run") == before:
        assert time.monotonic() < deadline, "the retention job did not run"
        await asyncio.sleep(0.2)


async def test_names_stay_on_the_last_day_and_go_the_day_after(world: World) -> None:
    app = await world.start_bot()
    erin = await world.user("erin", join=(world.programme,))
    bob = await world.user("bob", join=(world.programme,))
    number = await offered(world, bob, title="Lange her", when=day(1, "09:00"))
    await command(world, erin, f"!anmelden {number}")
    await retention_ran(app, None)  # at start: nothing to do yet
    session = app.store.get_session(number)
    assert session is not None
    last_day = session.ends_at + timedelta(days=90) - timedelta(hours=1)
    run = app.store.get_meta("retention_run")
    world.clock.set(last_day)
    await retention_ran(app, run)
    note = await command(world, bob, f"!teilnehmende {number}")  # in the room: the list goes by direct message
    assert "per Direktnachricht" in note and localpart(erin) not in note
    bob_dm = await direct_chat(bob)
    listed = body(await bob.wait_for(bob_dm, from_bot(world, f"Teilnehmende von Session {number}")))
    assert localpart(erin) in listed
    path = world.tmp / "kiwibot.db"
    assert in_files(path, erin.user_id)
    run = app.store.get_meta("retention_run")
    world.clock.set(last_day + timedelta(days=1))
    await retention_ran(app, run)
    assert in_files(path, erin.user_id) == []  # not in free pages, not in the log
    listed = await command(world, bob, f"!teilnehmende {number}", room=bob_dm)
    assert localpart(erin) not in listed and "1. Name gelöscht" in listed and "(1)" in listed
    assert app.store.signup_counts([number]) == {number: 1}
