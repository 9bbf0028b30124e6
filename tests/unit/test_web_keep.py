"""What the web side keeps so that busy clients cost the bot little (B7), and that it never serves stale data:
the change counts of migration 15, pages and personal feeds kept until something they show changes, the
programme feed rebuilt by parts, and the gate that lets a few web requests in per event-loop turn."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from kiwibot.core.calendar import Calendars, FeedIndex
from kiwibot.core.effects import Announce
from kiwibot.storage import Store
from kiwibot.web import programme as programme_module
from kiwibot.web.feeds import Feeds
from kiwibot.web.page import PAGE_SIZE
from kiwibot.web.server import Gate
from tests.unit.test_calendar import NOW, Clock, calendars, events, offer, renderer
from tests.unit.webkit import MIA, OTHERS, SECRETS, Site, fields, http, local


@pytest.fixture
def store() -> Store:
    return Store.open(":memory:")


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


# -- the change counts ------------------------------------------------------------------------------------


def test_signups_and_the_layout_have_change_counts_of_their_own(store: Store) -> None:
    first, second = offer(store, "A"), offer(store, "B", days=4)
    rev = dict(store.db.execute("SELECT id, calendar_rev FROM sessions").fetchall())
    sessions, signups, layout = store.calendar_versions()

    store.add_signup_source(first, "@anna:x", "$r1", "reaction", NOW)
    assert store.calendar_versions() == (sessions, signups + 1, layout)  # no feed is rebuilt for a signup
    assert dict(store.db.execute("SELECT id, calendar_rev FROM sessions").fetchall()) == rev
    assert store.change_marks("@nobody:x", [first]) == (rev[first], signups + 1)
    assert store.change_marks("@nobody:x", [second]) == (rev[second], 0)
    assert store.change_marks("@anna:x", [second])[1] == signups + 1  # her own signups count for her

    store.update_session(second, NOW, title="B, neu")
    assert store.calendar_versions()[1:] == (signups + 1, layout)  # a title: no list changes its order
    store.update_session(second, NOW, starts_at=NOW + timedelta(days=5))
    assert store.calendar_versions()[2] == layout + 1
    offer(store, "C")
    assert store.calendar_versions()[2] == layout + 2
    assert set(store.changed_since(sessions)) == {second, second + 1}


# -- the programme feed -----------------------------------------------------------------------------------


class CountingCalendars(Calendars):
    reads = 0

    def programme(self) -> FeedIndex:
        self.reads += 1
        return super().programme()


async def test_the_programme_feed_rebuilt_by_parts_is_byte_for_byte_a_fresh_build(store: Store, clock: Clock) -> None:
    numbers = [offer(store, f"S{n}", days=1 + n / 10) for n in range(120)]
    counted = CountingCalendars(store, clock, lambda user: True, None)
    feeds = Feeds(counted, renderer(), clock, "de")

    async def fresh() -> bytes:
        return (await Feeds(calendars(store, clock), renderer(), clock, "de").programme("de")).data

    await feeds.programme("de")
    store.update_session(numbers[7], NOW, title="Sieben, neu")
    store.update_session(numbers[90], NOW, link="https://meet.example.org/neu")
    kept = await feeds.programme("de")
    assert counted.reads == 1  # the same sessions in the same order: only the two changed ones were read
    assert kept.data == await fresh() and "Sieben, neu" in events(kept.data)
    store.update_session(numbers[3], NOW, status="cancelled")  # the layout moves
    offer(store, "Dazwischen", days=1.05)
    rebuilt = await feeds.programme("de")
    assert counted.reads == 2 and rebuilt.data == await fresh()
    assert "Dazwischen" in events(rebuilt.data)


# -- personal feeds ---------------------------------------------------------------------------------------


async def test_a_personal_feed_is_kept_until_something_it_shows_changes(store: Store, clock: Clock) -> None:
    mine, other, later = offer(store, "Meins"), offer(store, "Fremd", days=4), offer(store, "Später", days=6)
    store.add_signup_source(mine, "@mia:x", "$m1", "reaction", NOW)
    feeds = Feeds(calendars(store, clock), renderer(), clock, "de")
    first = await feeds.personal("@mia:x")
    store.add_signup_source(other, "@ben:x", "$b1", "reaction", NOW)  # someone else, elsewhere
    store.update_session(later, NOW, title="Später, neu")  # a session she does not follow
    assert await feeds.personal("@mia:x") is first
    store.update_session(mine, NOW, title="Meins, neu")
    assert set(events((await feeds.personal("@mia:x")).data)) == {"Meins, neu"}
    store.add_signup_source(later, "@mia:x", "$m2", "command", NOW)
    assert set(events((await feeds.personal("@mia:x")).data)) == {"Meins, neu", "Später, neu"}
    store.remove_signup(mine, "@mia:x")
    assert set(events((await feeds.personal("@mia:x")).data)) == {"Später, neu"}
    clock.set(NOW + timedelta(days=6) + timedelta(hours=1) + timedelta(days=30, minutes=1))
    assert set(events((await feeds.personal("@mia:x")).data)) == set()  # ended 30 days ago: dropped by time


# -- the programme page -----------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    served = Site.start(tmp_path)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often a page was rendered (the kept ones are not)."""
    counted: list[int] = []
    original = programme_module.render_programme

    def counting(view: Any) -> str:
        counted.append(view.page)
        return original(view)

    monkeypatch.setattr(programme_module, "render_programme", counting)
    return counted


def count_of(page: str, number: int) -> str:
    """The "participants" line of a session on the page, as plain text."""
    article = page[page.index(f'id="s-{number}"') :]
    facts = article[: article.index("</dl>")]
    return html.unescape(facts.split("<dt>Teilnehmende</dt><dd>")[1].split("</dd>")[0])


def test_a_page_is_served_again_until_a_signup_to_a_session_on_it_changes(site: Site, renders: list[int]) -> None:
    givers = [f"@giver{n}:kiwi.test" for n in range(PAGE_SIZE)]  # one each: a giver's open offers are capped
    later = [_offer(site, giver, f"Später {n}", n) for n, giver in enumerate(givers)]
    first = http(site.page(MIA)).text
    assert http(site.page(MIA)).text == first and len(renders) == 1
    site.kiwi.sign_up(OTHERS[2], later[-1], "$far", "reaction")  # on page 2, not Mia's: page 1 stays
    assert http(site.page(MIA)).text == first and len(renders) == 1
    intro = site.seeded.intro
    site.kiwi.sign_up(OTHERS[2], intro, "$near", "reaction")  # on Mia's page: shown at once
    assert count_of(http(site.page(MIA)).text, intro) == "3 Teilnehmende" and len(renders) == 2
    site.kiwi.sign_off(OTHERS[2], intro)
    assert count_of(http(site.page(MIA)).text, intro) == "2 Teilnehmende"


def test_a_kept_page_follows_time_language_and_the_link(site: Site, renders: list[int]) -> None:
    intro = site.seeded.intro
    assert 'action="' + MIA in http(site.page(MIA)).text.split(f'id="s-{intro}"')[1].split("</article>")[0]
    site.kiwi.clock.moment = local(2, 9, 1)  # type: ignore[attr-defined]  # the session has begun: no button
    shown = http(site.page(MIA)).text.split(f'id="s-{intro}"')[1].split("</article>")[0]
    assert "<form" not in shown and 'class="begun"' in shown
    site.kiwi.set_language("@mia:kiwi.test", "en")
    assert '<html lang="en">' in http(site.page(MIA)).text
    user = SECRETS.pop(MIA)
    try:
        assert http(site.page(MIA)).status == 404  # a revoked link is refused though its page is kept
    finally:
        SECRETS[MIA] = user


def _offer(site: Site, giver: str, title: str, hours: int) -> int:
    """A session three weeks ahead: behind the seeded ones, so the 50 of them fill page 2 too."""
    announce = site.kiwi.offer(giver, fields(title, local(20, 8) + timedelta(hours=hours)), None, None).effects[0]
    assert isinstance(announce, Announce)
    return announce.session_id


# -- the gate ---------------------------------------------------------------------------------------------


async def _through(gate: Gate, count: int) -> tuple[list[int], list[int]]:
    """`count` requests through the gate; for each loop turn after they arrive, how many had started by then."""
    started: list[int] = []

    async def handler(request: Any) -> web.StreamResponse:
        started.append(request)
        return web.Response()

    tasks = [asyncio.create_task(gate.middleware(n, handler)) for n in range(count)]  # type: ignore[arg-type]
    seen = []
    while len(started) < count:
        await asyncio.sleep(0)
        seen.append(len(started))
    await asyncio.gather(*tasks)
    return started, seen


async def test_the_gate_lets_a_few_requests_in_per_loop_turn_in_the_order_they_came() -> None:
    started, seen = await _through(Gate(per_turn=2, share=1.0), 9)
    assert started == list(range(9))
    assert all(b - a <= 2 for a, b in zip([0, *seen], seen, strict=False))


async def test_over_its_cpu_share_the_gate_lets_the_loop_idle_until_the_window_ends() -> None:
    used = 0.0

    def cpu() -> float:  # every look at the clock finds another 20 ms used
        nonlocal used
        used += 0.020
        return used

    loop = asyncio.get_running_loop()
    began = loop.time()
    started, _ = await _through(Gate(per_turn=2, share=0.5, window=0.02, cpu=cpu), 6)
    assert started == list(range(6)) and loop.time() - began >= 0.02
