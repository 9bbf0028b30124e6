"""Months and periods as the chart and the table name them, in the reader's language (the catalogue's pattern)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from kiwibot.core.statistics_period import Period
from kiwibot.i18n import template

SHORT = "MMM yy"


def month_label(month: date, language: str, short: bool = False) -> str:
    """ "Januar 2026", or "Jan. 26" where many months share the axis."""
    return format_date(month, SHORT if short else template(language, "format.month"), locale=language)


def period_label(period: Period, language: str) -> str:
    """ "Januar 2026 – Juni 2026", or one month's name."""
    first = month_label(period.first, language)
    if period.first == period.last:
        return first
    return template(language, "stats.period").format(first=first, last=month_label(period.last, language))


def file_stem(period: Period, language: str) -> str:
    """ "kiwi-statistik-2026-01_2026-06": sorts by date in a folder, and says what it holds."""
    span = period.first.strftime("%Y-%m")
    if period.last != period.first:
        span += "_" + period.last.strftime("%Y-%m")
    return f"{template(language, 'stats.file_name')}-{span}"
