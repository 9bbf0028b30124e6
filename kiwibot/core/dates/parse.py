"""The public face of date parsing: a user's text to a `Slot` in UTC, or a `UserError` saying what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from kiwibot.core.dates.interpret import WrongWeekday, interpret
from kiwibot.core.dates.scan import normalise, scan, scan_one
from kiwibot.core.dates.tokens import CalendarDate, ClockTime, Pair, RelativeDay, Token, Unparsable, WeekdayName
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Moment
from kiwibot.core.model import DURATIONS


@dataclass(frozen=True, slots=True)
class Slot:
    """A parsed "Termin": the start, and the length in minutes when a range ("14-15 Uhr") gave an end.

    `minutes` is None without an end; with one it is already one of `DURATIONS`.
    """

    starts_at: datetime  # aware, UTC
    minutes: int | None = None


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
        day, moment, end = interpret(scan(normalise(value)), today)
    except Unparsable:
        raise UserError("date.unknown", value=value) from None
    except WrongWeekday as wrong:
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
    folded = normalise(text.strip())
    tokens: list[Token] = []
    try:
        scan_one(folded, 0, tokens)
    except Unparsable:
        return False
    return bool(tokens) and isinstance(tokens[0], CalendarDate | ClockTime | Pair | RelativeDay | WeekdayName)


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
