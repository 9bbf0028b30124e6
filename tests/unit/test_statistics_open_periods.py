"""Statistics periods open at one end, as staff type them: "seit März 2026", "since 2026", "bis heute"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiwibot.core.errors import UserError
from kiwibot.core.statistics_period import Period, read_period
from kiwibot.storage import Store
from tests.unit.statskit import seed
from tests.unit.test_statistics import ADMIN, TODAY, kiwi_of, months


def first_dec_2025() -> date:
    return date(2025, 12, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seit 2026", months("2026-01", "2026-11")),
        ("seit März 2026", months("2026-03", "2026-11")),
        ("Seit  Maerz 2026", months("2026-03", "2026-11")),
        ("seit 1.3.2026", months("2026-03", "2026-11")),  # a day stands for its month
        ("seit 15.03.2026", months("2026-03", "2026-11")),
        ("seit 03.2026", months("2026-03", "2026-11")),
        ("ab 2026-03-01", months("2026-03", "2026-11")),
        ("seit März", months("2026-03", "2026-11")),  # the last March begun
        ("seit Dezember", months("2025-12", "2026-11")),  # December 2026 has not begun: the one before
        ("since 2026", months("2026-01", "2026-11")),
        ("since March 2026", months("2026-03", "2026-11")),
        ("seit März 2026 bis Juni 2026", months("2026-03", "2026-06")),
        ("von 2025 bis heute", months("2025-01", "2026-11")),
        ("März 2026 bis heute", months("2026-03", "2026-11")),
        ("1.3.2026 - 30.6.2026", months("2026-03", "2026-06")),
        ("bis heute", months("2025-12", "2026-11")),  # from the first recorded month
        ("bis jetzt", months("2025-12", "2026-11")),
        ("bisher", months("2025-12", "2026-11")),
        ("until today", months("2025-12", "2026-11")),
        ("so far", months("2025-12", "2026-11")),
        ("bis Juni 2026", months("2025-12", "2026-06")),
        ("bis Juni 2025", months("2025-06", "2025-06")),  # before the first record: just that month
    ],
)
def test_open_periods_as_staff_write_them(text: str, expected: Period) -> None:
    assert read_period(text, TODAY, first_dec_2025) == expected


def test_until_today_without_any_record_is_this_month() -> None:
    assert read_period("bis heute", TODAY, lambda: None) == months("2026-11", "2026-11")


def test_the_first_record_is_asked_only_for_a_period_open_at_its_start() -> None:
    def never() -> date:
        raise AssertionError("asked")

    assert read_period("seit März 2026", TODAY, never) == months("2026-03", "2026-11")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("seit", "stats.bad_period"),
        ("bis", "stats.bad_period"),
        ("seit gestern Abend", "stats.bad_period"),
        ("seit 31.2.2026", "stats.bad_period"),  # no such day
        ("seit 2027", "stats.future"),
        ("seit 2020", "stats.too_long"),
        ("since 1.1.2027", "stats.future"),
    ],
)
def test_an_open_period_not_understood_is_refused_with_examples(text: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        read_period(text, TODAY, first_dec_2025)
    assert caught.value.key == key


def test_until_today_starts_at_the_first_recorded_session(tmp_path: Path) -> None:
    """The seed's first session is Anna's of December 2025: "bis heute" shows December 2025 to November 2026."""
    store = Store.open(tmp_path / "k.db")
    seed(store)
    stats = kiwi_of(store).statistics(ADMIN, "bis heute")
    assert stats.period == months("2025-12", "2026-11")
    assert stats.total.sessions == 6
    store.close()


def test_a_cancelled_session_counts_as_recorded(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    seed(store)
    with store.transaction():
        store.db.execute("UPDATE sessions SET status = 'cancelled' WHERE starts_at < '2026-01-01'")
        store.db.execute("UPDATE sessions SET starts_at = '2025-10-02T08:00:00.000000Z' WHERE status = 'cancelled'")
    assert kiwi_of(store).statistics(ADMIN, "bis heute").period == months("2025-10", "2026-11")
    store.close()
