"""`!statistik [Jahr | von bis | seit X | bis heute]` / `!stats [year | from to | since X | until today]`: the
figures as text, with a chart and a table.

The files are made by the composition root's renderer (kiwibot/reports/, given through `build_registry`): the
chart takes a tenth of a second or more, so it is drawn in a worker thread while the event loop goes on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from kiwibot.commands.registry import Context
from kiwibot.core.effects import Outcome
from kiwibot.core.messages import Attachment
from kiwibot.core.statistics_figures import Statistics
from kiwibot.core.statistics_text import summary

Render = Callable[[Statistics, str], Awaitable[tuple[Attachment, ...]]]


@dataclass(frozen=True, slots=True)
class StatisticsCommand:
    """The handler; `render` None: text only (where no renderer was given, e.g. offline tests of the registry)."""

    render: Render | None = None

    async def __call__(self, ctx: Context, period: str | None) -> Outcome:
        stats = ctx.kiwi.statistics(ctx.sender, period)
        files = await self.render(stats, ctx.language) if self.render is not None else ()
        return Outcome(summary(stats, ctx.kiwi.settings.timezone, files=bool(files)), files=files)
