"""The statistics chart: a PNG of known size, drawn with matplotlib's object API on an Agg canvas.

Never pyplot: its global figure registry is not thread-safe and would pick a display backend; a `Figure` with
its own `FigureCanvasAgg` needs no display and can be drawn in a worker thread. Colours are the Okabe–Ito palette
(safe for the common colour-vision deficiencies), and each format has a hatch too, so no bar is told by colour
alone. Everything the chart shows is also in the message text and the CSV.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kiwibot.core.model import Format
from kiwibot.core.statistics_figures import FORMATS, Statistics
from kiwibot.i18n import template
from kiwibot.reports.names import month_label, period_label

WIDTH, HEIGHT, DPI = 1200, 800, 100
# matplotlib's caches (fonts, text layout) are shared by all figures: one drawing at a time.
_DRAWING = threading.Lock()
# Okabe & Ito (2008), "Color Universal Design"; yellow left out, it is hard to see on white.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
FORMAT_STYLE: dict[Format, tuple[str, str]] = {
    Format.TALK: (OKABE_ITO["blue"], ""),
    Format.AMA: (OKABE_ITO["orange"], "//"),
    Format.EXCHANGE: (OKABE_ITO["green"], ".."),
    Format.WORKSHOP: (OKABE_ITO["purple"], "xx"),
    Format.GROUP: (OKABE_ITO["sky_blue"], "\\\\"),
}


def render_chart(stats: Statistics, language: str) -> bytes:
    """The chart as PNG bytes, exactly WIDTH × HEIGHT pixels (no tight bounding box, which would change them)."""
    with _DRAWING:
        return _render(stats, language)


def _render(stats: Statistics, language: str) -> bytes:
    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(template(language, "stats.chart.title").format(period=period_label(stats.period, language)))
    labels = [month_label(f.month, language, short=len(stats.months) > 6) for f in stats.months if f.month]
    x = list(range(len(labels)))
    (sessions, people), (givers, quality) = figure.subplots(2, 2, sharex=True)
    _sessions(sessions, stats, x, language)
    _people(people, stats, x, language)
    _givers(givers, stats, x, language)
    _quality(quality, stats, x, language)
    if len(x) < 4:  # a month or three: bars of a sensible width, not the whole panel
        sessions.set_xlim(-1.5, len(x) + 0.5)
    slanted = len(labels) > 6
    for axes in (givers, quality):
        axes.set_xticks(x, labels, rotation=45 if slanted else 0, ha="right" if slanted else "center")
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _text(language: str, key: str) -> str:
    return template(language, key)


def _counts_axis(axes: Axes, title: str, language: str, top: float, room: float = 1.45) -> None:
    """Counts in whole numbers, with room above the highest bar for the legend."""
    axes.set_ylim(0, max(top, 1) * room)
    axes.set_title(title)
    axes.set_ylabel(_text(language, "stats.chart.count"))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)


def _sessions(axes: Axes, stats: Statistics, x: Sequence[int], language: str) -> None:
    bottom = [0] * len(x)
    for format_ in FORMATS:
        values = [f.held[format_] for f in stats.months]
        colour, hatch = FORMAT_STYLE[format_]
        axes.bar(
            x,
            values,
            bottom=bottom,
            color=colour,
            hatch=hatch,
            edgecolor="white",
            label=_text(language, f"format.{format_.value}.name"),
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    _counts_axis(axes, _text(language, "stats.chart.sessions"), language, max(bottom, default=0), room=1.75)
    axes.legend(fontsize="small", ncols=2, loc="upper left")


def _people(axes: Axes, stats: Statistics, x: Sequence[int], language: str) -> None:
    width = 0.4
    axes.bar(
        [i - width / 2 for i in x],
        [f.participants for f in stats.months],
        width,
        color=OKABE_ITO["blue"],
        label=_text(language, "stats.csv.participations"),
    )
    axes.bar(
        [i + width / 2 for i in x],
        [f.distinct_participants for f in stats.months],
        width,
        color=OKABE_ITO["orange"],
        hatch="//",
        edgecolor="white",
        label=_text(language, "stats.csv.distinct"),
    )
    _counts_axis(
        axes, _text(language, "stats.chart.people"), language, max((f.participants for f in stats.months), default=0)
    )
    axes.legend(fontsize="small", ncols=3, loc="upper left")


def _givers(axes: Axes, stats: Statistics, x: Sequence[int], language: str) -> None:
    width = 0.27
    series = (
        ("stats.csv.givers", [f.givers for f in stats.months], OKABE_ITO["green"], ""),
        ("stats.csv.first_time", [f.first_time_givers for f in stats.months], OKABE_ITO["sky_blue"], ".."),
        ("stats.csv.cancelled", [f.cancelled for f in stats.months], OKABE_ITO["vermillion"], "xx"),
    )
    for index, (key, values, colour, hatch) in enumerate(series):
        offset = (index - 1) * width
        axes.bar(
            [i + offset for i in x],
            values,
            width,
            color=colour,
            hatch=hatch,
            edgecolor="white",
            label=_text(language, key),
        )
    top = max((max(values, default=0) for _, values, _, _ in series), default=0)
    _counts_axis(axes, _text(language, "stats.chart.givers"), language, top)
    axes.legend(fontsize="small", ncols=3, loc="upper left")


def _quality(axes: Axes, stats: Statistics, x: Sequence[int], language: str) -> None:
    """Fill rate (bars, left axis, %) and the feedback average (line, right axis, 1–5); gaps where there is none."""
    fill = [f.fill_rate for f in stats.months]
    axes.bar(
        [i for i, v in zip(x, fill, strict=True) if v is not None],
        [v for v in fill if v is not None],
        color=OKABE_ITO["sky_blue"],
        label=_text(language, "stats.chart.fill_axis"),
    )
    axes.set_ylim(0, 145)  # room above 100 % for the legend
    axes.set_yticks(range(0, 101, 20))
    axes.set_ylabel(_text(language, "stats.chart.fill_axis"))
    axes.set_title(_text(language, "stats.chart.quality"))
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    rating_axes = axes.twinx()
    ratings = [f.rating_average for f in stats.months]
    rating_axes.plot(
        x,
        [float("nan") if r is None else r for r in ratings],
        color=OKABE_ITO["black"],
        marker="o",
        linewidth=2,
        label=_text(language, "stats.chart.rating_axis"),
    )
    rating_axes.set_ylim(0, 5 * 1.45)
    rating_axes.set_yticks(range(1, 6))
    rating_axes.set_ylabel(_text(language, "stats.chart.rating_axis"))
    handles = axes.get_legend_handles_labels()
    more = rating_axes.get_legend_handles_labels()
    rating_axes.legend(handles[0] + more[0], handles[1] + more[1], fontsize="small", ncols=2, loc="upper left")
