"""`!meinedaten` and `!vergessen` through the whole bot, offline (adapterkit): every kind of data seeded by the
commands and reactions people use, the export read back from the queued file, and after forgetting a scan of every
table and every column of the SQLite file for the person's id and its localpart."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.pseudonyms import is_pseudonym
from tests.unit.adapterkit import ADMIN, BOB, CAROL, ROOM, Bot, FakeServer, pill, reaction, text

ERIN = "@erin-privacy:x"
LOCALPART = "erin-privacy"
DAN = "@dan:x"
START = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def offer(title: str, when: str, extra: str = "") -> str:
    return f"!anbieten\nTitel: {title}\nTermin: {when}\nDauer: 60\nFormat: impuls\nLink: https://meet.x/a{extra}"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def bot(tmp_path: Path, clock: FixedClock, bots: list[Bot]) -> Bot:
    started = Bot(tmp_path, FakeServer(), clock)
    bots.append(started)
    return started


def queued_by(bot: Bot, command: Any) -> list[Any]:
    """The outbox rows a command queued (its answer, direct messages, files), in order."""
    return [item for item in bot.app.store.pending_outbox(limit=10_000) if item.id > command]


def last_row(bot: Bot) -> int:
    return int(bot.app.store.db.execute("SELECT COALESCE(MAX(id), 0) FROM outbox").fetchone()[0])


async def say(bot: Bot, sender: str, body: str, html: str | None = None, room: str = ROOM) -> str:
    """A command as typed; returns the text of its (still queued) answer."""
    extra = {"format": "org.matrix.custom.html", "formatted_body": html} if html else {}
    event = await bot.event(sender, text(body, **extra), room=room)
    answers = [
        item.content
        for item in bot.app.store.pending_outbox()
        if (item.content.get("m.relates_to") or {}).get("m.in_reply_to", {}).get("event_id") == event
    ]
    await bot.deliver()
    return str(answers[0]["body"]) if answers else ""


def reaction_at(bot: Bot, sender: str, target: str, at: datetime) -> str:
    """A 👍 the server stamped at `at`, not delivered yet (as if the bot had been away)."""
    source = bot.server.add(ROOM, sender, "m.reaction", reaction(target))
    source["origin_server_ts"] = int(at.timestamp() * 1000)
    return str(source["event_id"])


def news(bot: Bot, number: int) -> str:
    session = bot.app.store.get_session(number)
    assert session is not None and session.news_event
    return session.news_event


async def seed_everything(bot: Bot, clock: FixedClock) -> dict[str, Any]:
    """Erin gives, co-gives, takes part, waits, shares, wishes, likes a wish, gives feedback, chose settings,
    has calendar links and a direct chat, is a patron; one of each at least."""
    await say(bot, ERIN, offer("Erins Runde", "25.11.2026 14:00"))  # 1: given by Erin, will be past
    cogiver_html = f"Co-Geber:in: {pill(ERIN, 'Erin')}"
    await say(
        bot,
        BOB,
        offer("Bobs Runde", "25.11.2026 16:00", "\nCo-Geber:in: Erin"),
        html=offer("Bobs Runde", "25.11.2026 16:00").replace("\n", "<br>") + "<br>" + cogiver_html,
    )  # 2: co-given by Erin
    await say(bot, BOB, offer("Vergangen", "26.11.2026 10:00"))  # 3: Erin takes part, gives feedback
    await say(bot, BOB, offer("Bald", "10.12.2026 10:00", "\nPlätze: 1"))  # 4: Erin has the one seat
    assert bot.app.store.get_session(2).cogivers == (ERIN,)  # type: ignore[union-attr]
    old_reaction = await bot.react(ERIN, news(bot, 3))
    await bot.react(ERIN, news(bot, 4))
    await say(bot, ERIN, "!anmelden 4")
    assert "Warteliste" in await say(bot, CAROL, "!anmelden 4")
    await say(bot, ERIN, "!material 1 https://x.example/folien Folien")
    await say(bot, ERIN, "!wunsch Barrierefreie PDFs")
    await say(bot, CAROL, "!wunsch Excel für Fortgeschrittene")
    carol_wish = bot.app.store.get_wish(2)
    assert carol_wish is not None and carol_wish.post_event
    await bot.react(ERIN, carol_wish.post_event)
    await say(bot, ADMIN, f"!pate {ERIN}")
    await say(bot, ERIN, "!erinnerung dm")
    await say(bot, ERIN, "!sprache en")
    await say(bot, ERIN, "!kalender")
    clock.moment = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # sessions 1–3 are over
    assert "Thank you" in await say(bot, ERIN, "!feedback 3 5 Sehr hilfreich")
    await bot.settle()
    return {"old_reaction": old_reaction}


def scan(path: Path, *needles: str) -> list[str]:
    """Every table of the file, every column, every row: where any needle occurs (text, or bytes as UTF-8)."""
    found: list[str] = []
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cursor = db.execute(f'SELECT * FROM "{table}"')
            columns = [c[0] for c in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    shown = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    found += [f"{table}.{column}: {shown[:120]}" for needle in needles if needle in shown]
    return found


async def test_the_export_holds_every_kind_with_its_deletion_date(bot: Bot, clock: FixedClock) -> None:
    await seed_everything(bot, clock)
    before = last_row(bot)
    event = await bot.event(ERIN, text("!mydata"))
    queued = queued_by(bot, before)
    assert [i.room_id for i in queued] == [f"dm:{ERIN}", f"dm:{ERIN}", ROOM]  # the direct message, its file, the answer
    assert queued[2].content["body"] == "I sent you a direct message with your data."
    summary, file = queued[0].content, queued[1].content
    assert file["msgtype"] == "m.file" and file["filename"] == "kiwi-my-data.json"  # named in her language
    data = json.loads((bot.app.store.outbox_file(queued[1].id) or b"").decode("utf-8"))
    assert event and data["user_id"] == ERIN and data["retention_days"] == 90
    assert [s["number"] for s in data["sessions_given"]] == [1]
    assert [s["number"] for s in data["sessions_cogiven"]] == [2]
    signups = {s["number"]: s for s in data["signups"]}
    assert signups[4]["place"] == "seat" and signups[4]["via"] == ["command", "reaction"]
    assert signups[3]["deleted_after"] == "2027-02-24T11:00:00+01:00"  # 90 days after it ended at 11:00
    assert data["feedback"] == [
        {
            "number": 3,
            "title": "Vergangen",
            "starts_at": "2026-11-26T10:00:00+01:00",
            "ends_at": "2026-11-26T11:00:00+01:00",
            "status": "held",  # it is over: not "open" any more
            "rating": 5,
            "comment": "Sehr hilfreich",
            "given_at": "2026-11-27T13:00:00+01:00",
            "deleted_after": "2027-02-24T11:00:00+01:00",
            "after_deletion": "the rating and comment stay, without your name",
        }
    ]
    assert [w["wish"] for w in data["wishes"]] == ["W1"] and [w["wish"] for w in data["wish_interest"]] == ["W2"]
    assert data["materials"][0]["url"] == "https://x.example/folien"
    assert data["preferences"] == {"language": "en", "reminders": "dm", "deleted_after": None}
    assert data["calendar_links"] == {"exist": True, "deleted_after": None}  # never the secret
    assert data["direct_chat"]["exists"] is True and data["patron"]["since"] == "2026-11-21T11:00:00+01:00"
    # offer, join, material, wish, reminders, language, calendar, feedback
    assert len(data["technical"]["commands"]) == 8
    text_of = summary["body"]
    assert "Signups: 2 (on the waiting list: 0)" in text_of and "Feedback: 1" in text_of
    assert "calendar links: yes" in text_of and "!forget" in text_of


async def test_a_person_without_data_gets_an_export_too(bot: Bot) -> None:
    await bot.event(DAN, text("!meinedaten"))
    queued = queued_by(bot, 0)
    assert queued[2].content["body"] == "Ich habe dir eine Direktnachricht mit deinen Daten geschickt."
    assert "keine Anmeldungen" in queued[0].content["body"]
    data = json.loads(bot.app.store.outbox_file(queued[1].id) or b"")
    assert data["signups"] == [] and data["calendar_links"] == {"exist": False, "deleted_after": None}


async def test_forgetting_leaves_no_trace_but_the_counts(bot: Bot, clock: FixedClock) -> None:
    seeded = await seed_everything(bot, clock)
    path = Path(bot.app.store._path)
    assert len(scan(path, ERIN)) > 20 and scan(path, LOCALPART)  # the scan finds what is there
    asked = await say(bot, ERIN, "!forget")
    assert "Shall I forget you?" in asked and "!forget confirm" in asked
    done = await say(bot, ERIN, "!forget confirm")
    assert done.startswith("Done: I have forgotten you.\nI signed you off 1 upcoming session; whoever was waiting")
    await bot.settle()
    await bot.deliver()
    # Carol moved up into Erin's seat and was told
    assert bot.app.store.attendees(4) == [CAROL]
    told = [e for e in bot.server.sent() if CAROL in (e["content"].get("m.mentions") or {}).get("user_ids", [])]
    assert any("Bald" in e["content"]["body"] for e in told), told
    # the counts stay: session 3 still had one participant and one answer, session 2 a co-giver
    assert len(bot.app.store.attendees(3)) == 1 and is_pseudonym(bot.app.store.attendees(3)[0])
    assert bot.app.store.feedback_of(3) == [(5, "Sehr hilfreich")]
    session_2 = bot.app.store.get_session(2)
    assert session_2 is not None and len(session_2.cogivers) == 1 and is_pseudonym(session_2.cogivers[0])
    # the news posts that named Erin were edited
    assert "former member" not in bot.server.edits_of(news(bot, 1))[-1]["body"]  # posts speak the room's German
    assert "ehemaliges Mitglied" in bot.server.edits_of(news(bot, 1))[-1]["body"]
    assert "ehemaliges Mitglied" in bot.server.edits_of(news(bot, 2))[-1]["body"]
    # nowhere in the database
    assert scan(path, ERIN, LOCALPART) == []
    # an old reaction read back (sent again, or found when comparing with the server) does not count again
    await bot.redeliver(seeded["old_reaction"])
    late = reaction_at(bot, ERIN, news(bot, 4), datetime(2026, 11, 27, 11, 0, tzinfo=UTC))  # before the forgetting
    await bot.redeliver(late)  # reaching the bot only now
    await bot.bot.sync.reconcile_signups()
    assert bot.app.store.attendees(4) == [CAROL]
    assert scan(path, ERIN, LOCALPART) == []
    # a second confirmation hears it is already done (in German now: her language was forgotten too; the marker
    # kept against old reactions tells), and still stores nothing about her
    again = await say(bot, ERIN, "!vergessen bestätigen")
    assert again.startswith("Das ist schon erledigt: Ich habe dich bereits vergessen.") and "`!vergessen`" in again
    assert scan(path, ERIN, LOCALPART) == []


async def test_a_new_reaction_after_forgetting_counts_again(bot: Bot, clock: FixedClock) -> None:
    await say(bot, BOB, offer("Bald", "10.12.2026 10:00"))
    await say(bot, ERIN, "!vergessen")
    await say(bot, ERIN, "!vergessen bestätigen")
    before = reaction_at(bot, ERIN, news(bot, 1), START - timedelta(minutes=1))
    await bot.redeliver(before)
    assert bot.app.store.attendees(1) == []  # made before the forgetting: not counted
    after = reaction_at(bot, ERIN, news(bot, 1), START + timedelta(minutes=1))
    await bot.redeliver(after)
    assert bot.app.store.attendees(1) == [ERIN]  # made after it: a new signup, as anyone's
