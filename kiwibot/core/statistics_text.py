"""The statistics as text: everything the chart shows, month by month, so a screen reader misses nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from itertools import groupby
from zoneinfo import ZoneInfo

from kiwibot.core.messages import Lines, Moment, Msg, Param
from kiwibot.core.statistics_figures import FORMATS, Figures, Statistics
from kiwibot.core.statistics_period import Period


def month_moment(month: date, tz: ZoneInfo) -> Moment:
    """A month as the renderer shows it ("Januar 2026"): its first midnight in the configured zone."""
    return Moment(datetime.combine(month, time(0), tzinfo=tz), "month")


def period_name(period: Period, tz: ZoneInfo) -> Msg | Moment:
    """ "Oktober 2026", or "Januar 2026 – Juni 2026"."""
    if period.first == period.last:
        return month_moment(period.first, tz)
    return Msg.of("stats.period", first=month_moment(period.first, tz), last=month_moment(period.last, tz))


def summary(stats: Statistics, tz: ZoneInfo, files: bool = True) -> Lines:
    """The title, the whole period's figures, one line per month and (with `files`) a note on the attachments."""
    lines: list[Param] = [
        Msg.of("stats.title", period=period_name(stats.period, tz)),
        Msg.of("stats.total" if len(stats.months) > 1 else "stats.total_month", figures=_figures(stats.total)),
    ]
    if len(stats.months) > 1:
        lines.append(Msg.of("stats.months_header"))
        lines += _month_lines(stats.months, tz)
    if files:
        lines.append(Msg.of("stats.files"))
    return Lines(tuple(lines))


def _month_lines(months: Sequence[Figures], tz: ZoneInfo) -> list[Param]:
    """One line per month, but a run of two or more months with nothing in them (no session held, none
    cancelled) is one line: a screen reader need not read out "0 Sessions gehalten" for each of them."""
    lines: list[Param] = []
    dated = [(f.month, f) for f in months if f.month]
    for nothing, group in groupby(dated, key=lambda pair: not pair[1].sessions and not pair[1].cancelled):
        run = list(group)
        if nothing and len(run) > 1:
            first, last = run[0][0], run[-1][0]
            lines.append(Msg.of("stats.empty_months", first=_run_start(first, last, tz), last=month_moment(last, tz)))
        else:
            lines += [Msg.of("stats.month_line", month=month_moment(m, tz), figures=_figures(f)) for m, f in run]
    return lines


def _run_start(first: date, last: date, tz: ZoneInfo) -> Moment:
    """ "Februar" when the run ends in the same year ("Februar bis Mai 2026"), else "November 2025"."""
    moment = month_moment(first, tz)
    return Moment(moment.at, "month_name") if first.year == last.year else moment


def _figures(figures: Figures) -> Msg:
    """One month's (or the period's) figures in one sentence; a month without sessions says only that."""
    sessions = Msg.of("stats.sessions", count=figures.sessions)
    cancelled = Msg.of("stats.cancelled", count=figures.cancelled)
    if not figures.sessions:
        return Msg.of("stats.figures_none", sessions=sessions, cancelled=cancelled)
    by_format: list[Param] = [
        Msg.of("stats.format_count", format=Msg.of(f"format.{f.value}.name"), count=figures.held[f])
        for f in FORMATS
        if figures.held[f]
    ]
    fill = figures.fill_rate
    rating = figures.rating_average
    return Msg.of(
        "stats.figures",
        sessions=sessions,
        formats=by_format,
        people=Msg.of(
            "stats.people",
            participations=Msg.of("stats.participations", count=figures.participants),
            distinct=Msg.of("stats.distinct", count=figures.distinct_participants),
        ),
        fill=Msg.of("stats.fill", rate=fill) if fill is not None else Msg.of("stats.fill_none"),
        givers=Msg.of(
            "stats.givers",
            givers=Msg.of("stats.giver_count", count=figures.givers),
            first=Msg.of("stats.first_time", count=figures.first_time_givers),
        ),
        cancelled=cancelled,
        rating=Msg.of("stats.rating", average=rating, count=figures.ratings)
        if rating is not None
        else Msg.of("stats.rating_none"),
    )
