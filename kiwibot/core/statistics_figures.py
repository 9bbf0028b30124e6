"""The programme's figures per month, pure: from frozen facts about held sessions, never from names.

People appear here only as keys (keyed hashes the store made before any name could be deleted, see
storage/statistics.py): two keys are the same person, nothing more, so "distinct participants" and "first-time
givers" stay right after the participant lists are gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from kiwibot.core.feedback_rules import average
from kiwibot.core.model import Format
from kiwibot.core.statistics_period import Period

FORMATS: tuple[Format, ...] = tuple(Format)


@dataclass(frozen=True, slots=True)
class HeldSession:
    """What statistics keep of one held session (ended, not cancelled): frozen once, kept after the names go."""

    session_id: int
    starts_at: datetime
    format: Format
    seats: int | None
    participants: int  # signed up and not waiting
    participant_keys: frozenset[str]
    host_keys: frozenset[str]  # the giver and the co-givers


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one month, or of a whole period (`month` None)."""

    month: date | None
    held: Mapping[Format, int]
    participants: int
    distinct_participants: int
    seats: int  # seats offered by the held sessions that had a limit
    seated: int  # participants of those sessions
    givers: int
    first_time_givers: int
    cancelled: int
    ratings: int
    rating_average: float | None

    @property
    def sessions(self) -> int:
        """Sessions held, whatever their format."""
        return sum(self.held.values())

    @property
    def fill_rate(self) -> float | None:
        """Per cent of the limited seats taken, to one decimal; None where no held session had a limit."""
        if not self.seats:
            return None
        return float((Decimal(100 * self.seated) / Decimal(self.seats)).quantize(Decimal("0.1"), ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Statistics:
    """A period's figures: one `Figures` per month, in order, and the whole period's."""

    period: Period
    months: tuple[Figures, ...]
    total: Figures


def local_month(moment: datetime, tz: ZoneInfo) -> date:
    """The month a session counts in: that of its start in the configured zone."""
    local = moment.astimezone(tz)
    return date(local.year, local.month, 1)


def compute(
    period: Period,
    held: Sequence[HeldSession],
    first_held: Mapping[str, datetime],
    cancelled: Iterable[datetime],
    ratings: Iterable[tuple[int, int]],
    tz: ZoneInfo,
) -> Statistics:
    """The figures of every month of `period` and of the whole.

    `held`: the held sessions that started in the period; `first_held`: for each host key, the start of the first
    session that person ever gave (before the period too); `cancelled`: the planned starts of cancelled sessions;
    `ratings`: (session id, rating) of the held sessions' rated answers.
    """
    by_month: dict[date, list[HeldSession]] = {month: [] for month in period.months}
    for session in held:
        by_month.setdefault(local_month(session.starts_at, tz), []).append(session)
    cancelled_in: dict[date, int] = {}
    for start in cancelled:
        month = local_month(start, tz)
        cancelled_in[month] = cancelled_in.get(month, 0) + 1
    rated: dict[int, list[int]] = {}
    for session_id, rating in ratings:
        rated.setdefault(session_id, []).append(rating)
    first_month = {key: local_month(start, tz) for key, start in first_held.items()}
    months = tuple(
        _figures(month, by_month[month], {month}, first_month, cancelled_in.get(month, 0), rated)
        for month in period.months
    )
    total = _figures(
        None,
        [s for month in period.months for s in by_month[month]],
        set(period.months),
        first_month,
        sum(cancelled_in.get(month, 0) for month in period.months),
        rated,
    )
    return Statistics(period, months, total)


def _figures(
    month: date | None,
    sessions: Sequence[HeldSession],
    months: set[date],
    first_month: Mapping[str, date],
    cancelled: int,
    rated: Mapping[int, list[int]],
) -> Figures:
    """One month's (or the period's) figures; a giver is new where their first session falls in `months`."""
    limited = [s for s in sessions if s.seats is not None]
    givers = frozenset().union(*(s.host_keys for s in sessions))
    ratings = [rating for s in sessions for rating in rated.get(s.session_id, [])]
    return Figures(
        month=month,
        held={f: sum(1 for s in sessions if s.format is f) for f in FORMATS},
        participants=sum(s.participants for s in sessions),
        distinct_participants=len(frozenset().union(*(s.participant_keys for s in sessions))),
        seats=sum(s.seats or 0 for s in limited),
        seated=sum(s.participants for s in limited),
        givers=len(givers),
        first_time_givers=sum(1 for key in givers if first_month.get(key) in months),
        cancelled=cancelled,
        ratings=len(ratings),
        rating_average=average(ratings),
    )
