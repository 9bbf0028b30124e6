"""Dates and session numbers as people type them, answered by the real bot over a real Synapse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import User, body
from tests.integration.sessionkit import BERLIN, day, offer

pytestmark = pytest.mark.integration

WEEKDAYS_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS_SHORT = ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.")


def local_day(offset_days: int) -> date:
    """A day relative to the real today in Berlin, as the bot's clock (not shifted here) sees it."""
    return (datetime.now(UTC).astimezone(BERLIN) + timedelta(days=offset_days)).date()


def offer_lines(when: str, *, duration: str | None = "60", title: str = "Datumsformen") -> str:
    lines = ["!anbieten", f"Titel: {title}", f"Termin: {when}", "Format: impuls"]
    if duration is not None:
        lines.append(f"Dauer: {duration}")
    return "\n".join([*lines, "Beschreibung: Wie man Termine schreibt."])


async def ask(world: World, user: User, text: str) -> str:
    sent = await user.send(world.programme, text)
    return body(await user.wait_reply(world.programme, sent, world.bot_id))


async def test_offer_with_month_name_and_with_time_range(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    first = local_day(3)
    reply = await ask(world, giver, offer_lines(f"{first.day}. {MONTHS_SHORT[first.month - 1]} 14:00"))
    assert "Nummer 1" in reply, reply
    session = app.store.get_session(1)
    assert session is not None
    assert session.starts_at == datetime(first.year, first.month, first.day, 14, tzinfo=BERLIN)
    assert session.duration == 60

    second = local_day(4)
    when = f"{WEEKDAYS_SHORT[second.weekday()]}, {second.day}.{second.month}., 14 bis 15:30 Uhr"
    reply = await ask(world, giver, offer_lines(when, duration=None, title="Mit Zeitraum"))
    assert "Nummer 2" in reply, reply
    session = app.store.get_session(2)
    assert session is not None
    assert session.starts_at == datetime(second.year, second.month, second.day, 14, tzinfo=BERLIN)
    assert session.duration == 90, "the range gives the duration"

    # A repeat keeps the duration: a range that says otherwise is named, one that agrees is fine.
    reply = await ask(world, giver, f"!wiederholen 2 {day(8, '10-11 Uhr')}")
    assert "dauert 60 Minuten, Session 2 aber 90" in reply, reply
    reply = await ask(world, giver, f"!wiederholen 2 {day(8, '10:00-11:30')}")
    assert "Nummer 3" in reply, reply
    assert app.store.get_session(3).duration == 90


async def test_wrong_weekday_and_past_days_are_named_as_such(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    target = local_day(5)
    wrong = WEEKDAYS_SHORT[(target.weekday() + 1) % 7]
    reply = await ask(world, giver, offer_lines(f"{wrong} {target.day}.{target.month}. 14 Uhr"))
    assert "passen Wochentag und Datum nicht zusammen" in reply, reply
    assert f"{WEEKDAYS[target.weekday()]}, {target.day}." in reply, "names the real weekday"
    assert "verstehe ich nicht" not in reply
    assert app.store.get_session(1) is None

    reply = await ask(world, giver, offer_lines("gestern 10 Uhr"))
    assert "liegt in der Vergangenheit" in reply, reply
    assert "verstehe ich nicht" not in reply
    assert app.store.get_session(1) is None

    number, _news = await offer(world, giver, when=day(6, "10:00"))
    reply = await ask(world, giver, f"!ändern {number}\nTermin: gestern 10 Uhr")
    assert "liegt in der Vergangenheit" in reply, reply
    reply = await ask(world, giver, f"!wiederholen {number} gestern 10 Uhr")
    assert "liegt in der Vergangenheit" in reply, reply
    assert app.store.get_session(number + 1) is None


async def test_session_numbers_as_people_write_them_and_several_at_once(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    first, _ = await offer(world, giver, title="Erste", when=day(3, "10:00"))
    second, _ = await offer(world, giver, title="Zweite", when=day(4, "10:00"))

    reply = await ask(world, anna, f"!anmelden Nr. {first}")
    assert f"für Session {first} „Erste“ angemeldet" in reply, reply
    reply = await ask(world, anna, f"!abmelden #{first}.")
    assert f"von Session {first} „Erste“ abgemeldet" in reply, reply
    assert app.store.attendees(first) == []

    reply = await ask(world, anna, f"!anmelden {first} {second}")
    assert f"für Session {first} „Erste“ angemeldet" in reply, reply
    assert f"für Session {second} „Zweite“ angemeldet" in reply, reply
    assert app.store.attendees(first) == app.store.attendees(second) == [anna.user_id]

    reply = await ask(world, anna, f"!abmelden {first}, {second} und 99")
    assert f"von Session {first} „Erste“ abgemeldet" in reply, reply
    assert f"von Session {second} „Zweite“ abgemeldet" in reply, reply
    assert "Nr. 99 gibt es nicht" in reply, "the bad number is named in the same reply"
    assert app.store.attendees(first) == app.store.attendees(second) == []


async def test_a_second_number_is_refused_where_only_one_makes_sense(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    first, _ = await offer(world, giver, title="Erste", when=day(3, "10:00"))
    second, _ = await offer(world, giver, title="Zweite", when=day(4, "10:00"))

    reply = await ask(world, giver, f"!absagen {first} {second}")
    assert "Bitte nur eine Session-Nummer" in reply and "beginnt mit einem Wort" in reply, reply
    assert "!absagen <Nr.> [Grund]" in reply
    assert not app.store.get_session(first).cancelled
    reply = await ask(world, giver, f"!teilnehmende {first} {second}")
    assert "Bitte nur eine Session-Nummer" in reply, reply

    reply = await ask(world, giver, f"!absagen {second} 6. Dezember fällt aus")
    assert "abgesagt" in reply, reply
    cancelled = app.store.get_session(second)
    assert cancelled.cancelled and cancelled.cancel_reason == "6. Dezember fällt aus"
    assert not app.store.get_session(first).cancelled
