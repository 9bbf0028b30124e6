"""Time arithmetic for reminders and the daily digest, in the configured zone (DST-safe via zoneinfo)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """The day as people in the configured zone see it: the digest and today follow their calendar."""
    return moment.astimezone(tz).date()


def at_local(day: date, clock_time: time, tz: ZoneInfo) -> datetime:
    """The UTC moment of a wall-clock time on a local day.

    zoneinfo's fold=0 takes the first of two ambiguous times (autumn) and moves a time in the spring gap
    forward by the gap (02:30 → 03:30), so a digest set inside the gap still comes that day.
    """
    return datetime.combine(day, clock_time, tzinfo=tz).astimezone(UTC)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a local day in UTC: 23, 24 or 25 hours long."""
    return at_local(day, time(0, 0), tz), at_local(day + timedelta(days=1), time(0, 0), tz)


def next_digest(now: datetime, clock_time: time, tz: ZoneInfo) -> datetime:
    """The next moment strictly after `now` at which the daily digest is due."""
    today = local_day(now, tz)
    candidate = at_local(today, clock_time, tz)
    if candidate <= now:
        candidate = at_local(today + timedelta(days=1), clock_time, tz)
    return candidate


def digest_due_today(now: datetime, clock_time: time, tz: ZoneInfo) -> bool:
    """Past today's digest time: a bot (re)started later that day still owes today's digest."""
    return now >= at_local(local_day(now, tz), clock_time, tz)


def reminder_plan(start: datetime, offsets: tuple[int, ...], now: datetime) -> list[tuple[int, datetime, str]]:
    """Each offset's due time; those already past when planned are skipped (never sent late)."""
    plan = []
    for offset in offsets:
        due = start - timedelta(minutes=offset)
        plan.append((offset, due, "planned" if due > now else "skipped"))
    return plan
