"""Dead links and the throttle: a valid link is never slowed by what else came from its address, a link that
was valid once (revoked, a former member's) is not a guess, and dead links get a small page that says what to do."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from kiwibot.core.calendar import REVOKED_KEEP, CalendarLinks, Calendars
from kiwibot.core.clock import FixedClock
from kiwibot.storage import Store
from kiwibot.web.feeds import Feeds
from kiwibot.web.ical import IcalRenderer
from kiwibot.web.server import build_web_app
from kiwibot.web.throttle import Throttle

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 20, 11, 0, tzinfo=UTC)
BASE = "https://kiwi.example.org"
OFFICE = {"X-Forwarded-For": "203.0.113.9"}  # the office's NAT, behind the local proxy
MEMBERS = {"@anna:x", "@bob:x"}


class Clock(FixedClock):
    def set(self, moment: datetime) -> None:
        self.moment = moment


@pytest.fixture
def store() -> Store:
    return Store.open(":memory:")


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


def make(store: Store, clock: Clock, throttle: Throttle) -> tuple[Calendars, TestServer]:
    cal = Calendars(store, clock, lambda user: user in MEMBERS, CalendarLinks(BASE))
    renderer = IcalRenderer(BERLIN, BASE, lambda room, event: f"https://chat.example/{room}/{event}")
    return cal, TestServer(build_web_app(cal, Feeds(cal, renderer, clock, "de"), throttle=throttle))


async def test_links_that_were_valid_are_not_guesses_and_valid_ones_are_never_slowed(
    store: Store, clock: Clock
) -> None:
    throttle = Throttle(base_delay=0.2)
    cal, server = make(store, clock, throttle)
    valid = cal.issue("@anna:x", renew=False)
    revoked = cal.issue("@bob:x", renew=False)
    cal.issue("@bob:x", renew=True)  # `!kalender neu`: the first one is dead now
    former = cal.issue("@left:x", renew=False)  # no longer a member
    async with server, ClientSession() as session:

        async def get(path: str) -> int:
            async with session.get(server.make_url(path), headers=OFFICE) as response:
                await response.read()
                return response.status

        async def timed(path: str) -> tuple[int, float]:
            started = time.monotonic()
            return await get(path), time.monotonic() - started

        for _ in range(12):
            assert await get(f"/feed/{revoked}/mine.ics") == 404
            assert await get(f"/feed/{former}/programme.ics") == 404
        assert throttle.delay("203.0.113.9", time.monotonic()) == 0.0  # calendars still polling are not guessers
        for n in range(13):
            assert await get(f"/feed/{n:032d}/mine.ics") in (404, 429)
        delay = throttle.delay("203.0.113.9", time.monotonic())
        assert delay >= 0.5  # real guesses do count
        wrong = f"/feed/{'e' * 32}/mine.ics"
        answers = await asyncio.gather(timed(wrong), *(timed(f"/feed/{valid}/mine.ics") for _ in range(5)))
        assert answers[0][0] == 404 and answers[0][1] >= delay - 0.05  # the guess waited its turn
        assert [status for status, _ in answers[1:]] == [200] * 5  # a valid link from there: never 429 …
        assert all(took < delay for _, took in answers[1:])  # … and never slowed


async def test_revoked_links_are_known_ninety_days_then_forgotten(store: Store, clock: Clock) -> None:
    cal, _ = make(store, clock, Throttle())
    old = cal.issue("@anna:x", renew=False)
    cal.issue("@anna:x", renew=True)
    assert cal.resolve(old) is None and cal.was_valid(old)
    assert not cal.was_valid("A" * 32)
    clock.set(NOW + REVOKED_KEEP + timedelta(minutes=1))
    assert not cal.was_valid(old)
    pruned = store.prune_records(NOW, clock.now())
    assert pruned.get("revoked calendar links") == 1


async def test_dead_links_get_a_small_page_in_german_and_english(store: Store, clock: Clock) -> None:
    _, server = make(store, clock, Throttle(free=1, base_delay=0.3))
    async with server, ClientSession() as session:
        for path in ("/feed/" + "b" * 32 + "/mine.ics", "/p/" + "c" * 32, "/nothing/here"):
            async with session.get(server.make_url(path)) as response:
                text = await response.text()
                assert response.status == 404 and response.content_type == "text/html"
                assert '<html lang="de">' in text and '<section lang="en">' in text and "<title>" in text
                assert "!kalender" in text and "!calendar" in text
                assert "404" not in text and "Not Found" not in text

        async def guess() -> tuple[int, str]:
            async with session.get(server.make_url(f"/feed/{'d' * 32}/mine.ics"), headers=OFFICE) as response:
                return response.status, await response.text()

        answers = await asyncio.gather(*(guess() for _ in range(4)))
        refused = [text for status, text in answers if status == 429]
        assert refused and "zu viele Anfragen" in refused[0] and "Too many requests" in refused[0]


def test_only_old_links_are_called_old(store: Store, clock: Clock) -> None:
    cal, _ = make(store, clock, Throttle())

    def said(user: str, renew: bool) -> tuple[str, str]:
        (direct,) = cal.command(user, "!room:x", renew=renew, renew_command="!kalender neu").effects
        params = direct.message.params  # type: ignore[attr-defined]
        return params["intro"].key, params["outro"].key

    assert said("@anna:x", renew=False) == ("calendar.intro", "calendar.outro_first")  # nothing "keeps working"
    assert said("@anna:x", renew=False) == ("calendar.intro", "calendar.outro")
    assert said("@anna:x", renew=True) == ("calendar.renewed", "calendar.outro_renewed")
    assert said("@bob:x", renew=True) == ("calendar.intro", "calendar.outro_renewed")  # no "old ones stop working"


async def test_feed_files_are_named_in_the_readers_language(store: Store, clock: Clock) -> None:
    cal, server = make(store, clock, Throttle())
    secret = cal.issue("@anna:x", renew=False)
    store.set_language("@anna:x", "en")
    async with server, ClientSession() as session:
        for path, name in (("mine.ics", "kiwi-my-sessions.ics"), ("programme.ics", "kiwi-programme.ics")):
            async with session.get(server.make_url(f"/feed/{secret}/{path}")) as response:
                assert response.status == 200 and f'filename="{name}"' in response.headers["Content-Disposition"]
