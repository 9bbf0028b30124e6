"""The statistics as text, read by a screen reader line by line: runs of months with nothing in them are one line."""

from __future__ import annotations

from datetime import date, datetime

from kiwibot.core.model import Format
from kiwibot.core.statistics_figures import HeldSession, Statistics, compute
from kiwibot.core.statistics_period import Period
from kiwibot.core.statistics_text import summary
from kiwibot.matrix.render import Renderer
from tests.unit.statskit import TZ


def statistics() -> Statistics:
    """November 2025 to July 2026: a session in March, a cancellation in May, nothing else."""
    march = datetime(2026, 3, 10, 14, tzinfo=TZ)
    held = [HeldSession(1, march, Format.TALK, None, 3, frozenset({"p1", "p2", "p3"}), frozenset({"h1"}))]
    cancelled = [datetime(2026, 5, 5, 14, tzinfo=TZ)]
    return compute(Period(date(2025, 11, 1), date(2026, 7, 1)), held, {"h1": march}, cancelled, [], TZ)


def month_lines(language: str) -> list[str]:
    text = Renderer(TZ).render(summary(statistics(), TZ, files=False), language).body
    lines = text.splitlines()
    return lines[lines.index("Je Monat:" if language == "de" else "Per month:") + 1 :]


def test_runs_of_empty_months_are_one_line_and_single_ones_stay() -> None:
    assert month_lines("de") == [
        "November 2025 bis Februar 2026: keine Sessions",  # a run across the turn of the year names both years
        "März 2026: 1 Session gehalten (Impuls 1) · 3 Teilnahmen von 3 verschiedenen Personen · "
        "keine Session mit begrenzten Plätzen · 1 Session-Geber:in, davon 1 zum ersten Mal · 0 abgesagt · "
        "noch keine Noten",
        "April 2026: 0 Sessions gehalten · 0 abgesagt",  # one empty month: as before
        "Mai 2026: 0 Sessions gehalten · 1 abgesagt",  # a cancellation is something to report
        "Juni bis Juli 2026: keine Sessions",
    ]


def test_the_english_text_folds_them_too() -> None:
    lines = month_lines("en")
    assert lines[0] == "November 2025 to February 2026: no sessions"
    assert lines[2:] == [
        "April 2026: 0 sessions held · 0 cancelled",
        "May 2026: 0 sessions held · 1 cancelled",
        "June to July 2026: no sessions",
    ]
