"""Reminder and digest times in Europe/Berlin, on ordinary days and on both daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.schedule import at_local, day_bounds, digest_due_today, next_digest, reminder_plan

BERLIN = ZoneInfo("Europe/Berlin")
EIGHT = time(8, 0)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 11, 21, 6, 0), utc(2026, 11, 21, 7, 0)),  # winter: 08:00 CET = 07:00 UTC, later today
        (utc(2026, 11, 21, 7, 0), utc(2026, 11, 22, 7, 0)),  # exactly at the time: the next one is tomorrow
        (utc(2026, 7, 1, 5, 0), utc(2026, 7, 1, 6, 0)),  # summer: 08:00 CEST = 06:00 UTC
        (utc(2027, 3, 27, 7, 30), utc(2027, 3, 28, 6, 0)),  # Saturday CET → Sunday after spring forward, CEST
        (utc(2027, 3, 28, 6, 30), utc(2027, 3, 29, 6, 0)),
        (utc(2026, 10, 24, 6, 30), utc(2026, 10, 25, 7, 0)),  # Saturday CEST → Sunday after fall back, CET
        (utc(2026, 10, 25, 7, 30), utc(2026, 10, 26, 7, 0)),
    ],
)
def test_the_digest_comes_at_eight_local_on_both_sides_of_dst(now: datetime, expected: datetime) -> None:
    assert next_digest(now, EIGHT, BERLIN) == expected
    assert expected.astimezone(BERLIN).time() == EIGHT


def test_digest_owed_after_a_restart_past_its_time() -> None:
    assert not digest_due_today(utc(2026, 11, 21, 6, 59), EIGHT, BERLIN)
    assert digest_due_today(utc(2026, 11, 21, 7, 0), EIGHT, BERLIN)
    assert digest_due_today(utc(2027, 3, 28, 6, 0), EIGHT, BERLIN)
    assert not digest_due_today(utc(2027, 3, 28, 5, 59), EIGHT, BERLIN)


def test_local_days_are_23_24_or_25_hours_long() -> None:
    for day, hours in ((date(2027, 3, 28), 23), (date(2026, 10, 25), 25), (date(2026, 11, 21), 24)):
        start, end = day_bounds(day, BERLIN)
        assert end - start == timedelta(hours=hours)
        assert start.astimezone(BERLIN).hour == 0


def test_times_in_the_gap_move_forward_and_ambiguous_ones_take_the_first() -> None:
    assert at_local(date(2027, 3, 28), time(2, 30), BERLIN) == utc(2027, 3, 28, 1, 30)  # = 03:30 CEST
    assert at_local(date(2026, 10, 25), time(2, 30), BERLIN) == utc(2026, 10, 25, 0, 30)  # first 02:30 (CEST)


def test_reminder_plan_skips_times_already_past() -> None:
    start = utc(2026, 11, 22, 13, 0)
    plan = reminder_plan(start, (1440, 15), now=utc(2026, 11, 21, 14, 0))
    assert plan == [(1440, utc(2026, 11, 21, 13, 0), "skipped"), (15, utc(2026, 11, 22, 12, 45), "planned")]


def test_reminders_across_the_spring_change_keep_their_distance_in_real_minutes() -> None:
    start = at_local(date(2027, 3, 28), time(10, 0), BERLIN)  # Sunday 10:00 CEST = 08:00 UTC
    plan = dict((o, d) for o, d, _ in reminder_plan(start, (1440, 15), now=utc(2027, 3, 1)))
    assert plan[1440] == utc(2027, 3, 27, 8, 0)  # 24 real hours before: Saturday 09:00 CET local
    assert plan[1440].astimezone(BERLIN).hour == 9
    assert plan[15] == utc(2027, 3, 28, 7, 45)
