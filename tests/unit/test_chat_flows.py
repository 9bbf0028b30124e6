"""Chat flows, offline: who sees the participants list where, number lists with a bad item, reminder choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiwibot.core.people import reminder_choice
from tests.unit.adapterkit import ADMIN, BOB, CAROL, ROOM, Bot, FakeServer, text

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
