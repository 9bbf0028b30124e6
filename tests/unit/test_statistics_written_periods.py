"""More periods as staff write them to `!statistik`: this month, the last N months, a month or quarter without
its year (the last one begun), a day with a two-digit year, a quarter, "Jahr 2026"."""

from __future__ import annotations

from datetime import date

import pytest

from kiwibot.core.errors import UserError
from kiwibot.core.statistics_period import Period, read_period

TODAY = date(2026, 11, 21)


def months(first: str, last: str) -> Period:
    (y1, m1), (y2, m2) = (map(int, first.split("-")), map(int, last.split("-")))
    return Period(date(y1, m1, 1), date(y2, m2, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("diesen Monat", months("2026-11", "2026-11")),
        ("aktueller Monat", months("2026-11", "2026-11")),
        ("This month", months("2026-11", "2026-11")),
        ("letzte 3 Monate", months("2026-08", "2026-10")),  # full months, as without a period
        ("die letzten 6 Monate", months("2026-05", "2026-10")),
        ("last 3 months", months("2026-08", "2026-10")),
        ("last 12 months", months("2025-11", "2026-10")),  # what the period without text is
        ("letzte 1 Monat", months("2026-10", "2026-10")),
        ("November", months("2026-11", "2026-11")),  # the last one begun
        ("Dezember", months("2025-12", "2025-12")),
        ("Juni", months("2026-06", "2026-06")),
        ("seit 01.11.26", months("2026-11", "2026-11")),  # a two-digit year
        ("seit 1.3.26", months("2026-03", "2026-11")),
        ("01.03.26 bis 30.06.26", months("2026-03", "2026-06")),
        ("Q4 2026", months("2026-10", "2026-11")),  # months not begun are left out
        ("Q1 2026", months("2026-01", "2026-03")),
        ("q3/2026", months("2026-07", "2026-09")),
        ("2026-Q2", months("2026-04", "2026-06")),
        ("4. Quartal 2025", months("2025-10", "2025-12")),
        ("Q1 bis Q3 2026", months("2026-01", "2026-09")),
        ("Q4 2025 – Q1 2026", months("2025-10", "2026-03")),
        ("Q1", months("2026-01", "2026-03")),
        ("Jahr 2026", months("2026-01", "2026-11")),
        ("im Jahr 2025", months("2025-01", "2025-12")),
        ("year 2025", months("2025-01", "2025-12")),
    ],
)
def test_more_periods_as_staff_write_them(text: str, expected: Period) -> None:
    assert read_period(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("letzte 0 Monate", "stats.bad_period"),
        ("last 40 months", "stats.too_long"),
        ("Q5 2026", "stats.bad_period"),
        ("Q1 2027", "stats.future"),
        ("Jahr", "stats.bad_period"),
        ("31.02.26", "stats.bad_period"),
        ("nächsten Monat", "stats.bad_period"),
    ],
)
def test_such_periods_out_of_reach_are_refused_with_examples(text: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        read_period(text, TODAY)
    assert caught.value.key == key and caught.value.params["examples"]
