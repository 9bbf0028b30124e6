"""The monthly report's wake-up: last month's figures, the files drawn outside the transaction, then posted once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from kiwibot.core.effects import Effect
from kiwibot.core.service import Kiwi
from kiwibot.reports.files import render_files

Run = Callable[[Callable[[], tuple[Effect, ...]]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    """`run` decides and queues in one transaction (the adapter's `run_scheduled`); `language`: the room's."""

    kiwi: Kiwi
    run: Run
    language: str

    async def __call__(self) -> None:
        stats = self.kiwi.monthly_statistics()
        if stats is None:
            return
        files = await render_files(stats, self.language)
        # The month is recorded in the transaction that queues the post: a second wake-up (or a restart while the
        # chart was drawn) finds it recorded and posts nothing.
        await self.run(lambda: self.kiwi.monthly_report(stats, files))
