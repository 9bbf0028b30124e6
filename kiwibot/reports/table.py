"""The statistics as a CSV table for Excel: one row per month, the header in the reader's language.

Excel opens a CSV by double-click with the system's list separator and decimal mark, and reads UTF-8 only with a
byte-order mark. So: UTF-8 with BOM always; German: `;` and a decimal comma (German Excel's defaults), English:
`,` and a decimal point. An empty cell means "no figure" (no limited seats, no rating), which is not the same as 0.

The month is two cells, the year as a number and the month's name alone ("2026;Januar"), because Excel guesses a
date in anything that looks like one: "2026-01", "01.2026", "1/2026", "Jan 2026" and "Januar 2026" all become
1 January 2026, shown by German Excel as "Jan 26" (26th of January?) and written back as a full date if the file is
saved. A bare number and a bare month name are never taken for a date, read as they are meant, and are what German
administration staff know from official statistics (Destatis' GENESIS tables have "Jahr" and "Monat" columns):
filter by year, and a pivot table sorts the month names in calendar order by Excel's built-in month list. No
`="2026-01"` formula (a formula in a CSV file is what security scanners flag, and other programs show it as text).
"""

from __future__ import annotations

import csv
import io

from babel.dates import get_month_names
from babel.numbers import format_decimal

from kiwibot.core.statistics_figures import FORMATS, Figures, Statistics
from kiwibot.i18n import template

SEPARATOR = {"de": ";", "en": ","}
COLUMNS = (
    "stats.csv.year",
    "stats.csv.month",
    "stats.csv.sessions",
    *(f"format.{f.value}.name" for f in FORMATS),
    "stats.csv.participations",
    "stats.csv.distinct",
    "stats.csv.seats",
    "stats.csv.seated",
    "stats.csv.fill",
    "stats.csv.givers",
    "stats.csv.first_time",
    "stats.csv.cancelled",
    "stats.csv.rating",
    "stats.csv.ratings",
)


def render_table(stats: Statistics, language: str) -> bytes:
    """The CSV file's bytes (UTF-8 with BOM, `\\r\\n` line ends as Excel writes them)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=SEPARATOR.get(language, ","), lineterminator="\r\n")
    writer.writerow([template(language, key) for key in COLUMNS])
    writer.writerows(_row(f, language) for f in stats.months)
    return out.getvalue().encode("utf-8-sig")


def _row(figures: Figures, language: str) -> list[str]:
    assert figures.month is not None
    return [
        str(figures.month.year),
        month_name(figures.month.month, language),
        str(figures.sessions),
        *(str(figures.held[f]) for f in FORMATS),
        str(figures.participants),
        str(figures.distinct_participants),
        str(figures.seats),
        str(figures.seated),
        _decimal(figures.fill_rate, language),
        str(figures.givers),
        str(figures.first_time_givers),
        str(figures.cancelled),
        _decimal(figures.rating_average, language),
        str(figures.ratings),
    ]


def _decimal(value: float | None, language: str) -> str:
    return "" if value is None else format_decimal(value, "0.0", locale=language)


def month_name(month: int, language: str) -> str:
    """ "Januar", "März" (1–12): the name alone, as a heading or list says it (CLDR's stand-alone form)."""
    return str(get_month_names("wide", "stand-alone", locale=language)[month])
