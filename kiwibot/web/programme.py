"""The programme page's routes: GET `/p/{secret}`, POST `/p/{secret}/anmelden` and `/p/{secret}/abmelden`.

A button does what `!anmelden N` / `!abmelden N` do, through the same core calls in one transaction, and its
effects (the news post's count, waiting-list moves) go to the same sink as a command's. Then Post/Redirect/Get:
the page is shown again and says what happened, in the person's language. Wrong links get a plain 404.

A rendered page is kept (per person, link and page number) until a session changes, a signup to a session on it
or of the person changes, the person's language changes, or a session on it begins or ends (`keep.py`): a
browser reloading the page costs a few row reads, not a render, and the bot's event loop stays free for the
chat. A page with a notice is never kept.
"""

from __future__ import annotations

import logging
import secrets
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from aiohttp import web
from cachetools import LRUCache, TTLCache

from kiwibot.core.calendar import Calendars
from kiwibot.core.effects import Effect, Outcome
from kiwibot.core.errors import StorageUnavailable, UserError
from kiwibot.core.messages import Moment, Msg
from kiwibot.core.model import Session
from kiwibot.core.service import Kiwi
from kiwibot.web.csrf import Csrf
from kiwibot.web.keep import Basis, NameChanges, Unchanging, basis, still_holds
from kiwibot.web.page import (
    Notice,
    ProgrammeData,
    Words,
    build_view,
    changes_by_time,
    localpart,
    programme_data,
    render_programme,
)
from kiwibot.web.server import GUARD

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
MAX_SECRET = 128  # far longer than any link the bot makes: no need to ask the store about it
MAX_PAGE = 100_000
KEPT_BYTES = 32 * 1024 * 1024  # rendered pages kept in memory (a page of 50 sessions is ~85 kB)
# Personal pages: never stored by a proxy or the browser's cache, and the link (the secret) never leaks as a referrer.
PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}

Action = Literal["sign_up", "sign_off"]
# The buttons have their own limit, apart from the chat's commands (`commands_per_minute`): signing up for a dozen
# sessions in a minute by button is plausible, and each press is one small transaction.
PRESSES_PER_MINUTE = 30
MINUTE = timedelta(minutes=1)


def _nothing() -> None:
    return None


def _no_calendar(session: Session) -> str | None:
    return None


@dataclass(frozen=True, slots=True)
class ProgrammeDeps:
    """What the page needs, built and passed in by `app.py`."""

    kiwi: Kiwi
    resolve: Callable[[str], str | None]  # link secret → the member's user id, or None (unknown, rotated, not a member)
    csrf: Csrf
    # A use case's effects, carried out inside its transaction exactly as for a chat command (the Matrix
    # adapter queues the news post's edit and the notices in its outbox) …
    effects: Callable[[tuple[Effect, ...]], None]
    # … and what to do once the transaction is committed (the Matrix adapter: send the outbox soon).
    after_commit: Callable[[], None] = _nothing
    # The one transaction of a button press: the core's change and its queued effects commit together.
    transaction: Callable[[], AbstractContextManager[None]] = nullcontext
    calendar_url: Callable[[Session], str | None] = _no_calendar  # the session's calendar file, if served
    names: Callable[[str], str] = localpart  # how people are named on the page …
    name_changes: NameChanges = field(default_factory=Unchanging)  # … and when a name given out moved
    # The change counts of sessions and signups, to keep rendered pages; None: every page is rendered anew.
    calendars: Calendars | None = None


class Notices:
    """What a button did, kept for the page shown right after it (Post/Redirect/Get), then forgotten.

    In memory on purpose: a notice lives for seconds; after a restart the page simply shows the current state.
    """

    def __init__(self, size: int = 10_000, ttl: float = 600) -> None:
        self._kept: TTLCache[str, tuple[str, Notice]] = TTLCache(maxsize=size, ttl=ttl)

    def put(self, user_id: str, notice: Notice) -> str:
        token = secrets.token_urlsafe(12)
        self._kept[token] = (user_id, notice)
        return token

    def take(self, token: str | None, user_id: str) -> Notice | None:
        """The notice for `user_id` under `token`, once; someone else's token shows nothing."""
        kept = self._kept.get(token) if token else None
        if kept is None or kept[0] != user_id:
            return None
        del self._kept[token]  # type: ignore[arg-type]
        return kept[1]


class Presses:
    """The buttons' rate limit per person: at most `limit` presses in a minute. In memory on purpose, like the
    chat's limit: it protects the running bot."""

    def __init__(self, limit: int = PRESSES_PER_MINUTE, size: int = 10_000) -> None:
        self.limit = limit
        self._recent: LRUCache[str, deque[datetime]] = LRUCache(maxsize=size)

    def admit(self, user_id: str, now: datetime) -> datetime | None:
        """None: the press may go ahead (and is counted); else from when the person may press again."""
        window = self._recent.get(user_id)
        if window is None:
            window = self._recent[user_id] = deque()
        while window and now - window[0] >= MINUTE:
            window.popleft()
        if len(window) >= self.limit:
            return window[0] + MINUTE
        window.append(now)
        return None


def _minute_after(free: datetime) -> Moment:
    """Shown rounded up to the minute ("ab 14:04 Uhr"): never earlier than the person may press again."""
    rounded = free.replace(second=0, microsecond=0)
    return Moment(rounded if rounded == free else rounded + MINUTE, "time")


@dataclass(frozen=True, slots=True)
class _Kept:
    basis: Basis
    html: bytes
    named: int  # the names version it was rendered at: a page names many people, any moved name renders it anew


def _kept_pages() -> LRUCache[tuple[str, str, int], _Kept]:
    return LRUCache(maxsize=KEPT_BYTES, getsizeof=lambda kept: len(kept.html))


@dataclass
class ProgrammePage:
    deps: ProgrammeDeps
    notices: Notices = field(default_factory=Notices)
    kept: LRUCache[tuple[str, str, int], _Kept] = field(default_factory=_kept_pages)
    presses: Presses = field(default_factory=Presses)

    async def person(self, request: web.Request, secret: str) -> str:
        """The member behind a link; anything else ends in a plain 404 that tells nothing. Served by the bot's web
        server, its guard answers, so wrong links count as guesses and slow the guesser down."""
        if not secret or len(secret) > MAX_SECRET or not secret.isascii():
            raise web.HTTPNotFound()
        guard = request.app.get(GUARD)
        user_id = await guard.member(request, secret) if guard is not None else self.deps.resolve(secret)
        if user_id is None or not self.deps.kiwi.is_member(user_id):
            raise web.HTTPNotFound()
        return user_id

    def render(self, user_id: str, secret: str, page: int, notice: Notice | None, status: int = 200) -> web.Response:
        calendars = self.deps.calendars
        if notice is not None or calendars is None:
            html = self._html(programme_data(self.deps.kiwi, user_id, page), secret, notice)
        else:
            html = self._kept_html(calendars, user_id, secret, page)
        return web.Response(body=html, content_type="text/html", charset="utf-8", status=status, headers=PRIVATE)

    def _kept_html(self, calendars: Calendars, user_id: str, secret: str, page: int) -> bytes:
        """The page as last rendered, if no change and no moment since has made it stale; else rendered and kept."""
        kiwi = self.deps.kiwi
        key = (user_id, secret, page)
        language = kiwi.language_of(user_id)
        kept = self.kept.get(key)
        named = self.deps.name_changes.version
        if kept is not None and kept.named == named:
            holds = still_holds(calendars, user_id, kept.basis, language, kiwi.clock.now())
            if holds is not None:
                if holds is not kept.basis:
                    self.kept[key] = _Kept(holds, kept.html, named)
                return kept.html
        data = programme_data(kiwi, user_id, page)
        shown = [s.id for s in (*data.sessions, *data.given, *(s for s, _ in data.joined))]
        ends = calendars.next_session_end()  # the number of pages, and which sessions a later page shows
        until = min((moment for moment in (changes_by_time(data), ends) if moment is not None), default=None)
        built = basis(calendars, user_id, data.language, shown, until)
        html = self._html(data, secret, None)
        self.kept[key] = _Kept(built, html, named)
        return html

    def _html(self, data: ProgrammeData, secret: str, notice: Notice | None) -> bytes:
        view = build_view(
            data,
            csrf=self.deps.csrf.token(secret),
            secret=secret,
            notice=notice,
            names=self.deps.names,
            calendar_url=self.deps.calendar_url,
        )
        return render_programme(view).encode()

    async def show(self, request: web.Request) -> web.Response:
        secret = request.match_info["secret"]
        user_id = await self.person(request, secret)
        notice = self.notices.take(request.query.get("hinweis"), user_id)
        return self.render(user_id, secret, page_number(request.query.get("seite")), notice)

    async def sign_up(self, request: web.Request) -> web.Response:
        return await self._act(request, "sign_up")

    async def sign_off(self, request: web.Request) -> web.Response:
        return await self._act(request, "sign_off")

    async def _act(self, request: web.Request, action: Action) -> web.Response:
        secret = request.match_info["secret"]
        user_id = await self.person(request, secret)
        form = await request.post()
        page = page_number(form.get("seite"))
        if not self.deps.csrf.check(secret, form.get("csrf")):
            words = Words(self.deps.kiwi.language_of(user_id), self.deps.kiwi.settings.timezone, self.deps.names)
            log.info("programme page: a form without a valid token was refused")
            return self.render(user_id, secret, page, Notice(words.t("web.forged"), ok=False), status=403)
        message, ok = self._do(user_id, action, form.get("session"))
        words = Words(self.deps.kiwi.language_of(user_id), self.deps.kiwi.settings.timezone, self.deps.names)
        token = self.notices.put(user_id, Notice(words(message), ok))
        # Relative to …/p/<secret>/<action>: back to …/p/<secret>, whatever path prefix a proxy adds.
        query = f"seite={page}&hinweis={token}" if page > 1 else f"hinweis={token}"
        raise web.HTTPSeeOther(location=f"../{secret}?{query}#hinweis", headers=PRIVATE)

    def _do(self, user_id: str, action: Action, raw: object) -> tuple[Msg, bool]:
        """The same core call as the chat command, in one transaction with its effects; never raises."""
        kiwi = self.deps.kiwi
        try:
            number = session_number(raw)
        except UserError as err:
            return err.as_msg(), False
        free = self.presses.admit(user_id, kiwi.clock.now())
        if free is not None:  # the buttons' own limit, in the page's own words (nobody sent a command)
            return Msg.of("web.slow_down", time=_minute_after(free)), False
        try:
            with self.deps.transaction():
                outcome = self._call(user_id, action, number)
                self.deps.effects(outcome.effects)
        except UserError as err:
            return err.as_msg(), False
        except StorageUnavailable:
            log.warning("programme page: the database is unavailable", exc_info=True)
            return Msg.of("error.storage"), False
        except Exception:
            ref = secrets.token_hex(4)
            log.exception("programme page: %s of session %d failed (ref %s)", action, number, ref)
            return Msg.of("error.internal", ref=ref), False
        self.deps.after_commit()
        reply = outcome.reply
        return (reply if isinstance(reply, Msg) else Msg.of("web.signed_up")), True

    def _call(self, user_id: str, action: Action, number: int) -> Outcome:
        kiwi = self.deps.kiwi
        if action == "sign_up":
            # Kind "command": the core answers it as it answers `!anmelden` (a reply; refusals raise). The
            # source id says where it came from and is new per press, as a command's event id is.
            return kiwi.sign_up(user_id, number, f"web:{secrets.token_hex(8)}/{number}", "command")
        return kiwi.sign_off(user_id, number)


def session_number(raw: object) -> int:
    text = raw if isinstance(raw, str) else ""
    if not (text.isascii() and text.isdigit() and 0 < len(text) <= 9 and int(text) > 0):
        raise UserError("error.bad_number", value=text[:20])
    return int(text)


def page_number(raw: object) -> int:
    text = raw if isinstance(raw, str) else ""
    if text.isascii() and text.isdigit() and 0 < len(text) <= 6:
        return min(max(1, int(text)), MAX_PAGE)
    return 1


async def slash(request: web.Request) -> web.Response:
    """`/p/<secret>/` → `/p/<secret>` (relative, so a proxy's path prefix is kept; the page checks the secret)."""
    raise web.HTTPPermanentRedirect(location=f"../{request.match_info['secret']}", headers=PRIVATE)


def add_programme_routes(app: web.Application, deps: ProgrammeDeps) -> ProgrammePage:
    """The page, its two buttons and its stylesheet (at `/static/`)."""
    page = ProgrammePage(deps)
    app.router.add_get("/p/{secret}", page.show, name="programme")
    app.router.add_get("/p/{secret}/", slash)  # a link copied with a trailing slash
    app.router.add_post("/p/{secret}/anmelden", page.sign_up, name="programme-sign-up")
    app.router.add_post("/p/{secret}/abmelden", page.sign_off, name="programme-sign-off")
    app.router.add_static("/static/", STATIC, name="static")
    return page
