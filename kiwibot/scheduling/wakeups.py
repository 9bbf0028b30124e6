"""APScheduler says *when*; the database says *what*.

One job per kind of thing that falls due (reminders, the daily digest, feedback, the monthly report, the nightly
retention run), each a wake-up at the next moment something of its kind is due. When woken, the bot asks the core
what is due (all of it, so a late or coalesced wake-up loses nothing) and the job is set again from the database.
Times come from the injected clock and are turned into the scheduler's real time, so tests that move the clock only
need to call `poke()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from kiwibot.core.ports import Clock

log = logging.getLogger(__name__)
RETRY = timedelta(seconds=30)
SAME_MOMENT = timedelta(milliseconds=1)  # the two clocks are read one after the other: a little apart

Due = Callable[[], datetime | None]
Action = Callable[[], Awaitable[None]]


class Wakeups:
    def __init__(self, clock: Clock, jobs: dict[str, tuple[Due, Action]]) -> None:
        self.clock = clock
        self.jobs = jobs
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        # The real time each job was last set for: `poke()` runs after every use case (several a millisecond
        # in a rush), and setting an APScheduler job again costs more than the use case itself.
        self._set_for: dict[str, datetime] = {}
        self._running: set[asyncio.Task[object]] = set()  # actions under way: ended before the store closes

    def start(self) -> None:
        """Rebuild the jobs from the database (they live in memory only)."""
        self.scheduler.start()
        self.poke()

    def poke(self) -> None:
        """Something changed (a session, the clock): set every wake-up again from the database.

        Before `start()` (and after `shutdown()`) nothing: `start()` sets them from the database anyway.
        """
        if not self.scheduler.running:
            return
        for name in self.jobs:
            self._set(name)

    def _set(self, name: str) -> None:
        due, _ = self.jobs[name]
        when = due()
        if when is None:
            self._set_for.pop(name, None)
            if self.scheduler.get_job(name):
                self.scheduler.remove_job(name)
            return
        # Real time that corresponds to `when` on the injected clock (the same for the system clock).
        run_at = datetime.now(UTC) + (when - self.clock.now())
        if self._unchanged(name, run_at):
            return
        self._set_for[name] = run_at
        self.scheduler.add_job(
            self._run,
            "date",
            run_date=run_at,
            args=(name,),
            id=name,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
            # A wake-up set while the previous run is finishing must not be dropped as "already running";
            # overlapping runs are harmless because each takes what is due from the database in a transaction.
            max_instances=4,
        )

    def _unchanged(self, name: str, run_at: datetime) -> bool:
        """The job is still waiting for the same moment (or, due already, to run at once): nothing to set.

        A moved test clock gives another real time for the same `when`, so it is set again.
        """
        before = self._set_for.get(name)
        if before is None or self.scheduler.get_job(name) is None:
            return False
        if abs(run_at - before) <= SAME_MOMENT:
            return True
        now = datetime.now(UTC)
        return before <= now and run_at <= now

    async def _run(self, name: str) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await self._act(name)
        except asyncio.CancelledError:
            # Only `shutdown` cancels: APScheduler would log the cancellation as a failed job with a traceback.
            log.info("the scheduled %s was stopped with the bot; what it did not finish is due at the next start", name)
        finally:
            if task is not None:
                self._running.discard(task)

    async def _act(self, name: str) -> None:
        _, action = self.jobs[name]
        try:
            await action()
        except Exception:
            log.exception("the scheduled %s failed; trying again in %d s", name, RETRY.seconds)
            self._set_for[name] = datetime.now(UTC) + RETRY
            self.scheduler.add_job(
                self._run,
                "date",
                run_date=datetime.now(UTC) + RETRY,
                args=(name,),
                id=name,
                replace_existing=True,
                max_instances=4,
            )
            return
        self._set(name)

    async def shutdown(self) -> None:
        """No more wake-ups, and an action under way is cancelled and waited for: none may touch the store or the
        outbox after they closed (what it did not finish is still due at the next start)."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        running, self._running = list(self._running), set()
        for task in running:
            task.cancel()
        for task in running:
            with contextlib.suppress(asyncio.CancelledError):
                await task
