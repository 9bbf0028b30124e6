"""The web side's HTTP server: aiohttp in the bot's own event loop, started and stopped by `app.py`.

Routes: a person's feed and the programme feed under their link secret, a session's calendar file under its
unguessable id; `/p/<secret>` is the programme page (added through `extra_routes`). Every response carries the
security headers; a wrong or malformed secret gets the same 404 page as a path that does not exist
(`refusals.py`), and an address that keeps guessing is slowed down (`throttle.py`), never a valid link. A
failing handler answers 500 and is logged with a reference; the server and the bot go on. Request paths hold
secrets, so there is no access log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from ipaddress import ip_address
from typing import Any, NoReturn

from aiohttp import web

from kiwibot.core.calendar import FEED_PATH, PROGRAMME_FEED_PATH, SESSION_FILE_PATH, Calendars, is_file_id
from kiwibot.core.errors import StorageUnavailable
from kiwibot.i18n import template
from kiwibot.tasks import spawn
from kiwibot.web.feeds import Body, Feeds
from kiwibot.web.protocol import PARSER_LIMITS, Runner, secure
from kiwibot.web.refusals import not_found, too_many
from kiwibot.web.throttle import Throttle

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CALENDAR_TYPE = "text/calendar; charset=utf-8"
PERSONAL = "private, no-store"  # the secret is in the URL and the answer is one person's
MAX_BODY = 16 * 1024  # the only bodies are the page's small forms
WARM = "database unavailable while warming the programme feed (the first request builds it)"


class Guard:
    """Who a link secret belongs to, for every route that takes one (the page's too). The secret is looked up
    first: a valid one is answered at once, whatever its address did before (an office behind one NAT shares
    an address with whoever polls a dead link). Only a wrong one counts against the client's address, and an
    address that guessed wrong too often waits before it hears "not found"."""

    def __init__(self, calendars: Calendars, throttle: Throttle, clock: Callable[[], float] = time.monotonic) -> None:
        self.calendars = calendars
        self.throttle = throttle
        self.clock = clock

    async def member(self, request: web.Request, secret: str) -> str:
        """The member whose link this is; else "not found" (also for a person who left the network). A link
        that was valid once (revoked by `!kalender neu`, or of a former member) is a calendar still polling:
        it is not counted as a guess."""
        user_id = self.calendars.resolve(secret)
        if user_id is None:
            await self.refuse(request, guess=not self.calendars.was_valid(secret))
        assert user_id is not None
        return user_id

    async def file(self, request: web.Request, file_id: str) -> None:
        """A session's file id is unguessable too: wrong ones count as guesses."""
        if not is_file_id(file_id) or self.calendars.session_file(file_id) is None:
            await self.refuse(request, guess=True)

    async def refuse(self, request: web.Request, *, guess: bool) -> NoReturn:
        """Answer "not found". A guess counts against the address; an address that guessed wrong too often
        waits first, and while one of its requests waits, its other wrong ones are refused at once (429), so
        guessing in parallel gains nothing."""
        if guess:
            address = client_address(request)
            now = self.clock()
            delay = self.throttle.delay(address, now)
            self.throttle.missed(address, now)
            if delay:
                if self.throttle.busy(address):
                    raise too_many(int(delay) + 1)
                self.throttle.hold(address, True)
                try:
                    await asyncio.sleep(delay)
                finally:
                    self.throttle.hold(address, False)
        raise not_found()


class Gate:
    """The bot's own work comes first: each turn of the event loop starts at most `per_turn` web requests, the
    others wait their turn in the order they came; and while the loop's thread has used more than `share` of
    the CPU in the current `window`, no waiting request is let in until the window ends.

    A turn runs every callback that is ready, and a sync response that arrived meanwhile is read only in the
    next one. Two hundred clients polling at once would make each turn serve them all (tens of milliseconds),
    and every step of handling a chat event would wait that long; with the gate a step waits behind a few
    requests (well under a millisecond when they are answered from memory). The CPU share keeps a flood of
    requests from using the whole core: the loop stays idle part of the time, so the operating system wakes the
    bot at once when a sync response comes (and the homeserver on the same host gets its share). Clients wait
    in the queue instead, which costs nothing. Even when the chat keeps the loop busy, each window lets
    `per_turn` requests in: the web side slows down but never stops. (B7 on 2 cores: with a share of 0.5 a
    reaction under load took 2.0–2.5 × its unloaded time, with 0.3 1.1–1.3 × at ~3,700 requests/s, with 0.2 no
    better (1.21, 1.22) at ~2,200/s: what is left lies before the homeserver answers the bot's sync.)
    """

    def __init__(
        self,
        per_turn: int = 2,
        share: float = 0.3,
        window: float = 0.05,
        cpu: Callable[[], float] = time.thread_time,
    ) -> None:
        self.per_turn = per_turn
        self.share = share
        self.window = window
        self.cpu = cpu
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._started = 0  # requests let in for the current turn
        self._turn_due = False
        self._window_began = -window  # loop time; the first turn opens a window
        self._cpu_began = 0.0

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self._waiting or self._started >= self.per_turn:
            ticket = asyncio.get_running_loop().create_future()
            self._waiting.append(ticket)
            self._next_turn()
            await ticket  # cancelled (the client left): it is skipped when its turn comes
        else:
            self._started += 1
            self._next_turn()
        return await handler(request)

    def _next_turn(self) -> None:
        if not self._turn_due:
            self._turn_due = True
            asyncio.get_running_loop().call_soon(self._turn)

    def _turn(self) -> None:
        """Once per loop turn while requests come: the next few waiting ones are let in (they run next turn)."""
        self._turn_due = False
        self._started = 0
        loop = asyncio.get_running_loop()
        now = loop.time()
        if now - self._window_began >= self.window:
            self._window_began, self._cpu_began = now, self.cpu()
        elif self._waiting and self.cpu() - self._cpu_began > self.share * self.window:
            self._turn_due = True  # over the share: the loop idles until the window ends
            loop.call_at(self._window_began + self.window, self._turn)
            return
        while self._waiting and self._started < self.per_turn:
            ticket = self._waiting.popleft()
            if not ticket.done():
                ticket.set_result(None)
                self._started += 1
        if self._started:
            self._next_turn()


def client_address(request: web.Request) -> str:
    """The peer; behind a reverse proxy on this host, the address the proxy last appended to X-Forwarded-For
    (only a local proxy is believed: anyone else could write that header)."""
    peer = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    try:
        local = ip_address(peer).is_loopback
    except ValueError:
        local = False
    if local and forwarded:
        return forwarded.rsplit(",", 1)[-1].strip() or peer
    return peer


# -- responses ------------------------------------------------------------------------------------------


def calendar_response(request: web.Request, body: Body, cache_control: str, filename: str) -> web.StreamResponse:
    """The calendar, or 304 when the client already has these bytes (If-None-Match first, as RFC 9110 says).

    A large feed goes gzip-compressed to clients that accept it (compressed once, when it was built); that
    representation has its own ETag, as a strong validator must.
    """
    gzipped = body.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", "").lower()
    etag = body.etag[:-1] + '-gzip"' if gzipped else body.etag
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(body.last_modified, usegmt=True),
        "Cache-Control": cache_control,
        "Vary": "Accept-Encoding",
    }
    if _not_modified(request, etag, body):
        return web.Response(status=304, headers=headers)
    headers["Content-Type"] = CALENDAR_TYPE
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    if gzipped:
        headers["Content-Encoding"] = "gzip"
        return web.Response(body=body.gzipped, headers=headers)
    return web.Response(body=body.data, headers=headers)


def _not_modified(request: web.Request, etag: str, body: Body) -> bool:
    match = request.headers.get("If-None-Match")
    if match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return body.last_modified <= moment


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    secure(response)


@web.middleware
async def _errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """No exception reaches aiohttp's own handler: it is logged with a reference, the client gets no detail."""
    try:
        return await handler(request)
    except web.HTTPNotFound as exc:
        if exc.content_type == "text/html":
            raise
        raise not_found() from None  # a path that names nothing: the same page as a dead link
    except web.HTTPException:
        raise
    except StorageUnavailable as exc:
        log.warning("web request refused, the database is unavailable: %s", exc)
        raise web.HTTPServiceUnavailable(headers={"Retry-After": "30"}) from None
    except Exception:
        log.exception("web request failed (ref %s)", secrets.token_hex(4))
        raise web.HTTPInternalServerError() from None


# -- the application ------------------------------------------------------------------------------------

GUARD: web.AppKey[Guard] = web.AppKey("guard", Guard)
FEEDS: web.AppKey[Feeds] = web.AppKey("feeds", Feeds)


class CalendarRoutes:
    def __init__(self, guard: Guard, feeds: Feeds) -> None:
        self.guard = guard
        self.feeds = feeds

    async def mine(self, request: web.Request) -> web.StreamResponse:
        user_id = await self.guard.member(request, request.match_info["secret"])
        body = await self.feeds.personal(user_id)
        filename = template(self.feeds.language_of(user_id), "ical.file_mine")
        return calendar_response(request, body, PERSONAL, filename)

    async def programme(self, request: web.Request) -> web.StreamResponse:
        user_id = await self.guard.member(request, request.match_info["secret"])
        language = self.feeds.language_of(user_id)
        body = await self.feeds.programme(language)
        return calendar_response(request, body, PERSONAL, template(language, "ical.file_programme"))

    async def session_file(self, request: web.Request) -> web.StreamResponse:
        file_id = request.match_info["file_id"]
        await self.guard.file(request, file_id)
        body = await self.feeds.session_file(file_id)
        if body is None:  # gone between the check and now
            raise not_found()
        return calendar_response(request, body, "private, no-cache", "kiwi-session.ics")


def build_web_app(
    calendars: Calendars,
    feeds: Feeds,
    *,
    throttle: Throttle | None = None,
    extra_routes: Callable[[web.Application], object] | None = None,
) -> web.Application:
    """The aiohttp application. `extra_routes(app)` adds more (the programme page at `/p/{secret}`); they find
    the guard for link secrets as `app[GUARD]` and get the same headers, limits and error handling."""
    guard = Guard(calendars, throttle or Throttle())

    app = web.Application(client_max_size=MAX_BODY, middlewares=[_errors, Gate().middleware])
    app.on_response_prepare.append(_security_headers)
    app[GUARD] = guard
    app[FEEDS] = feeds
    routes = CalendarRoutes(guard, feeds)
    app.router.add_get(FEED_PATH, routes.mine)
    app.router.add_get(PROGRAMME_FEED_PATH, routes.programme)
    app.router.add_get(SESSION_FILE_PATH, routes.session_file)
    if extra_routes is not None:
        extra_routes(app)
    return app


class WebServer:
    """Listens on `web.listen` in the running event loop; `stop()` closes it (open requests get a moment)."""

    def __init__(
        self, app: web.Application, host: str, port: int, warm: Callable[[], Coroutine[Any, Any, None]] | None
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.warm = warm
        self._runner: web.AppRunner | None = None
        self._warming: asyncio.Task[None] | None = None

    async def start(self) -> None:
        runner = Runner(self.app, access_log=None, handle_signals=False, shutdown_timeout=2.0, **PARSER_LIMITS)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port, backlog=512).start()
        except OSError as exc:
            await runner.cleanup()
            raise WebListenError(
                f"cannot listen on {self.host}:{self.port} (web.listen): {exc.strerror or exc}"
            ) from exc
        self._runner = runner
        log.info("web side listening on %s:%d", self.host, self.port)
        if self.warm is not None:
            self._warming = spawn(
                self.warm(), name="kiwibot-web-warm", log=log, failed="warming the programme feed failed", storage=WARM
            )

    async def stop(self) -> None:
        if self._warming is not None:
            self._warming.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._warming
            self._warming = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class WebListenError(Exception):
    """The configured address cannot be listened on (in use, not this host's, no permission)."""
