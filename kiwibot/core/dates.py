"""Turning what people type ("am Donnerstag um 14 Uhr", "3. Dez. 14-15 Uhr", "tomorrow 2pm") into a UTC moment.

Users think in local wall-clock time and mix German and English; the bot stores and schedules in UTC.
Parsing is strict on purpose: a guess that lands on the wrong day is worse than asking again, so
anything not clearly understood becomes a `UserError` the user can fix.

This module only parses. Whether the moment is in the past or too far ahead is the caller's business
("gestern 10 Uhr" parses to yesterday, and the caller says that it is past).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiwibot.core.errors import UserError
from kiwibot.core.messages import Moment
from kiwibot.core.model import DURATIONS

__all__ = ["Slot", "parse_slot", "parse_when", "starts_with_moment", "to_local"]


@dataclass(frozen=True, slots=True)
class Slot:
    """A parsed "Termin": the start, and the length in minutes when a range ("14-15 Uhr") gave an end.

    `minutes` is None without an end; with one it is already one of `DURATIONS`.
    """

    starts_at: datetime  # aware, UTC
    minutes: int | None = None


@dataclass(frozen=True, slots=True)
class _Date:
    """An explicit calendar date; `year` is None for "3.12.", resolved against today later."""

    year: int | None
    month: int
    day: int


@dataclass(frozen=True, slots=True)
class _Relative:
    """A relative day ("heute", "morgen", "gestern") as days after today (negative: before)."""

    days: int


@dataclass(frozen=True, slots=True)
class _Weekday:
    """A weekday name, 0 = Monday as in `date.weekday()`."""

    index: int


@dataclass(frozen=True, slots=True)
class _Next:
    """The word "nächsten"/"next": only allowed right before a weekday."""


@dataclass(frozen=True, slots=True)
class _Last:
    """The word "letzten"/"last": only allowed right before a weekday, which then lies before today."""


@dataclass(frozen=True, slots=True)
class _Filler:
    """A word that carries no meaning ("am", "um", "den"), kept because "um 9" makes 9 an hour."""

    word: str


@dataclass(frozen=True, slots=True)
class _Time:
    """A clearly recognised wall-clock time; `meridiem` ("a"/"p") lets "2-3pm" give 14:00 to its start."""

    value: time
    meridiem: str | None = None


@dataclass(frozen=True, slots=True)
class _Pair:
    """Digits "d.d" without trailing dot: a date ("3.12") or a time ("14.30"), decided by context."""

    first: str
    second: str


@dataclass(frozen=True, slots=True)
class _Number:
    """A bare number: an hour after "um"/"at"/"ab"/"von" or in a range, otherwise not understood."""

    value: int


@dataclass(frozen=True, slots=True)
class _RangeSep:
    """ "-", "bis", "to" between two times. A dash elsewhere is a mere separator ("3.12. – 14 Uhr")."""

    word: bool


@dataclass(frozen=True, slots=True)
class _Range:
    """Two times joined by a range separator: "14-15 Uhr", "14:00 bis 15:30"."""

    start: time
    end: time


_Token = _Date | _Relative | _Weekday | _Next | _Last | _Filler | _Time | _Pair | _Number | _RangeSep | _Range

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
# German and English month names, full and abbreviated ("Dez.", "Sept"), Austrian "Jänner" too.
_MONTHS: dict[str, int] = {
    name: index
    for index, names in enumerate(
        (
            ("januar", "jänner", "jaenner", "january", "jan", "jän"),
            ("februar", "feber", "february", "feb", "febr"),
            ("märz", "maerz", "marz", "march", "mär", "mrz", "mar"),
            ("april", "apr"),
            ("mai", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("dezember", "december", "dez", "dec"),
        ),
        start=1,
    )
    for name in names
}
_RELATIVE: dict[str, int] = {
    "vorgestern": -2,
    "gestern": -1,
    "yesterday": -1,
    "heute": 0,
    "today": 0,
    "morgen": 1,
    "tomorrow": 1,
    "übermorgen": 2,
    "uebermorgen": 2,
    "ubermorgen": 2,
}
_NEXT = frozenset({"nächsten", "nächste", "nächster", "naechsten", "naechste", "naechster", "next"})
_LAST = frozenset({"letzten", "letzte", "letzter", "vergangenen", "vergangene", "vergangener", "last"})
_FILLERS = frozenset({"am", "um", "ab", "at", "on", "den", "dem", "von", "from"})
# After these a bare number is an hour ("um 9", "von 14 bis 15"); elsewhere it is too ambiguous to accept.
_HOUR_INTRODUCERS = frozenset({"um", "at", "ab", "von", "from"})
_RANGE_WORDS = frozenset({"bis", "to", "until", "till", "til"})

# Separators between tokens; a dot only when it ends a sentence ("um 14 Uhr.").
_SEP = re.compile(r"(?:[\s,;]|\.(?=\s|$))+")
_DAY_AFTER_TOMORROW = re.compile(r"\bday\s+after\s+tomorrow\b")
_DAY_BEFORE_YESTERDAY = re.compile(r"\bday\s+before\s+yesterday\b")
# Optional "Uhr"/"h" or am/pm after an hour. `msp` lets a spaced "am" be given back as the German filler.
_SUFFIX = r"(?:\s*(?P<uhr>uhr|h)\b|(?P<msp>\s*)(?:(?P<mer>[ap])m\b|(?P<merd>[ap])\.\s?m\.))?"
# A year after a month name: four digits only, so "3. Dez. 14:00" keeps its hour.
_NAMED_YEAR = r"(?:\s*,?\s*(?P<y>\d{4})(?![\d.:]|\s*(?:uhr|h)\b))?"

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:t(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?(?![\d:-])"
)
# "3. Dezember 2026", "3 Dez.", "3rd December": the word must be a month (checked after matching).
_DAY_MONTH = re.compile(r"(?P<d>\d{1,2})(?:\.|st|nd|rd|th)?\s*(?P<mon>[^\W\d_]+)\.?" + _NAMED_YEAR)
# "December 3", "Dec. 3rd, 2026"; the day must not be an hour ("Dez 14 Uhr", "Dez 14:00").
_MONTH_DAY = re.compile(
    r"(?P<mon>[^\W\d_]+)\.?\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d.:]|\s*(?:uhr|h\b|[ap]\.?m\b))" + _NAMED_YEAR
)
_DOTTED_DATE = re.compile(r"(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y>\d{4}|\d{2})?(?![\d:])")
_COLON_TIME = re.compile(r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?!\d)" + _SUFFIX)
_H_TIME = re.compile(r"(?P<h>\d{1,2})h(?P<mi>\d{2})(?!\d)")
_UHR_MINUTES = re.compile(r"(?P<h>\d{1,2})\s*uhr\s*(?P<mi>\d{2})(?![\d.:])")
_PAIR = re.compile(r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})(?![\d.:])(?:\s*(?P<uhr>uhr)\b)?")
_HOUR = re.compile(r"(?P<h>\d{1,2})(?![\d.:])" + _SUFFIX)
_DASH = re.compile(r"[-–—]")
_WORD = re.compile(r"(?P<w>[^\W\d_]+)\.?")


class _Unparsable(Exception):
    """Internal signal: the input is not understood; turned into `date.unknown` at the boundary."""


class _WrongWeekday(Exception):
    """Internal signal: a weekday and a date that disagree ("Di 30.11." when the 30th is a Monday)."""

    def __init__(self, day: date) -> None:
        super().__init__(day.isoformat())
        self.day = day


def parse_slot(text: str, now: datetime, tz: ZoneInfo) -> Slot:
    """Parse a user's date+time (maybe with an end: "14-15 Uhr") in the configured zone.

    `now` (aware, any zone) only anchors "today", weekdays and year-less dates in `tz`. Raises
    `UserError` with key `date.unknown`, `date.no_time`, `date.no_date`, `date.nonexistent`,
    `date.wrong_weekday`, `date.range_order` or `date.range_length`.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    value = text.strip()
    today = now.astimezone(tz).date()
    try:
        day, moment, end = _interpret(_scan(_normalise(value)), today)
    except _Unparsable:
        raise UserError("date.unknown", value=value) from None
    except _WrongWeekday as wrong:
        noon = datetime.combine(wrong.day, time(12), tzinfo=tz).astimezone(UTC)
        raise UserError("date.wrong_weekday", value=value, date=Moment(noon, "weekday_date")) from None
    if day is None and moment is None:
        raise UserError("date.unknown", value=value)
    if moment is None:
        raise UserError("date.no_time", value=value)
    if day is None:
        raise UserError("date.no_date", value=value)
    starts_at = _utc(day, moment, tz, value)
    if end is None:
        return Slot(starts_at)
    if end <= moment:
        raise UserError("date.range_order", value=value)
    # The length is real elapsed time, so the session ends at the typed wall-clock end even across a
    # clock change (01:30-03:30 on the spring-forward night is 60 minutes).
    minutes = int((_utc(day, end, tz, value) - starts_at).total_seconds()) // 60
    if minutes not in DURATIONS:
        raise UserError("date.range_length", value=value, minutes=minutes)
    return Slot(starts_at, minutes)


def parse_when(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """Only the start of `parse_slot` (an end, if given, is still checked): an aware datetime in UTC."""
    return parse_slot(text, now, tz).starts_at


def starts_with_moment(text: str) -> bool:
    """Whether the text begins with a date or time ("6. Dezember …", "6.12. …", "14 Uhr …").

    Lets a command tell a reason that starts with a date from a second session number ("5 6").
    """
    folded = _normalise(text.strip())
    tokens: list[_Token] = []
    try:
        _scan_one(folded, 0, tokens)
    except _Unparsable:
        return False
    return bool(tokens) and isinstance(tokens[0], _Date | _Time | _Pair | _Relative | _Weekday)


def to_local(moment: datetime, tz: ZoneInfo) -> datetime:
    """Show a stored UTC moment as the users' wall-clock time; naive input would silently mean host time."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("moment must be an aware datetime")
    return moment.astimezone(tz)


def _utc(day: date, moment: time, tz: ZoneInfo, value: str) -> datetime:
    local = datetime.combine(day, moment, tzinfo=tz)  # fold=0: the first of two ambiguous moments
    utc = local.astimezone(UTC)
    # A wall-clock time inside the spring-forward gap does not survive the round trip.
    if utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise UserError("date.nonexistent", value=value)
    return utc


def _normalise(value: str) -> str:
    """Fold case and Unicode forms so "Übermorgen" typed on any keyboard matches one spelling."""
    folded = unicodedata.normalize("NFC", value).lower()
    folded = _DAY_BEFORE_YESTERDAY.sub("vorgestern", folded)
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
    if (m := _DAY_MONTH.match(text, pos)) and m["mon"] in _MONTHS:
        tokens.append(_named_date(m))
        return m.end()
    if m := _DOTTED_DATE.match(text, pos):
        year = None if m["y"] is None else _full_year(m["y"])
        tokens.append(_Date(year, int(m["mo"]), int(m["d"])))
        return m.end()
    if m := _COLON_TIME.match(text, pos):
        end, meridiem = _meridiem(m, text)
        tokens.append(_Time(_time(m["h"], m["mi"], meridiem=meridiem), meridiem))
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
            tokens.append(_Time(_time(m["h"], "0", meridiem=meridiem), meridiem))
        else:
            tokens.append(_Number(int(m["h"])))
        return end
    if m := _DASH.match(text, pos):
        tokens.append(_RangeSep(word=False))
        return m.end()
    if (m := _MONTH_DAY.match(text, pos)) and m["mon"] in _MONTHS:
        tokens.append(_named_date(m))
        return m.end()
    if m := _WORD.match(text, pos):
        tokens.append(_word(m["w"]))
        return m.end()
    raise _Unparsable


def _named_date(m: re.Match[str]) -> _Date:
    return _Date(None if m["y"] is None else int(m["y"]), _MONTHS[m["mon"]], int(m["d"]))


def _word(word: str) -> _Token:
    """Classify one word; unknown words are not skipped, because "bald 14 Uhr" must not mean today."""
    if word in _WEEKDAYS:
        return _Weekday(_WEEKDAYS[word])
    if word in _RELATIVE:
        return _Relative(_RELATIVE[word])
    if word in _NEXT:
        return _Next()
    if word in _LAST:
        return _Last()
    if word in _FILLERS:
        return _Filler(word)
    if word in _RANGE_WORDS:
        return _RangeSep(word=True)
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


def _join_ranges(tokens: list[_Token]) -> list[_Token]:
    """Replace "time SEP time" by one `_Range`; a dash that joins no two times is only a separator.

    A bare number counts as an hour next to a clear time ("14 bis 15 Uhr") or after "von"/"um"
    ("von 14 bis 15"); two bare numbers alone ("3.12. 14-15") stay too ambiguous.
    """
    joined: list[_Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if isinstance(token, _RangeSep):
            before = joined[-1] if joined else None
            after = tokens[index + 1] if index + 1 < len(tokens) else None
            if _timeish(before) and _timeish(after):
                introduced = len(joined) > 1 and _introduces_hour(joined[-2])
                joined[-1] = _range(before, after, introduced)  # type: ignore[arg-type]
                index += 2
                continue
            if token.word:
                raise _Unparsable
            index += 1
            continue
        joined.append(token)
        index += 1
    return joined


def _timeish(token: _Token | None) -> bool:
    return isinstance(token, _Time | _Number | _Pair)


def _introduces_hour(token: _Token) -> bool:
    return isinstance(token, _Filler) and token.word in _HOUR_INTRODUCERS


def _range(before: _Time | _Number | _Pair, after: _Time | _Number | _Pair, introduced: bool) -> _Range:
    """Both ends as times; a bare number takes the other end's am/pm ("2-3pm" is 14:00 to 15:00)."""
    if isinstance(before, _Number) and isinstance(after, _Number) and not introduced:
        raise _Unparsable
    end = _range_end(after, before)
    if isinstance(before, _Number):
        start = _hour(before.value, end.meridiem)
        if end.meridiem == "p" and start >= end.value:
            start = _hour(before.value, "a")  # "11-1pm": 11:00 to 13:00
        return _Range(start, end.value)
    return _Range(before.value if isinstance(before, _Time) else _pair_time(before.first, before.second), end.value)


def _range_end(after: _Time | _Number | _Pair, before: _Time | _Number | _Pair) -> _Time:
    if isinstance(after, _Time):
        return after
    if isinstance(after, _Pair):
        return _Time(_pair_time(after.first, after.second))
    meridiem = before.meridiem if isinstance(before, _Time) else None
    end = _hour(after.value, meridiem)
    if meridiem == "a" and isinstance(before, _Time) and end <= before.value:
        end = _hour(after.value, "p")  # "11am-1": 11:00 to 13:00
    return _Time(end, meridiem)


def _hour(value: int, meridiem: str | None) -> time:
    return _time(str(value), "0", meridiem=meridiem)


@dataclass(frozen=True, slots=True)
class _Day:
    """A resolved date; `this_year` is the same day and month this year when a year-less date rolled over."""

    value: date
    this_year: date | None = None


def _interpret(tokens: list[_Token], today: date) -> tuple[date | None, time | None, time | None]:
    """Combine the tokens into at most one date, one time and one end; contradictions make it unknown."""
    tokens = _join_ranges(tokens)
    clear_time = any(isinstance(t, _Time | _Range) for t in tokens)
    days: list[_Day] = []
    weekdays: list[tuple[int, bool]] = []
    times: list[time] = []
    ends: list[time] = []
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        match token:
            case _Next() | _Last():
                if not isinstance(tokens[index + 1] if index + 1 < len(tokens) else None, _Weekday):
                    raise _Unparsable
            case _Filler():
                pass
            case _Weekday(weekday):
                weekdays.append((weekday, isinstance(previous, _Last)))
            case _Relative(offset):
                days.append(_Day(today + timedelta(days=offset)))
            case _Date(year, month, day):
                days.append(_calendar_date(year, month, day, today=today))
            case _Time(moment):
                times.append(moment)
            case _Range(start, end):
                times.append(start)
                ends.append(end)
            case _Number(hour):
                if previous is None or not _introduces_hour(previous):
                    raise _Unparsable
                times.append(_time(str(hour), "0"))
            case _Pair(first, second):
                if _pair_is_time(second, clear_time, bool(days), bool(weekdays)):
                    times.append(_pair_time(first, second))
                else:
                    days.append(_calendar_date(None, int(second), int(first), today=today))
            case _RangeSep():  # pragma: no cover - `_join_ranges` leaves none
                raise _Unparsable
    if len(days) > 1 or len(weekdays) > 1 or len(times) > 1:
        raise _Unparsable
    return _combine_days(days, weekdays, today), times[0] if times else None, ends[0] if ends else None


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


def _calendar_date(year: int | None, month: int, day: int, today: date) -> _Day:
    """A year-less date already past this year means next year; today itself stays this year."""
    if year is not None:
        return _Day(_valid_date(year, month, day))
    if (month, day) >= (today.month, today.day):
        return _Day(_valid_date(today.year, month, day))
    try:
        this_year: date | None = date(today.year, month, day)
    except ValueError:
        this_year = None
    return _Day(_valid_date(today.year + 1, month, day), this_year)


def _valid_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Unparsable from None


def _combine_days(days: list[_Day], weekdays: list[tuple[int, bool]], today: date) -> date | None:
    """A weekday alone is the next such day after today (or the last before it after "letzten").

    Next to a date it must agree with it. "Fr 20.11." said on Saturday the 21st means yesterday, not
    20.11. of next year (a Saturday): the date is past, and the caller says so. Otherwise a disagreement
    is reported with the real weekday instead of picking some other day.
    """
    if not weekdays:
        return days[0].value if days else None
    weekday, last = weekdays[0]
    if days:
        day = days[0]
        if day.value.weekday() == weekday:
            return day.value
        if day.this_year is not None and day.this_year.weekday() == weekday:
            return day.this_year
        raise _WrongWeekday(day.value)
    if last:
        return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
