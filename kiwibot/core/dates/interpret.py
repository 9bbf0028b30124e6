"""The tokens combined into at most one day, one time and one end; a contradiction makes the text unknown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from kiwibot.core.dates.tokens import (
    HOUR_INTRODUCERS,
    CalendarDate,
    ClockTime,
    Filler,
    Last,
    Next,
    Number,
    Pair,
    RangeSep,
    RelativeDay,
    TimeRange,
    Token,
    Unparsable,
    WeekdayName,
    make_time,
    pair_time,
)


class WrongWeekday(Exception):
    """Internal signal: a weekday and a date that disagree ("Di 30.11." when the 30th is a Monday)."""

    def __init__(self, day: date) -> None:
        super().__init__(day.isoformat())
        self.day = day


def _join_ranges(tokens: list[Token]) -> list[Token]:
    """Replace "time SEP time" by one `TimeRange`; a dash that joins no two times is only a separator.

    A bare number counts as an hour next to a clear time ("14 bis 15 Uhr") or after "von"/"um"
    ("von 14 bis 15"); two bare numbers alone ("3.12. 14-15") stay too ambiguous.
    """
    joined: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if isinstance(token, RangeSep):
            before = joined[-1] if joined else None
            after = tokens[index + 1] if index + 1 < len(tokens) else None
            if _timeish(before) and _timeish(after):
                introduced = len(joined) > 1 and _introduces_hour(joined[-2])
                joined[-1] = _range(before, after, introduced)  # type: ignore[arg-type]
                index += 2
                continue
            if token.word:
                raise Unparsable
            index += 1
            continue
        joined.append(token)
        index += 1
    return joined


def _timeish(token: Token | None) -> bool:
    return isinstance(token, ClockTime | Number | Pair)


def _introduces_hour(token: Token) -> bool:
    return isinstance(token, Filler) and token.word in HOUR_INTRODUCERS


def _range(before: ClockTime | Number | Pair, after: ClockTime | Number | Pair, introduced: bool) -> TimeRange:
    """Both ends as times; a bare number takes the other end's am/pm ("2-3pm" is 14:00 to 15:00)."""
    if isinstance(before, Number) and isinstance(after, Number) and not introduced:
        raise Unparsable
    end = _range_end(after, before)
    if isinstance(before, Number):
        start = _hour(before.value, end.meridiem)
        if end.meridiem == "p" and start >= end.value:
            start = _hour(before.value, "a")  # "11-1pm": 11:00 to 13:00
        return TimeRange(start, end.value)
    return TimeRange(
        before.value if isinstance(before, ClockTime) else pair_time(before.first, before.second), end.value
    )


def _range_end(after: ClockTime | Number | Pair, before: ClockTime | Number | Pair) -> ClockTime:
    if isinstance(after, ClockTime):
        return after
    if isinstance(after, Pair):
        return ClockTime(pair_time(after.first, after.second))
    meridiem = before.meridiem if isinstance(before, ClockTime) else None
    end = _hour(after.value, meridiem)
    if meridiem == "a" and isinstance(before, ClockTime) and end <= before.value:
        end = _hour(after.value, "p")  # "11am-1": 11:00 to 13:00
    return ClockTime(end, meridiem)


def _hour(value: int, meridiem: str | None) -> time:
    return make_time(str(value), "0", meridiem=meridiem)


@dataclass(frozen=True, slots=True)
class _Day:
    """A resolved date; `this_year` is the same day and month this year when a year-less date rolled over."""

    value: date
    this_year: date | None = None


def interpret(tokens: list[Token], today: date) -> tuple[date | None, time | None, time | None]:
    """Combine the tokens into at most one date, one time and one end; contradictions make it unknown."""
    tokens = _join_ranges(tokens)
    clear_time = any(isinstance(t, ClockTime | TimeRange) for t in tokens)
    days: list[_Day] = []
    weekdays: list[tuple[int, bool]] = []
    times: list[time] = []
    ends: list[time] = []
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        match token:
            case Next() | Last():
                if not isinstance(tokens[index + 1] if index + 1 < len(tokens) else None, WeekdayName):
                    raise Unparsable
            case Filler():
                pass
            case WeekdayName(weekday):
                weekdays.append((weekday, isinstance(previous, Last)))
            case RelativeDay(offset):
                days.append(_Day(today + timedelta(days=offset)))
            case CalendarDate(year, month, day):
                days.append(_calendar_date(year, month, day, today=today))
            case ClockTime(moment):
                times.append(moment)
            case TimeRange(start, end):
                times.append(start)
                ends.append(end)
            case Number(hour):
                if previous is None or not _introduces_hour(previous):
                    raise Unparsable
                times.append(make_time(str(hour), "0"))
            case Pair(first, second):
                if _pair_is_time(second, clear_time, bool(days), bool(weekdays)):
                    times.append(pair_time(first, second))
                else:
                    days.append(_calendar_date(None, int(second), int(first), today=today))
            case RangeSep():  # pragma: no cover - `_join_ranges` leaves none
                raise Unparsable
    if len(days) > 1 or len(weekdays) > 1 or len(times) > 1:
        raise Unparsable
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
        raise Unparsable from None


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
        raise WrongWeekday(day.value)
    if last:
        return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
