"""The composition root: the one place that builds config, store, core, adapter and wires them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass, field

from kiwibot.commands.builtin import build_registry
from kiwibot.config import Config
from kiwibot.core.clock import SystemClock
from kiwibot.core.ports import Clock
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.adapter import MatrixBot
from kiwibot.matrix.render import Renderer
from kiwibot.storage import InstanceLock, Store

log = logging.getLogger(__name__)


def settings_from(config: Config) -> Settings:
    return Settings(
        language=config.language,
        timezone=config.timezone,
        allowed_servers=frozenset(config.access.allowed_servers),
        space=config.access.space,
        admins=frozenset(config.roles.admins),
        patrons=frozenset(config.roles.patrons),
        reminders=config.reminders,
        digest_time=config.digest.time,
        digest_days=config.digest.days_ahead,
        digest_when_empty=config.digest.post_when_empty,
        commands_per_minute=config.limits.commands_per_minute,
        open_offers_per_user=config.limits.open_offers_per_user,
    )


@dataclass
class App:
    """A running bot. `start()` returns once it is syncing; `stop()` ends it cleanly."""

    config: Config
    clock: Clock = field(default_factory=SystemClock)

    def __post_init__(self) -> None:
        self.lock = InstanceLock(self.config.database)
        self.lock.acquire()
        try:
            self.store = Store.open(self.config.database)
        except BaseException:
            self.lock.release()
            raise
        self.kiwi = Kiwi(self.store, self.clock, settings_from(self.config))
        self.bot = MatrixBot(
            self.config,
            self.store,
            self.kiwi,
            build_registry(self.config.command_prefix),
            Renderer(self.config.timezone),
            self.clock,
        )
        self._task: asyncio.Task[None] | None = None
        listeners = getattr(self.clock, "listeners", None)
        if isinstance(listeners, list):  # a test clock that jumps: the scheduler must look again
            listeners.append(self._clock_moved)

    def _clock_moved(self) -> None:
        if self.bot.wakeups.scheduler.running:
            self.bot.wakeups.poke()

    async def start(self, wait_ready: float | None = 60) -> None:
        self._task = asyncio.create_task(self.bot.run(), name="kiwibot-sync")
        self._task.add_done_callback(_log_task_end)
        if wait_ready:
            ready = asyncio.create_task(self.bot.ready.wait())
            done, _ = await asyncio.wait({ready, self._task}, timeout=wait_ready, return_when=asyncio.FIRST_COMPLETED)
            if self._task in done:
                ready.cancel()
                self._task.result()  # re-raise why it ended
            if ready not in done:
                ready.cancel()
                raise TimeoutError("the bot did not finish its first sync in time")

    async def stop(self) -> None:
        listeners = getattr(self.clock, "listeners", None)
        if isinstance(listeners, list) and self._clock_moved in listeners:
            listeners.remove(self._clock_moved)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.store.close()
        self.lock.release()

    async def run_until_signal(self) -> None:
        """Foreground mode: SIGTERM/SIGINT stop the bot cleanly."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await self.start(wait_ready=None)
        assert self._task is not None
        waiter = asyncio.create_task(stop.wait())
        await asyncio.wait({waiter, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if self._task.done() and not self._task.cancelled():
            waiter.cancel()
            exc = self._task.exception()
            await self.stop()
            if exc is not None:
                raise exc
            return
        log.info("stopping (signal received)")
        await self.stop()
        log.info("stopped")


def _log_task_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None and not isinstance(task.exception(), SystemExit):
        log.error("the bot stopped because of an error", exc_info=task.exception())
