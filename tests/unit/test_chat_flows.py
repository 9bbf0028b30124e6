"""Chat flows, offline: who sees the participants list where, number lists with a bad item, reminder choices,
the overlap note."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Direct, Notify
from kiwibot.core.messages import Text
from kiwibot.core.people import reminder_choice
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.matrix.render import Renderer
from kiwibot.storage import Store
from tests.unit.adapterkit import ADMIN, BOB, CAROL, ROOM, Bot, FakeServer, text
from tests.unit.test_service import GIVER, NOW, fields

DM = "!dm-bob:x"


def queued_in(bot: Bot, room: str) -> list[str]:
    return [item.content["body"] for item in bot.app.store.pending_outbox() if item.room_id == room]


async def test_the_participants_list_goes_by_direct_message_and_the_room_sees_a_note(
    tmp_path: Path, bots: list[Bot]
) -> None:
    bot = Bot(tmp_path, FakeServer())
    bots.append(bot)
    number, _ = await bot.offer(BOB)
    await bot.event(CAROL, text(f"!anmelden {number}"))
    await bot.deliver()
    await bot.event(BOB, text(f"!teilnehmende {number}"))
    in_room = queued_in(bot, ROOM)
    assert in_room == [f"Die Teilnehmenden von Session {number} „E-Akte“ habe ich dir per Direktnachricht geschickt."]
    assert CAROL not in in_room[0]
    (direct,) = queued_in(bot, f"dm:{BOB}")
    assert f"Teilnehmende von Session {number}" in direct and CAROL in direct
    await bot.deliver()

    bot.app.store.set_direct_room(BOB, DM)
    await bot.event(BOB, text(f"!teilnehmende {number}"), room=DM)
    (answer,) = queued_in(bot, DM)
    assert f"Teilnehmende von Session {number}" in answer and CAROL in answer
    assert queued_in(bot, ROOM) == []


async def test_a_wish_number_in_a_signup_list_is_explained_and_the_sessions_are_joined(
    tmp_path: Path, bots: list[Bot]
) -> None:
    bot = Bot(tmp_path, FakeServer())
    bots.append(bot)
    first, _ = await bot.offer(BOB)
    second, _ = await bot.offer(ADMIN)
    await bot.event(CAROL, text(f"!anmelden #{first}, {second} und W7 bitte"))
    answer = bot.answers()[-1]["body"]
    assert f"Session {first}" in answer and f"Session {second}" in answer and "angemeldet" in answer
    assert "„W7“ ist die Nummer eines Themenwunsches" in answer
    assert bot.app.store.attendees(first) == [CAROL] and bot.app.store.attendees(second) == [CAROL]
    await bot.event(CAROL, text(f"!abmelden {first} W7"))
    answer = bot.answers()[-1]["body"]
    assert "abgemeldet" in answer and "Themenwunsches" in answer
    assert bot.app.store.attendees(first) == []


@pytest.mark.parametrize(
    ("words", "choice"),
    [
        ("Direktnachricht", "dm"),
        ("per DM", "dm"),
        ("per Direktnachricht", "dm"),
        ("direct message", "dm"),
        ("by DM", "dm"),
        ("dm.", "dm"),
        ("im Thread", "thread"),
        ("in the thread", "thread"),
        ("Faden", "thread"),
        ("aus", "off"),
        ("an", "thread"),
        ("per Brieftaube", None),
        ("Thread DM", None),
    ],
)
def test_reminder_choices_are_read_in_the_words_people_use(words: str, choice: str | None) -> None:
    assert reminder_choice(words) == choice


async def test_erinnerung_per_dm_through_the_adapter(tmp_path: Path, bots: list[Bot]) -> None:
    bot = Bot(tmp_path, FakeServer())
    bots.append(bot)
    await bot.event(CAROL, text("!erinnerung per Direktnachricht"))
    assert bot.answers()[-1]["body"] == "Alles klar: Ich erinnere dich per Direktnachricht."
    assert bot.app.store.reminder_prefs([CAROL]) == {CAROL: "dm"}
    await bot.event(CAROL, text("!erinnerung im Thread"))
    assert bot.app.store.reminder_prefs([CAROL]) == {CAROL: "thread"}
    await bot.event(CAROL, text("!erinnerung per Brieftaube"))
    assert "„per Brieftaube“ kenne ich nicht" in bot.answers()[-1]["body"]


# -- the overlap note: bounded, and as friendly after a change as after an offer -----------------------


@pytest.fixture
def kiwi(tmp_path: Path) -> Kiwi:
    return Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), Settings(admins=frozenset({ADMIN})), MatrixPlatform())


def rendered(message: Text) -> str:
    return Renderer(ZoneInfo("Europe/Berlin")).render(message, "de").body


def test_the_overlap_note_names_three_sessions_and_counts_the_rest(kiwi: Kiwi) -> None:
    for i in range(6):
        kiwi.offer(f"@giver{i}:x", fields(title=f"S{i}"), None, None)
    note = rendered(kiwi.confirmation(kiwi.session(6), "link"))
    assert "Zur selben Zeit laufen schon Nr. 1 „S0“, Nr. 2 „S1“, Nr. 3 „S2“ und 2 weitere." in note
    assert "S3" not in note and "Das ist erlaubt – vielleicht passt aber ein anderer Termin?" in note
    english = Renderer(ZoneInfo("Europe/Berlin")).render(kiwi.confirmation(kiwi.session(6), "link"), "en").body
    assert 'no. 1 "S0", no. 2 "S1", no. 3 "S2" and 2 more run at the same time' in english
    kiwi.offer(GIVER, fields(title="Später", starts_at=NOW + timedelta(days=9)), None, None)
    moved = kiwi.edit(GIVER, 7, fields(starts_at=NOW + timedelta(days=3), given=frozenset({"when"})))
    assert moved.reply is not None
    note = rendered(moved.reply)
    assert "Session 7 ist geändert. Hinweis: Zur selben Zeit laufen schon Nr. 1 „S0“, Nr. 2 „S1“, Nr. 3 „S2“" in note
    assert "„S2“ und 3 weitere. Das ist erlaubt – vielleicht passt aber ein anderer Termin?" in note


def test_one_or_two_overlaps_are_named_without_a_count(kiwi: Kiwi) -> None:
    kiwi.offer("@a:x", fields(title="A"), None, None)
    kiwi.offer(GIVER, fields(title="B"), None, None)
    note = rendered(kiwi.confirmation(kiwi.session(2), "link"))
    assert "Zur selben Zeit läuft schon Nr. 1 „A“. Das ist erlaubt" in note and "weitere" not in note


def test_lowering_the_seats_tells_each_person_moved_to_the_waiting_list_their_own_place(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(seats=3), None, None)
    for person in ("@ann:x", "@eva:x", "@ben:x"):
        kiwi.sign_up(person, 1, f"${person}", "reaction")
    kiwi.set_reminder_pref("@ben:x", "dm")
    outcome = kiwi.edit(GIVER, 1, fields(seats=1, given=frozenset({"seats"})))
    told = {
        effect.users if isinstance(effect, Notify) else (effect.user_id,): rendered(effect.message)
        for effect in outcome.effects
        if isinstance(effect, Notify | Direct) and "Warteliste" in rendered(effect.message)
    }
    assert set(told) == {("@eva:x",), ("@ben:x",)}
    assert "deshalb stehst du auf der Warteliste, auf Platz 1." in told[("@eva:x",)]
    assert "deshalb stehst du auf der Warteliste, auf Platz 2." in told[("@ben:x",)]
    assert "@ben:x" not in told[("@eva:x",)]
