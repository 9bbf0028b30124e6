"""The statistics' files: the chart (drawn in a worker thread: ~0.1–0.3 s of CPU must not stop the event loop)
and the table, as `Attachment`s sent after the text."""

from __future__ import annotations

import asyncio

from kiwibot.core.messages import Attachment
from kiwibot.core.statistics_figures import Statistics
from kiwibot.reports.chart import HEIGHT, WIDTH, render_chart
from kiwibot.reports.names import file_stem
from kiwibot.reports.table import render_table


def statistics_files(stats: Statistics, language: str, png: bytes) -> tuple[Attachment, Attachment]:
    """The chart (an image of known size) and the table (a file), named by period and language."""
    stem = file_stem(stats.period, language)
    return (
        Attachment(f"{stem}.png", "image/png", png, (WIDTH, HEIGHT)),
        Attachment(f"{stem}.csv", "text/csv", render_table(stats, language)),
    )


async def render_files(stats: Statistics, language: str) -> tuple[Attachment, ...]:
    """Both files; the chart is drawn in a thread (matplotlib's object API on Agg is safe there)."""
    png = await asyncio.to_thread(render_chart, stats, language)
    return statistics_files(stats, language, png)
