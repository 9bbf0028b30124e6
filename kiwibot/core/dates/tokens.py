"""The tokens a date text is cut into, and building a valid wall-clock time from digits.

Shared by the scanner, which makes the tokens, and the interpreter, which combines them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True, slots=True)
class CalendarDate:
    """An explicit calendar date; `year` is None for "3.12.", resolved against today later."""

    year: int | None
    month: int
    day: int


@dataclass(frozen=True, slots=True)
class RelativeDay:
    """A relative day ("heute", "morgen", "gestern") as days after today (negative: before)."""

    days: int


@dataclass(frozen=True, slots=True)
class WeekdayName:
    """A weekday name, 0 = Monday as in `date.weekday()`."""

    index: int


@dataclass(frozen=True, slots=True)
class Next:
    """The word "nächsten"/"next": only allowed right before a weekday."""


@dataclass(frozen=True, slots=True)
class Last:
    """The word "letzten"/"last": only allowed right before a weekday, which then lies before today."""


@dataclass(frozen=True, slots=True)
class Filler:
    """A word that carries no meaning ("am", "um", "den"), kept because "um 9" makes 9 an hour."""

    word: str


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A clearly recognised wall-clock time; `meridiem` ("a"/"p") lets "2-3pm" give 14:00 to its start."""

    value: time
    meridiem: str | None = None


@dataclass(frozen=True, slots=True)
class Pair:
    """Digits "d.d" without trailing dot: a date ("3.12") or a time ("14.30"), decided by context."""

    first: str
    second: str


@dataclass(frozen=True, slots=True)
class Number:
    """A bare number: an hour after "um"/"at"/"ab"/"von" or in a range, otherwise not understood."""

    value: int


@dataclass(frozen=True, slots=True)
class RangeSep:
    """ "-", "bis", "to" between two times. A dash elsewhere is a mere separator ("3.12. – 14 Uhr")."""

    word: bool


@dataclass(frozen=True, slots=True)
class TimeRange:
    """Two times joined by a range separator: "14-15 Uhr", "14:00 bis 15:30"."""

    start: time
    end: time


Token = (
    CalendarDate | RelativeDay | WeekdayName | Next | Last | Filler | ClockTime | Pair | Number | RangeSep | TimeRange
)

# After these a bare number is an hour ("um 9", "von 14 bis 15"); elsewhere it is too ambiguous to accept.
HOUR_INTRODUCERS = frozenset({"um", "at", "ab", "von", "from"})


class Unparsable(Exception):
    """Internal signal: the input is not understood; turned into `date.unknown` at the boundary."""


def make_time(hour: str, minute: str, second: str = "0", meridiem: str | None = None) -> time:
    """Build a wall-clock time, rejecting 25:00 and friends instead of wrapping them."""
    h, mi, s = int(hour), int(minute), int(second)
    if meridiem is not None:
        if not 1 <= h <= 12:
            raise Unparsable
        h = h % 12 + (12 if meridiem == "p" else 0)
    if not (0 <= h <= 23 and 0 <= mi <= 59 and 0 <= s <= 59):
        raise Unparsable
    return time(h, mi, s)


def pair_time(hour: str, minute: str) -> time:
    """A dotted "14.30" read as a time needs two minute digits; "14.3" is not a time."""
    if len(minute) != 2:
        raise Unparsable
    return make_time(hour, minute)
