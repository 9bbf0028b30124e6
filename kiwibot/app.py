"""The composition root: the one place that builds the long-lived objects and wires them together.

Nothing else constructs a collaborator: store, core, the nio client, crypto, the Matrix adapter's parts and
the scheduler's wake-ups are built here, in dependency order, and handed in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from kiwibot.commands.builtin import build_registry
from kiwibot.config import Config
from kiwibot.config.fields import split_listen
from kiwibot.core.calendar import CalendarLinks, Calendars
from kiwibot.core.clock import SystemClock
from kiwibot.core.model import Session
from kiwibot.core.ports import Clock
from kiwibot.core.service import Kiwi, Settings
from kiwibot.i18n import use_command_prefix
from kiwibot.matrix.adapter import MatrixBot
from kiwibot.matrix.confirmations import Confirmations
from kiwibot.matrix.crypto import Crypto
from kiwibot.matrix.events import Events
from kiwibot.matrix.login import Login, new_client
from kiwibot.matrix.names import Names
from kiwibot.matrix.outbox import Outbox
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.matrix.posts import Posts
from kiwibot.matrix.render import Renderer, localpart, post_url
from kiwibot.matrix.rooms import Rooms
from kiwibot.matrix.sync import Sync
from kiwibot.reports.files import render_files
from kiwibot.reports.monthly import MonthlyReport
from kiwibot.scheduling.wakeups import Wakeups
from kiwibot.storage import InstanceLock, Store
from kiwibot.tasks import spawn
from kiwibot.web.csrf import Csrf
from kiwibot.web.feeds import Feeds
from kiwibot.web.ical import IcalRenderer
from kiwibot.web.keep import NameChanges
from kiwibot.web.programme import ProgrammeDeps, add_programme_routes
from kiwibot.web.server import WebListenError, WebServer, build_web_app

if TYPE_CHECKING:
    from aiohttp import web
    from nio import AsyncClient

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
        monthly_reports=config.reports.monthly and config.reports.room is not None,
        commands_per_minute=config.limits.commands_per_minute,
        open_offers_per_user=config.limits.open_offers_per_user,
        retention_days=config.privacy.retention_days,
    )


def build_calendars(config: Config, store: Store, kiwi: Kiwi, clock: Clock) -> Calendars | None:
    """The calendar use cases; None when the web side is off (`!kalender` then says so)."""
    if not config.web.enabled:
        return None
    return Calendars(store, clock, kiwi.is_member, CalendarLinks(config.web.base_url))


def csrf_key(store: Store) -> bytes:
    """The page's form key, made once and kept in the database: forms open across a restart stay valid."""
    key = store.get_meta("web_csrf_key")
    if key is None:
        key = secrets.token_hex(32)
        store.set_meta("web_csrf_key", key)
    return bytes.fromhex(key)


def build_web(
    config: Config,
    calendars: Calendars,
    clock: Clock,
    extra_routes: Callable[[web.Application], object] | None = None,
    names: Callable[[str], str] = localpart,
    name_changes: NameChanges | None = None,
) -> WebServer:
    """The web adapter: calendar feeds (and, through `extra_routes`, the programme page) on `web.listen`;
    `names` says how people are named in the feeds (the chat client's display names), `name_changes` when a name
    given out moved."""
    renderer = IcalRenderer(config.timezone, config.web.base_url, post_url, names)
    feeds = Feeds(calendars, renderer, clock, config.language, names=name_changes)
    host, port = split_listen(config.web.listen)
    return WebServer(build_web_app(calendars, feeds, extra_routes=extra_routes), host, port, warm=feeds.warm)


def build_matrix(
    config: Config,
    store: Store,
    kiwi: Kiwi,
    clock: Clock,
    client: AsyncClient | None = None,
    calendars: Calendars | None = None,
    names: Names | None = None,
) -> MatrixBot:
    """The Matrix adapter's parts, each given what it works with; `client` None: one for the configured server;
    `names`: looks up the accounts a command names before it runs, and names people in the messages' plain text
    (the HTML's pills the client names itself)."""
    registry = build_registry(config.command_prefix, calendars, render_files)
    renderer = Renderer(config.timezone, localpart if names is None else names)
    if client is None:
        client = new_client(config)
    crypto = Crypto(config, client)
    login = Login(config, client, store, crypto)
    rooms = Rooms(config, client, kiwi)
    ready = asyncio.Event()  # set after the first handled sync
    # The posts flush the outbox after queueing edits and the outbox tells the posts what was sent: the one
    # cycle between the parts, closed by looking the outbox up when the posts flush.
    posts = Posts(
        config,
        client,
        store,
        kiwi,
        registry,
        renderer,
        clock,
        rooms,
        flush=lambda: outbox.flush(),
        calendars=calendars,
        confirmations=Confirmations(store, kiwi, renderer, clock),
    )
    outbox = Outbox(client, store, crypto, ready, receipts=posts)
    # The scheduler only says when; what is due comes from the database, as effects the posts carry out.
    wakeups = Wakeups(
        clock,
        {
            "reminders": (kiwi.next_reminder, partial(posts.run_scheduled, kiwi.due_reminders)),
            "digest": (kiwi.next_digest, partial(posts.run_scheduled, kiwi.daily_digest)),
            "feedback": (kiwi.next_feedback_due, partial(posts.run_scheduled, kiwi.due_feedback)),
            "reports": (kiwi.next_monthly_report, MonthlyReport(kiwi, posts.run_scheduled, config.language)),
            "retention": (kiwi.next_retention, partial(posts.run_scheduled, kiwi.retention)),
        },
    )
    events = Events(
        config=config,
        store=store,
        kiwi=kiwi,
        registry=registry,
        renderer=renderer,
        clock=clock,
        client=client,
        crypto=crypto,
        rooms=rooms,
        posts=posts,
        outbox=outbox,
        wakeups=wakeups,
        names=names,
    )
    sync = Sync(
        config=config,
        store=store,
        kiwi=kiwi,
        clock=clock,
        client=client,
        crypto=crypto,
        login=login,
        rooms=rooms,
        events=events,
        posts=posts,
        outbox=outbox,
        synced=ready,
    )
    return MatrixBot(
        config=config,
        store=store,
        client=client,
        crypto=crypto,
        login=login,
        rooms=rooms,
        posts=posts,
        outbox=outbox,
        events=events,
        sync=sync,
        wakeups=wakeups,
        ready=ready,
    )


@dataclass
class App:
    """A running bot. `start()` returns once it is syncing; `stop()` ends it cleanly."""

    config: Config
    clock: Clock = field(default_factory=SystemClock)
    client: AsyncClient | None = None  # None: a new nio client; offline tests pass a fake homeserver's

    def __post_init__(self) -> None:
        use_command_prefix(self.config.command_prefix)  # the catalogue's `!ändern 3` as this network writes it
        self.lock = InstanceLock(self.config.database)
        self.lock.acquire()
        try:
            self.store = Store.open(self.config.database)
        except BaseException:
            self.lock.release()
            raise
        client = self.client if self.client is not None else new_client(self.config)
        # The page and the feeds name people as the chat shows them; the core hears of mistyped co-givers.
        self.names = Names(client)
        self.kiwi = Kiwi(self.store, self.clock, settings_from(self.config), MatrixPlatform(self.names.missing))
        self.calendars = build_calendars(self.config, self.store, self.kiwi, self.clock)
        self.bot = build_matrix(self.config, self.store, self.kiwi, self.clock, client, self.calendars, self.names)
        self.web = (
            build_web(
                self.config,
                self.calendars,
                self.clock,
                extra_routes=partial(add_programme_routes, deps=self._page_deps(self.calendars)),
                names=self.names,
                name_changes=self.names,
            )
            if self.calendars is not None
            else None
        )
        self._task: asyncio.Task[None] | None = None
        listeners = getattr(self.clock, "listeners", None)
        if isinstance(listeners, list):  # a test clock that jumps: the scheduler must look again
            listeners.append(self._clock_moved)

    def _page_deps(self, calendars: Calendars) -> ProgrammeDeps:
        """The programme page changes signups through the same core calls and the same outbox as the chat."""

        def calendar_url(session: Session) -> str | None:
            link = calendars.file_link(session.id)
            return link.url if link is not None else None

        return ProgrammeDeps(
            kiwi=self.kiwi,
            resolve=calendars.resolve,
            csrf=Csrf(csrf_key(self.store)),
            effects=self.bot.events.apply,
            after_commit=self.bot.outbox.send_soon,
            transaction=self.store.transaction,
            calendar_url=calendar_url,
            names=self.names,
            name_changes=self.names,
            calendars=calendars,
        )

    def _clock_moved(self) -> None:
        self.bot.wakeups.poke()

    async def start(self, wait_ready: float | None = 60) -> None:
        """Listen on `web.listen` (a WebListenError if that fails, before anything else runs), then sync."""
        if self.web is not None:
            await self.web.start()
        self._task = spawn(self.bot.run(), name="kiwibot-sync", log=log, failed="the bot stopped because of an error")
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
        if self.web is not None:
            await self.web.stop()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        # The sync task's end stops these; a bot whose sync never ran (a benchmark, a failed start) stops them here.
        await self.bot.wakeups.shutdown()
        await self.bot.outbox.stop()
        await self.bot.posts.stop()
        await self.bot.client.close()
        await self.names.close()
        self.store.close()
        self.lock.release()

    async def run_until_signal(self) -> None:
        """Foreground mode: SIGTERM/SIGINT stop the bot cleanly."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        try:
            await self.start(wait_ready=None)
        except WebListenError:
            await self.stop()
            raise
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
