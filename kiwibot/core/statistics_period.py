"""Which months a statistics request means: read from what staff type ("2026", "01.2026 06.2026", "2026-01
2026-06", "Januar bis Juni 2026", "2025 2026", "letztes Jahr", "seit März 2026", "bis heute"), pure and in the
configured zone's calendar.

A period is whole months, from the first day of `first` to the end of `last`. Months that have not begun are left
out (their figures would all be zero); a period that has not begun at all is refused kindly, as is one longer
than `MAX_MONTHS` (a chart of more months cannot be read).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kiwibot.core.dates.scan import _MONTHS as MONTH_WORDS
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code

MAX_MONTHS = 36
DEFAULT_MONTHS = 12
# What a period is written with, shown whenever one is not understood.
EXAMPLES = (Code("2026"), Code("2025 2026"), Code("01.2026 06.2026"), Code("2026-01 2026-06"))

_SEPARATOR = re.compile(r"(?:[\s,;/]|[-–—]|\b(?:bis|to|until|till|through|von|vom|from)\b)+")
_ISO_MONTH = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?!\d)")
_DOTTED_MONTH = re.compile(r"(?P<m>\d{1,2})[./](?P<y>\d{4})(?!\d)")
_NAMED_MONTH = re.compile(r"(?P<w>[^\W\d_]+)\.?(?:\s*(?P<y>\d{4})(?!\d))?")
_YEAR = re.compile(r"(?P<y>\d{4})(?!\d)")
# A day names its month ("seit 1.3.2026": from March); so does today ("bis heute": up to this month).
_DOTTED_DAY = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)")
_ISO_DAY = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_NOW = re.compile(r"(?:heute|jetzt|today|now)\b")
# "seit X" / "since X": from X's start to this month; "bis X" / "until X": from the first recorded month to X's end.
_SINCE = re.compile(r"(?:seit|since|ab)\s+(?P<rest>.+)", re.S)
_UNTIL = re.compile(r"(?:bis|until|till|to)\s+(?P<rest>.+)", re.S)
# What a period from the first recorded month up to now is also called.
_ALL_TIME = frozenset({"bisher", "insgesamt", "gesamt", "so far", "to date", "all time", "overall"})

FirstRecorded = Callable[[], date | None]


@dataclass(frozen=True, slots=True)
class Period:
    """Whole months: `first` and `last` are first days of months, `first <= last`."""

    first: date
    last: date

    @property
    def months(self) -> tuple[date, ...]:
        """The first day of every month of the period, in order."""
        found, month = [], self.first
        while month <= self.last:
            found.append(month)
            month = next_month(month)
        return tuple(found)

    @property
    def end(self) -> date:
        """The first day after the period (its months end before it)."""
        return next_month(self.last)


def next_month(month: date) -> date:
    """The first day of the month after `month`'s."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(today: date) -> Period:
    """The last full month before `today`'s: what the monthly report of the 1st shows."""
    month = date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)
    return Period(month, month)


def last_full_months(today: date, count: int = DEFAULT_MONTHS) -> Period:
    """The `count` full months up to (not including) `today`'s month: `!statistik` without a period."""
    last = previous_month(today).first
    index = last.year * 12 + last.month - 1 - (count - 1)
    return Period(date(index // 12, index % 12 + 1, 1), last)


def _this_year(today: date) -> Period:
    return Period(date(today.year, 1, 1), today.replace(day=1))


def _last_year(today: date) -> Period:
    return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 1))


_NAMED_PERIODS = {
    **dict.fromkeys(("dieses jahr", "this year", "laufendes jahr"), _this_year),
    **dict.fromkeys(("letztes jahr", "vorjahr", "last year"), _last_year),
    **dict.fromkeys(("letzter monat", "letzten monat", "vormonat", "last month"), previous_month),
}


@dataclass(frozen=True, slots=True)
class _Part:
    """One thing written: a whole year (month None) or one month; a month name without year takes the next's."""

    year: int | None
    month: int | None

    def span(self) -> tuple[date, date]:
        assert self.year is not None
        if self.month is None:
            return date(self.year, 1, 1), date(self.year, 12, 1)
        return (date(self.year, self.month, 1),) * 2


def read_period(text: str | None, today: date, first_recorded: FirstRecorded | None = None) -> Period:
    """The months `text` names (None or empty: the last 12 full months), clipped to those begun by `today`.

    `first_recorded` gives the month of the first recorded session (None: none yet); it is asked only for a period
    open at its start ("bis heute", "bis Juni 2026"), so other requests cost no query.
    """
    if text is None or not text.strip():
        return last_full_months(today)
    folded = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    named = _NAMED_PERIODS.get(folded)
    if named is not None:
        return named(today)
    this_month = today.replace(day=1)
    parts = _written_parts("bis heute" if folded in _ALL_TIME else folded, text, today, first_recorded)
    if not parts or len(parts) > 2 or parts[-1].year is None:
        raise UserError("stats.bad_period", value=text.strip(), examples=EXAMPLES)
    if parts[0].year is None:  # "Januar bis Juni 2026"
        parts[0] = _Part(parts[-1].year, parts[0].month)
    first, last = parts[0].span()[0], parts[-1].span()[1]
    if first > last:  # "2026 2025": meant the other way round
        first, last = parts[-1].span()[0], parts[0].span()[1]
    if first > this_month:
        raise UserError("stats.future", value=text.strip(), examples=EXAMPLES)
    period = Period(first, min(last, this_month))
    if len(period.months) > MAX_MONTHS:
        raise UserError("stats.too_long", max=MAX_MONTHS, examples=EXAMPLES)
    return period


def _written_parts(folded: str, text: str, today: date, first_recorded: FirstRecorded | None) -> list[_Part]:
    """The parts written; a period open at one end ("seit X", "bis X") gets the other end added."""
    since, until = _SINCE.fullmatch(folded), _UNTIL.fullmatch(folded)
    opened = since or until
    parts = _parts(opened["rest"] if opened is not None else folded, today)
    this_month = today.replace(day=1)
    if since is not None and len(parts) == 1:  # "seit März 2026": up to now
        if parts[0].year is None and parts[0].month is not None:  # "seit März": the last March begun
            parts[0] = _Part(today.year - (parts[0].month > today.month), parts[0].month)
        if parts[0].year is not None and parts[0].span()[0] > this_month:  # "seit 2027" is no "2026 bis 2027"
            raise UserError("stats.future", value=text.strip(), examples=EXAMPLES)
        parts.append(_Part(today.year, today.month))
    if until is not None and len(parts) == 1 and parts[0].year is not None:  # "bis heute": from the first record
        end = parts[0].span()[1]
        recorded = first_recorded() if first_recorded is not None else None
        first = min(recorded or this_month, end, this_month)
        parts.insert(0, _Part(first.year, first.month))
    return parts


def _parts(text: str, today: date) -> list[_Part]:
    """The years and months written, in order; [] if anything else is there."""
    folded = unicodedata.normalize("NFC", text).casefold().strip()
    parts: list[_Part] = []
    pos = 0
    while pos < len(folded):
        separator = _SEPARATOR.match(folded, pos)
        if separator is not None and separator.end() > pos:
            pos = separator.end()
            continue
        part, pos = _part(folded, pos, today)
        if part is None or part.year == 0:  # "0000" or "1.0000": there is no year 0 (datetime starts at 1)
            return []
        parts.append(part)
    return parts


def _part(text: str, pos: int, today: date) -> tuple[_Part | None, int]:
    for pattern in (_DOTTED_DAY, _ISO_DAY):
        found = pattern.match(text, pos)
        if found is not None:
            return (_Part(int(found["y"]), int(found["m"])) if _is_day(found) else None), found.end()
    found = _NOW.match(text, pos)
    if found is not None:
        return _Part(today.year, today.month), found.end()
    for pattern in (_ISO_MONTH, _DOTTED_MONTH):
        found = pattern.match(text, pos)
        if found is not None:
            month = int(found["m"])
            return (_Part(int(found["y"]), month) if 1 <= month <= 12 else None), found.end()
    found = _YEAR.match(text, pos)
    if found is not None:
        return _Part(int(found["y"]), None), found.end()
    found = _NAMED_MONTH.match(text, pos)
    if found is not None and found["w"] in MONTH_WORDS:
        return _Part(int(found["y"]) if found["y"] else None, MONTH_WORDS[found["w"]]), found.end()
    return None, pos


def _is_day(found: re.Match[str]) -> bool:
    """Whether a written day exists ("31.2.2026" does not)."""
    try:
        date(int(found["y"]), int(found["m"]), int(found["d"]))
    except ValueError:
        return False
    return True
