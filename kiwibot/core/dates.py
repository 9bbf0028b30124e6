"""Turning what people type ("am Donnerstag um 14 Uhr", "tomorrow 2pm") into a UTC moment.

Users think in local wall-clock time and mix German and English; the bot stores and schedules in UTC.
Parsing is strict on purpose: a guess that lands on the wrong day is worse than asking again, so
anything not clearly understood becomes a `UserError` the user can fix.

This module only parses. Whether the moment is in the past or too far ahead is the caller's business.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiwibot.core.errors import UserError

__all__ = ["parse_when", "to_local"]


@dataclass(frozen=True, slots=True)
class _Date:
    """An explicit calendar date; `year` is None for "3.12.", resolved against today later."""

    year: int | None
    month: int
    day: int


@dataclass(frozen=True, slots=True)
class _Relative:
    """A relative day ("heute", "morgen", "übermorgen") as days after today."""

    days: int


@dataclass(frozen=True, slots=True)
class _Weekday:
    """A weekday name, 0 = Monday as in `date.weekday()`."""

    index: int


@dataclass(frozen=True, slots=True)
class _Next:
    """The word "nächsten"/"next": only allowed right before a weekday."""


@dataclass(frozen=True, slots=True)
class _Filler:
    """A word that carries no meaning ("am", "um", "den"), kept because "um 9" makes 9 an hour."""

    word: str


@dataclass(frozen=True, slots=True)
class _Time:
    """A clearly recognised wall-clock time."""

    value: time


@dataclass(frozen=True, slots=True)
class _Pair:
    """Digits "d.d" without trailing dot: a date ("3.12") or a time ("14.30"), decided by context."""

    first: str
    second: str


@dataclass(frozen=True, slots=True)
class _Number:
    """A bare number: an hour after "um"/"at"/"ab", otherwise not understood."""

    value: int


_Token = _Date | _Relative | _Weekday | _Next | _Filler | _Time | _Pair | _Number

_WEEKDAYS: dict[str, int] = {
    name: index
    for index, names in enumerate(
        (
            ("montag", "mo", "monday", "mon"),
            ("dienstag", "di", "tuesday", "tue", "tues"),
            ("mittwoch", "mi", "wednesday", "wed"),
            ("donnerstag", "do", "thursday", "thu", "thur", "thurs"),
            ("freitag", "fr", "friday", "fri"),
            ("samstag", "sonnabend", "sa", "saturday", "sat"),
            ("sonntag", "so", "sunday", "sun"),
        )
    )
    for name in names
}
_RELATIVE: dict[str, int] = {
    "heute": 0,
    "today": 0,
    "morgen": 1,
    "tomorrow": 1,
    "übermorgen": 2,
    "uebermorgen": 2,
    "ubermorgen": 2,
}
_NEXT = frozenset({"nächsten", "nächste", "nächster", "naechsten", "naechste", "naechster", "next"})
_FILLERS = frozenset({"am", "um", "ab", "at", "on", "den", "dem"})
# After these a bare number is an hour ("um 9"); elsewhere it is too ambiguous to accept.
_HOUR_INTRODUCERS = frozenset({"um", "at", "ab"})

# Separators between tokens; a dot only when it ends a sentence ("um 14 Uhr.").
_SEP = re.compile(r"(?:[\s,;]|\.(?=\s|$))+")
_DAY_AFTER_TOMORROW = re.compile(r"\bday\s+after\s+tomorrow\b")
# Optional "Uhr"/"h" or am/pm after an hour. `msp` lets a spaced "am" be given back as the German filler.
_SUFFIX = r"(?:\s*(?P<uhr>uhr|h)\b|(?P<msp>\s*)(?:(?P<mer>[ap])m\b|(?P<merd>[ap])\.\s?m\.))?"

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:t(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?(?![\d:-])"
)
_DOTTED_DATE = re.compile(r"(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y>\d{4}|\d{2})?(?![\d:])")
_COLON_TIME = re.compile(r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?!\d)" + _SUFFIX)
_H_TIME = re.compile(r"(?P<h>\d{1,2})h(?P<mi>\d{2})(?!\d)")
_UHR_MINUTES = re.compile(r"(?P<h>\d{1,2})\s*uhr\s*(?P<mi>\d{2})(?![\d.:])")
_PAIR = re.compile(r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})(?![\d.:])(?:\s*(?P<uhr>uhr)\b)?")
_HOUR = re.compile(r"(?P<h>\d{1,2})(?![\d.:])" + _SUFFIX)
_WORD = re.compile(r"(?P<w>[^\W\d_]+)\.?")


class _Unparsable(Exception):
    """Internal signal: the input is not understood; turned into `date.unknown` at the boundary."""


def parse_when(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """Parse a user's date+time in the configured zone; returns an aware datetime in UTC.

    `now` (aware, any zone) only anchors "today", weekdays and year-less dates in `tz`.
    Raises `UserError` with key `date.unknown`, `date.no_time`, `date.no_date` or `date.nonexistent`.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    value = text.strip()
    today = now.astimezone(tz).date()
    try:
        day, moment = _interpret(_scan(_normalise(value)), today)
    except _Unparsable:
        raise UserError("date.unknown", value=value) from None
    if day is None and moment is None:
        raise UserError("date.unknown", value=value)
    if moment is None:
        raise UserError("date.no_time", value=value)
    if day is None:
        raise UserError("date.no_date", value=value)

    local = datetime.combine(day, moment, tzinfo=tz)  # fold=0: the first of two ambiguous moments
    utc = local.astimezone(UTC)
    # A wall-clock time inside the spring-forward gap does not survive the round trip.
    if utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise UserError("date.nonexistent", value=value)
    return utc


def to_local(moment: datetime, tz: ZoneInfo) -> datetime:
    """Show a stored UTC moment as the users' wall-clock time; naive input would silently mean host time."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("moment must be an aware datetime")
    return moment.astimezone(tz)


def _normalise(value: str) -> str:
    """Fold case and Unicode forms so "Übermorgen" typed on any keyboard matches one spelling."""
    folded = unicodedata.normalize("NFC", value).lower()
    return _DAY_AFTER_TOMORROW.sub("übermorgen", folded)


def _scan(text: str) -> list[_Token]:
    """Split the input into tokens; anything that is no known token makes the whole input unknown."""
    tokens: list[_Token] = []
    pos = 0
    while True:
        sep = _SEP.match(text, pos)
        if sep:
            pos = sep.end()
        if pos >= len(text):
            return tokens
        pos = _scan_one(text, pos, tokens)


def _scan_one(text: str, pos: int, tokens: list[_Token]) -> int:
    """Recognise the token starting at `pos`, append it (or them) and return where it ends."""
    if m := _ISO.match(text, pos):
        tokens.append(_Date(int(m["y"]), int(m["mo"]), int(m["d"])))
        if m["h"] is not None:
            tokens.append(_Time(_time(m["h"], m["mi"], m["s"] or "0")))
        return m.end()
    if m := _DOTTED_DATE.match(text, pos):
        year = None if m["y"] is None else _full_year(m["y"])
        tokens.append(_Date(year, int(m["mo"]), int(m["d"])))
        return m.end()
    if m := _COLON_TIME.match(text, pos):
        end, meridiem = _meridiem(m, text)
        tokens.append(_Time(_time(m["h"], m["mi"], meridiem=meridiem)))
        return end
    if m := (_H_TIME.match(text, pos) or _UHR_MINUTES.match(text, pos)):
        tokens.append(_Time(_time(m["h"], m["mi"])))
        return m.end()
    if m := _PAIR.match(text, pos):
        if m["uhr"]:
            tokens.append(_Time(_pair_time(m["a"], m["b"])))
        else:
            tokens.append(_Pair(m["a"], m["b"]))
        return m.end()
    if m := _HOUR.match(text, pos):
        end, meridiem = _meridiem(m, text)
        if m["uhr"] or meridiem:
            tokens.append(_Time(_time(m["h"], "0", meridiem=meridiem)))
        else:
            tokens.append(_Number(int(m["h"])))
        return end
    if m := _WORD.match(text, pos):
        tokens.append(_word(m["w"]))
        return m.end()
    raise _Unparsable


def _word(word: str) -> _Token:
    """Classify one word; unknown words are not skipped, because "bald 14 Uhr" must not mean today."""
    if word in _WEEKDAYS:
        return _Weekday(_WEEKDAYS[word])
    if word in _RELATIVE:
        return _Relative(_RELATIVE[word])
    if word in _NEXT:
        return _Next()
    if word in _FILLERS:
        return _Filler(word)
    raise _Unparsable


def _meridiem(m: re.Match[str], text: str) -> tuple[int, str | None]:
    """Decide whether a spaced "am" is English a.m. or the German "am" (on) that starts a date.

    Only where both readings give different results is German preferred: "14:00 am Montag" and
    "12:00 am Montag" mean a date follows; "9 am Montag" is 9:00 either way; a final "12 am" is midnight.
    """
    if m["merd"]:
        return m.end(), m["merd"]
    if not m["mer"]:
        return m.end(), None
    if m["mer"] == "p" or not m["msp"]:
        return m.end(), m["mer"]
    hour = int(m["h"])
    at_end = _SEP.fullmatch(text, m.end()) is not None or m.end() == len(text)
    if 1 <= hour <= 11 or (hour == 12 and at_end):
        return m.end(), "a"
    return m.start("msp"), None


def _full_year(digits: str) -> int:
    """Two-digit years are this century: nobody schedules a session for 1926."""
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _time(hour: str, minute: str, second: str = "0", meridiem: str | None = None) -> time:
    """Build a wall-clock time, rejecting 25:00 and friends instead of wrapping them."""
    h, mi, s = int(hour), int(minute), int(second)
    if meridiem is not None:
        if not 1 <= h <= 12:
            raise _Unparsable
        h = h % 12 + (12 if meridiem == "p" else 0)
    if not (0 <= h <= 23 and 0 <= mi <= 59 and 0 <= s <= 59):
        raise _Unparsable
    return time(h, mi, s)


def _pair_time(hour: str, minute: str) -> time:
    """A dotted "14.30" read as a time needs two minute digits; "14.3" is not a time."""
    if len(minute) != 2:
        raise _Unparsable
    return _time(hour, minute)


def _interpret(tokens: list[_Token], today: date) -> tuple[date | None, time | None]:
    """Combine the tokens into at most one date and one time; contradictions make the input unknown."""
    clear_time = any(isinstance(t, _Time) for t in tokens)
    days: list[date] = []
    weekdays: list[int] = []
    times: list[time] = []
    for index, token in enumerate(tokens):
        match token:
            case _Next():
                if not isinstance(tokens[index + 1] if index + 1 < len(tokens) else None, _Weekday):
                    raise _Unparsable
            case _Filler():
                pass
            case _Weekday(weekday):
                weekdays.append(weekday)
            case _Relative(offset):
                days.append(today + timedelta(days=offset))
            case _Date(year, month, day):
                days.append(_calendar_date(year, month, day, today=today))
            case _Time(moment):
                times.append(moment)
            case _Number(hour):
                previous = tokens[index - 1] if index else None
                if not (isinstance(previous, _Filler) and previous.word in _HOUR_INTRODUCERS):
                    raise _Unparsable
                times.append(_time(str(hour), "0"))
            case _Pair(first, second):
                if _pair_is_time(second, clear_time, bool(days), bool(weekdays)):
                    times.append(_pair_time(first, second))
                else:
                    days.append(_calendar_date(None, int(second), int(first), today=today))
    if len(days) > 1 or len(weekdays) > 1 or len(times) > 1:
        raise _Unparsable
    return _combine_days(days, weekdays, today), times[0] if times else None


def _pair_is_time(second: str, clear_time: bool, date_seen: bool, weekday_seen: bool) -> bool:
    """Read "d.d" as a time only when it clearly is one: after a date, and no other time given.

    After just a weekday, "Mo 14.30" is a time but "Mo 3.12" is a date (the second number fits a month).
    """
    if clear_time:
        return False
    if date_seen:
        return True
    if weekday_seen:
        return not 1 <= int(second) <= 12
    return False


def _calendar_date(year: int | None, month: int, day: int, today: date) -> date:
    """A year-less date already past this year means next year; today itself stays this year."""
    if year is None:
        year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
    try:
        return date(year, month, day)
    except ValueError:
        raise _Unparsable from None


def _combine_days(days: list[date], weekdays: list[int], today: date) -> date | None:
    """A weekday alone is the next such day after today; next to a date it must agree with it."""
    if not weekdays:
        return days[0] if days else None
    weekday = weekdays[0]
    if days:
        if days[0].weekday() != weekday:
            raise _Unparsable
        return days[0]
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
