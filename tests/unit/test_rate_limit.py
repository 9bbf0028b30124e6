"""The command rate limit loses nothing unnoticed: the note says the commands are not carried out and from what
time to send them again; a retry that comes too early is told once more; a new burst gets a new note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.messages import Moment, Msg
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.matrix.render import Renderer
from kiwibot.storage import Store

TZ = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 21, 12, 0, 10, tzinfo=UTC)  # 13:00:10 in Berlin
ANNA = "@anna:x"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def kiwi(tmp_path: Path, clock: FixedClock) -> Kiwi:
    settings = Settings(timezone=TZ, commands_per_minute=3)
    return Kiwi(Store.open(tmp_path / "k.db"), clock, settings, MatrixPlatform())


def at(clock: FixedClock, seconds: float) -> None:
    clock.moment = START + timedelta(seconds=seconds)


def note(result: Msg | bool | None) -> Msg:
    assert isinstance(result, Msg), result
    return result


def text(message: Msg, language: str) -> str:
    return Renderer(TZ).render(message, language).body


def test_the_note_says_the_command_is_not_carried_out_and_when_to_send_again(kiwi: Kiwi, clock: FixedClock) -> None:
    for second in (0, 1, 2):
        at(clock, second)
        assert kiwi.admit(ANNA) is True
    at(clock, 3)
    first = note(kiwi.admit(ANNA))
    assert first.key == "limits.slow_down"
    # the first command (13:00:10) leaves the minute at 13:01:10; shown rounded up, never too early
    assert first.params["time"] == Moment(datetime(2026, 11, 21, 12, 2, tzinfo=UTC), "time")
    assert text(first, "de") == (
        "Das sind gerade sehr viele Befehle auf einmal (mehr als 3 pro Minute). Diesen und alle weiteren Befehle "
        "führe ich vorerst nicht aus – bitte schick sie ab 13:02 Uhr noch einmal."
    )
    assert "please send them again from 1:02 PM" in text(first, "en")


def test_the_rest_of_a_burst_is_silent_but_a_later_retry_is_told_once(kiwi: Kiwi, clock: FixedClock) -> None:
    for second in (0, 1, 2):
        at(clock, second)
        kiwi.admit(ANNA)
    at(clock, 3)
    assert note(kiwi.admit(ANNA)).key == "limits.slow_down"
    at(clock, 4)
    assert kiwi.admit(ANNA) is None  # the same burst: one note is enough
    at(clock, 30)  # a retry, too early: not lost in silence
    reminder = note(kiwi.admit(ANNA))
    assert reminder.key == "limits.still_held"
    assert (
        text(reminder, "de")
        == "Auch diesen Befehl führe ich noch nicht aus. Bitte schick ihn ab 13:02 Uhr noch einmal."
    )
    at(clock, 45)
    assert kiwi.admit(ANNA) is None  # at most two notes while held: no flood
    assert kiwi.admit("@ben:x") is True  # per person


def test_a_new_burst_after_the_minute_gets_a_new_note(kiwi: Kiwi, clock: FixedClock) -> None:
    for second in (0, 1, 2):
        at(clock, second)
        kiwi.admit(ANNA)
    at(clock, 3)
    note(kiwi.admit(ANNA))
    at(clock, 60)  # the first command has left the window: one is admitted again
    assert kiwi.admit(ANNA) is True
    at(clock, 62)  # the second and third (at 1 s, 2 s) are gone too
    assert kiwi.admit(ANNA) is True and kiwi.admit(ANNA) is True
    again = note(kiwi.admit(ANNA))  # a few seconds after the first note, but a new hold: told again
    assert again.key == "limits.slow_down"
    # the window now begins at 13:01:10: free at 13:02:10, shown as 13:03
    assert again.params["time"] == Moment(datetime(2026, 11, 21, 12, 3, tzinfo=UTC), "time")


def test_at_the_time_told_the_held_commands_can_all_be_sent_again(kiwi: Kiwi, clock: FixedClock) -> None:
    """The time told is when the whole allowance is back, not when the oldest command leaves the minute (then
    only one would be taken and the person held again)."""
    for second in (0, 50, 55):
        at(clock, second)
        assert kiwi.admit(ANNA) is True
    at(clock, 56)
    held = note(kiwi.admit(ANNA))
    # the last command admitted (13:01:05) leaves the minute at 13:02:05: shown as 13:03
    assert held.params["time"] == Moment(datetime(2026, 11, 21, 12, 3, tzinfo=UTC), "time")
    clock.moment = datetime(2026, 11, 21, 12, 3, tzinfo=UTC)
    assert [kiwi.admit(ANNA) for _ in range(3)] == [True, True, True]
