"""A programme site for tests: the real page routes over a real Store and Kiwi with seeded sessions, served over
real HTTP (aiohttp on 127.0.0.1) from a thread of its own, so plain HTTP requests and a synchronous browser
driver can both use it. Only the link secrets are a stand-in (a dict) for the calendar links' store.
"""

from __future__ import annotations

import asyncio
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from kiwibot.core.calendar import Calendars
from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Announce, Effect
from kiwibot.core.model import Format, Session
from kiwibot.core.offer import OfferFields
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.storage import Store
from kiwibot.web.csrf import Csrf
from kiwibot.web.programme import ProgrammeDeps, add_programme_routes

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)  # a Saturday
BERLIN = ZoneInfo("Europe/Berlin")
ME, ED, GIVER, FORMER = "@mia:kiwi.test", "@ed:kiwi.test", "@gerd:kiwi.test", "@former:elsewhere.test"
OTHERS = ("@anna:kiwi.test", "@bert:kiwi.test", "@cem:kiwi.test")
SECRETS = {
    "mia-4f1c2a9e8d7b6c5a4f3e2d1c0b9a8f7e": ME,
    "ed-0a1b2c3d4e5f60718293a4b5c6d7e8f9": ED,
    "anna-a1a2a3a4a5a6a7a8a9b0b1b2b3b4b5b6": OTHERS[0],
    "former-99887766554433221100ffeeddcc": FORMER,  # was a member once: the link still resolves
}
MIA, EDS, ANNAS = (
    "mia-4f1c2a9e8d7b6c5a4f3e2d1c0b9a8f7e",
    "ed-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "anna-a1a2a3a4a5a6a7a8a9b0b1b2b3b4b5b6",
)
HOSTILE_TITLE = '<script>window.kiwiPwned = 1</script><img src=x onerror="window.kiwiPwned = 2">'
HOSTILE_TEXT = '<img src=x onerror="window.kiwiPwned = 3"> & <b>fett</b>\nzweite Zeile'
CSRF = Csrf(b"a test key that is long enough!!")
# The headers the web server adds to every page (kiwibot/web/server.py): the page must work under them.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
}


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """A time `days` after NOW's date, at the given Berlin wall-clock time."""
    day = NOW.astimezone(BERLIN).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def fields(title: str, starts_at: datetime, **overrides: Any) -> OfferFields:
    values: dict[str, Any] = {
        "title": title,
        "starts_at": starts_at,
        "duration": 60,
        "format": Format.TALK,
        "link": "https://meet.example.org/kiwi",
        "description": "",
        "seats": None,
        "given": frozenset({"title", "when", "duration", "format", "link"}),
    }
    values.update(overrides)
    return OfferFields(**values)


def make_kiwi(store: Store, now: datetime = NOW) -> Kiwi:
    settings = Settings(timezone=BERLIN, allowed_servers=frozenset({"kiwi.test"}))
    return Kiwi(store, FixedClock(now), settings, MatrixPlatform())


@dataclass(frozen=True, slots=True)
class Seeded:
    """The numbers of the seeded sessions, by what they show."""

    intro: int  # open, no seat limit, two others signed up
    full: int  # 2 seats, both taken, one more on the waiting list
    waiting: int  # 1 seat, Mia on the waiting list (place 1)
    cancelled: int  # Mia signed up, then it was cancelled
    hostile: int  # a title and description that try to be markup
    mine: int  # Mia gives it
    joined: int  # Mia has a seat


def seed(kiwi: Kiwi) -> Seeded:
    anna, bert, cem = OTHERS

    def offer(giver: str, title: str, starts_at: datetime, **overrides: Any) -> int:
        announce = kiwi.offer(giver, fields(title, starts_at, **overrides), None, None).effects[0]
        assert isinstance(announce, Announce)
        return announce.session_id

    def join(user: str, number: int) -> None:
        kiwi.sign_up(user, number, f"$seed-{user}-{number}", "reaction")

    intro = offer(
        GIVER,
        "Einführung in die E-Akte",
        local(2, 9),
        description="Wir klicken uns gemeinsam durch die ersten Schritte.",
    )
    join(anna, intro)
    join(bert, intro)
    full = offer(GIVER, "Barrierefreie PDFs", local(2, 14), seats=2, format=Format.WORKSHOP, duration=90)
    for user in (anna, bert, cem):
        join(user, full)
    waiting = offer(GIVER, "Agile Verwaltung", local(3, 10), seats=1, format=Format.EXCHANGE)
    join(anna, waiting)
    join(ME, waiting)
    cancelled = offer(GIVER, "Datenschutz kompakt", local(3, 15), format=Format.AMA, link=None)
    join(ME, cancelled)
    kiwi.cancel(GIVER, cancelled, "Die Referentin ist krank.")
    hostile = offer(GIVER, HOSTILE_TITLE, local(4, 11), description=HOSTILE_TEXT, link="javascript:alert(1)")
    mine = offer(ME, "Mein Workshop zu Open Data", local(5, 13), format=Format.WORKSHOP, seats=8, duration=90)
    joined = offer(GIVER, "Kaffeerunde Digitalisierung", local(6, 16), seats=10, format=Format.GROUP, duration=30)
    join(ME, joined)
    return Seeded(intro, full, waiting, cancelled, hostile, mine, joined)


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    response = await handler(request)
    response.headers.update(SECURITY_HEADERS)
    return response


def calendar_file(session: Session) -> str:
    return f"../k/session-{session.id}.ics"


@dataclass
class People:
    """How the site names people, renamed by a test as the chat adapter's names are (`matrix.names.Names`)."""

    names: dict[str, str] = field(default_factory=lambda: {ME: "Mia Muster", GIVER: "Gerd Geber", ED: "Ed Example"})
    version: int = 0

    def __call__(self, user_id: str) -> str:
        return self.names.get(user_id, user_id)

    def rename(self, user_id: str, name: str) -> None:
        self.names[user_id] = name
        self.version += 1

    def changed_since(self, version: int, users: Iterable[str]) -> bool:
        return version < self.version


@dataclass
class Site:
    """The seeded programme site on a free port of 127.0.0.1; `stop()` ends it."""

    path: Path
    store: Store
    kiwi: Kiwi
    seeded: Seeded
    effects: list[tuple[Effect, ...]] = field(default_factory=list)
    broken: bool = False  # set: carrying out effects fails (a bug in the adapter), to see the rollback
    commits: list[None] = field(default_factory=list)
    people: People = field(default_factory=People)
    url: str = ""
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None

    @classmethod
    def start(cls, tmp: Path) -> Site:
        path = tmp / "kiwibot.db"
        store = Store.open(path)
        kiwi = make_kiwi(store)
        site = cls(path, store, kiwi, seed(kiwi))
        ready = threading.Event()
        site._thread = threading.Thread(target=site._serve, args=(ready,), name="programme-site", daemon=True)
        site._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the programme site did not start")
        return site

    def app(self) -> web.Application:
        app = web.Application(middlewares=[security_headers])
        deps = ProgrammeDeps(
            kiwi=self.kiwi,
            resolve=SECRETS.get,
            csrf=CSRF,
            effects=self._carry_out,
            after_commit=lambda: self.commits.append(None),
            transaction=self.store.transaction,
            calendar_url=calendar_file,
            names=self.people,
            name_changes=self.people,
            # Rendered pages are kept as in the bot: every page test also checks they never go stale.
            calendars=Calendars(self.store, self.kiwi.clock, self.kiwi.is_member, None),
        )
        add_programme_routes(app, deps)
        return app

    def _carry_out(self, effects: tuple[Effect, ...]) -> None:
        if self.broken:
            raise RuntimeError("the outbox is broken")
        self.effects.append(effects)

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        runner = web.AppRunner(self.app(), access_log=None)
        loop.run_until_complete(runner.setup())
        tcp = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(tcp.start())
        self.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            loop.close()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self.store.close()

    def page(self, secret: str = MIA) -> str:
        return f"{self.url}/p/{secret}"

    def attendees(self, number: int) -> list[str]:
        """Who is signed up, read through a connection of its own (as another process would see it)."""
        store = Store.open(self.path)
        try:
            return store.attendees(number)
        finally:
            store.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: dict[str, str]
    text: str


def http(url: str, data: dict[str, str] | None = None, *, follow: bool = True) -> Answer:
    """One real HTTP request (a POST when `data` is given), without the browser."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=body), timeout=10) as response:
            return Answer(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as err:
        return Answer(err.code, dict(err.headers), err.read().decode())
