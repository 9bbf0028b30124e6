"""Which months a statistics request means: read from what staff type ("2026", "01.2026 06.2026", "2026-01
2026-06", "Januar bis Juni 2026", "2025 2026", "letztes Jahr", "seit März 2026", "bis heute", "November", "Q4 2026",
"diesen Monat", "letzte 3 Monate"), pure and in the configured zone's calendar.

A period is whole months, from the first day of `first` to the end of `last`. Months that have not begun are left
out (their figures would all be zero); a period that has not begun at all is refused kindly, as is one longer
than `MAX_MONTHS` (a chart of more months cannot be read).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from kiwibot.core.dates.scan import _MONTHS as MONTH_WORDS
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code

MAX_MONTHS = 36
DEFAULT_MONTHS = 12
# What a period is written with, shown whenever one is not understood.
EXAMPLES = (Code("2026"), Code("2025 2026"), Code("01.2026 06.2026"), Code("2026-01 2026-06"))

# Between and around the parts: punctuation and words that only introduce them ("im Jahr 2026", "year 2026").
_SEPARATOR = re.compile(r"(?:[\s,;/]|[-–—]|\b(?:bis|to|until|till|through|von|vom|from|im|in|jahr|year)\b)+")
_ISO_MONTH = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?!\d)")
_DOTTED_MONTH = re.compile(r"(?P<m>\d{1,2})[./](?P<y>\d{4})(?!\d)")
_NAMED_MONTH = re.compile(r"(?P<w>[^\W\d_]+)\.?(?:\s*(?P<y>\d{4})(?!\d))?")
_YEAR = re.compile(r"(?P<y>\d{4})(?!\d)")
# A day names its month ("seit 1.3.2026": from March); so does today ("bis heute": up to this month).
_DOTTED_DAY = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})(?!\d)")  # "1.11.26" is 2026
_ISO_DAY = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
# A quarter: "Q4 2026", "Q4/2026", "2026-Q4", "4. Quartal 2026"; without a year, the last one begun.
_QUARTER = re.compile(r"(?:q(?P<q>[1-4])|(?P<n>[1-4])\.\s*quartal)(?!\w)(?:\s*[/.-]?\s*(?P<y>\d{4})(?!\d))?")
_YEAR_QUARTER = re.compile(r"(?P<y>\d{4})\s*[/-]?\s*q(?P<q>[1-4])(?!\w)")
# The last N full months, as the period without text is the last 12: "letzte 3 Monate", "last 12 months".
_LAST_MONTHS = re.compile(
    r"(?:die\s+|the\s+)?(?:letzten?|vergangenen?|last|past)\s+(?P<n>\d{1,4})\s+(?:vollen?\s+|full\s+)?"
    r"(?:monate?n?|months?)"
)
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


def _this_month(today: date) -> Period:
    return Period(today.replace(day=1), today.replace(day=1))


_NAMED_PERIODS = {
    **dict.fromkeys(("dieses jahr", "this year", "laufendes jahr"), _this_year),
    **dict.fromkeys(
        (
            *(f"{w} monat" for w in ("diesen", "dieser", "aktueller", "aktuellen", "laufender", "laufenden")),
            *(f"{w} month" for w in ("this", "current", "the current")),
        ),
        _this_month,
    ),
    **dict.fromkeys(("letztes jahr", "vorjahr", "last year"), _last_year),
    **dict.fromkeys(("letzter monat", "letzten monat", "vormonat", "last month"), previous_month),
}


@dataclass(frozen=True, slots=True)
class _Part:
    """One thing written: a whole year (month None), or `length` months from `month` (1, or 3 for a quarter); a
    month name without year takes the next's."""

    year: int | None
    month: int | None
    length: int = 1

    def span(self) -> tuple[date, date]:
        assert self.year is not None
        if self.month is None:
            return date(self.year, 1, 1), date(self.year, 12, 1)
        return date(self.year, self.month, 1), date(self.year, self.month + self.length - 1, 1)

    def latest_begun(self, today: date) -> _Part:
        """A month or quarter written without its year ("November", "Q4"): the last one begun by `today`."""
        assert self.month is not None
        return replace(self, year=today.year - (self.month > today.month))


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
    last_months = _LAST_MONTHS.fullmatch(folded)
    if last_months is not None:
        return _last_months(int(last_months["n"]), text, today)
    this_month = today.replace(day=1)
    parts = _written_parts("bis heute" if folded in _ALL_TIME else folded, text, today, first_recorded)
    if len(parts) == 1 and parts[0].year is None and parts[0].month is not None:  # "November", "Q4"
        parts[0] = parts[0].latest_begun(today)
    if not parts or len(parts) > 2 or parts[-1].year is None:
        raise UserError("stats.bad_period", value=text.strip(), examples=EXAMPLES)
    if parts[0].year is None:  # "Januar bis Juni 2026"
        parts[0] = replace(parts[0], year=parts[-1].year)
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
            parts[0] = parts[0].latest_begun(today)
        if parts[0].year is not None and parts[0].span()[0] > this_month:  # "seit 2027" is no "2026 bis 2027"
            raise UserError("stats.future", value=text.strip(), examples=EXAMPLES)
        parts.append(_Part(today.year, today.month))
    if until is not None and len(parts) == 1 and parts[0].year is not None:  # "bis heute": from the first record
        end = parts[0].span()[1]
        recorded = first_recorded() if first_recorded is not None else None
        first = min(recorded or this_month, end, this_month)
        parts.insert(0, _Part(first.year, first.month))
    return parts


def _last_months(count: int, text: str, today: date) -> Period:
    """The last `count` full months ("letzte 3 Monate"), as the period without text is the last 12."""
    if count < 1:
        raise UserError("stats.bad_period", value=text.strip(), examples=EXAMPLES)
    if count > MAX_MONTHS:
        raise UserError("stats.too_long", max=MAX_MONTHS, examples=EXAMPLES)
    return last_full_months(today, count)


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
            return (_Part(_full_year(found["y"]), int(found["m"])) if _is_day(found) else None), found.end()
    for pattern in (_YEAR_QUARTER, _QUARTER):
        found = pattern.match(text, pos)
        if found is not None:
            quarter = int(found["q"] or found["n"])
            return _Part(int(found["y"]) if found["y"] else None, 3 * quarter - 2, 3), found.end()
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


def _full_year(written: str) -> int:
    """A year as written in a date: "26" in "1.11.26" is 2026."""
    return 2000 + int(written) if len(written) == 2 else int(written)


def _is_day(found: re.Match[str]) -> bool:
    """Whether a written day exists ("31.2.2026" does not)."""
    try:
        date(_full_year(found["y"]), int(found["m"]), int(found["d"]))
    except ValueError:
        return False
    return True
