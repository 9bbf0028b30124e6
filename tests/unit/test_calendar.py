"""Calendars without a network: link secrets, what each feed holds, the iCalendar text (read back by two
parsers), the feed cache, conditional requests and the throttle for guessed secrets."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream
from ical.event import EventStatus

from kiwibot.core.calendar import KEEP, MAX_LINKS, CalendarLinks, Calendars, is_secret, link_hash
from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Direct
from kiwibot.core.errors import UserError
from kiwibot.core.model import Format, SessionDraft
from kiwibot.storage import Store
from kiwibot.storage.migrations import MIGRATIONS
from kiwibot.storage.times import iso
from kiwibot.web.feeds import Body, Feeds
from kiwibot.web.ical import IcalRenderer
from kiwibot.web.throttle import Throttle

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 20, 11, 0, tzinfo=UTC)  # nine days before the change to summer time
BASE = "https://kiwi.example.org"


class Clock(FixedClock):
    def set(self, moment: datetime) -> None:
        self.moment = moment


@pytest.fixture
def store() -> Store:
    return Store.open(":memory:")


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


def calendars(store: Store, clock: Clock, members: set[str] | None = None) -> Calendars:
    return Calendars(store, clock, lambda user: members is None or user in members, CalendarLinks(BASE))


def offer(store: Store, title: str = "E-Akte", days: float = 3, giver: str = "@gabi:x", **extra: object) -> int:
    draft = SessionDraft(giver, title, NOW + timedelta(days=days), 60, Format.TALK, **extra)  # type: ignore[arg-type]
    return store.create_session(draft, NOW).id


def renderer() -> IcalRenderer:
    return IcalRenderer(BERLIN, BASE, lambda room, event: f"https://chat.example/{room}/{event}")


def events(data: bytes) -> dict[str, icalendar.Event]:
    """Parsed by icalendar and, strictly, by ical: both must read the same events."""
    parsed = icalendar.Calendar.from_ical(data)
    strict = IcsCalendarStream.calendar_from_ics(data.decode())
    found = {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}
    assert sorted(found) == sorted(e.summary for e in strict.events)
    return found


# -- links ----------------------------------------------------------------------------------------------


def test_a_link_is_stored_only_as_its_hash_and_resolves_to_its_member(store: Store, clock: Clock) -> None:
    cal = calendars(store, clock)
    secret = cal.issue("@anna:x", renew=False)
    assert is_secret(secret) and len(secret) == 32
    rows = store.db.execute("SELECT hash, user_id FROM calendar_links").fetchall()
    assert rows == [(link_hash(secret), "@anna:x")] and secret not in str(rows)
    assert cal.resolve(secret) == "@anna:x"
    assert cal.resolve(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    for malformed in ("", "x", secret + "x", secret[:31] + "/", "../../etc/passwd", "ä" * 32):
        assert cal.resolve(malformed) is None


def test_each_kalender_adds_a_link_and_neu_revokes_all_at_once(store: Store, clock: Clock) -> None:
    cal = calendars(store, clock)
    first = cal.issue("@anna:x", renew=False)
    second = cal.issue("@anna:x", renew=False)
    other = cal.issue("@bert:x", renew=False)
    assert cal.resolve(first) == cal.resolve(second) == "@anna:x"
    fresh = cal.issue("@anna:x", renew=True)
    assert cal.resolve(first) is None and cal.resolve(second) is None
    assert cal.resolve(fresh) == "@anna:x" and cal.resolve(other) == "@bert:x"


def test_a_person_who_left_the_network_has_dead_links(store: Store, clock: Clock) -> None:
    members = {"@anna:x"}
    cal = calendars(store, clock, members)
    secret = cal.issue("@anna:x", renew=False)
    assert cal.resolve(secret) == "@anna:x"
    members.clear()
    assert cal.resolve(secret) is None


def test_the_command_answers_by_direct_message_and_only_says_so_in_a_room(store: Store, clock: Clock) -> None:
    cal = calendars(store, clock)
    outcome = cal.command("@anna:x", "!programme:x", renew=False, renew_command="!kalender neu")
    assert outcome.reply.key == "calendar.sent_dm"
    (direct,) = outcome.effects
    assert isinstance(direct, Direct) and direct.user_id == "@anna:x"
    params = direct.message.params
    assert params["mine"].url.startswith(f"{BASE}/feed/") and params["mine"].url.endswith("/mine.ics")
    assert params["mine_webcal"].url == "webcal://" + params["mine"].url.removeprefix("https://")
    assert params["programme_webcal"].url == "webcal://" + params["programme"].url.removeprefix("https://")
    assert params["programme"].url.endswith("/programme.ics") and params["page"].url.startswith(f"{BASE}/p/")
    store.set_direct_room("@anna:x", "!dm:x")
    in_dm = cal.command("@anna:x", "!dm:x", renew=True, renew_command="!kalender neu")
    assert in_dm.reply.key == "calendar.links" and not in_dm.effects
    assert in_dm.reply.params["intro"].key == "calendar.renewed"


def test_links_are_limited_but_neu_always_works(store: Store, clock: Clock) -> None:
    cal = calendars(store, clock)
    for _ in range(MAX_LINKS):
        cal.command("@anna:x", "!r:x", renew=False, renew_command="!kalender neu")
    with pytest.raises(UserError) as refused:
        cal.command("@anna:x", "!r:x", renew=False, renew_command="!kalender neu")
    assert refused.value.key == "calendar.too_many"
    cal.command("@anna:x", "!r:x", renew=True, renew_command="!kalender neu")
    assert store.calendar_link_count("@anna:x") == 1


def test_without_the_web_side_the_command_says_it_is_off(store: Store, clock: Clock) -> None:
    cal = Calendars(store, clock, lambda user: True, None)
    with pytest.raises(UserError) as off:
        cal.command("@anna:x", "!r:x", renew=False, renew_command="!kalender neu")
    assert off.value.key == "calendar.off" and cal.file_link(1) is None


# -- what the feeds hold ---------------------------------------------------------------------------------


def test_sequence_grows_with_time_title_link_and_status_only(store: Store) -> None:
    number = offer(store)

    def sequence() -> int:
        return store.calendar_entries([number])[number].sequence

    assert sequence() == 0
    store.update_session(number, NOW, seats=5, description="neu")
    assert sequence() == 0
    for change in ({"title": "Neu"}, {"starts_at": NOW + timedelta(days=4)}, {"duration": 90}, {"link": "https://x"}):
        before = sequence()
        store.update_session(number, NOW, **change)
        assert sequence() == before + 1, change
    store.update_session(number, NOW + timedelta(hours=1), status="cancelled")
    entry = store.calendar_entries([number])[number]
    assert entry.sequence == 5 and entry.cancelled_at == NOW + timedelta(hours=1)


def test_every_session_gets_its_own_unguessable_file_id(store: Store) -> None:
    ids = {store.calendar_file_id(offer(store, f"S{n}", days=n + 1)) for n in range(20)}
    assert len(ids) == 20 and all(i is not None and len(i) == 32 and not i.isdigit() for i in ids)


def test_the_migration_gives_sessions_of_an_older_database_file_ids(tmp_path: Path) -> None:
    calendars_version = next(n for n, steps in enumerate(MIGRATIONS, 1) if any("calendar_links" in s for s in steps))
    old = Store.open(tmp_path / "k.db", target=calendars_version - 1)
    start = NOW + timedelta(days=2)
    # As the schema before calendars stored it (today's store writes columns that version does not have).
    number = old.db.execute(
        "INSERT INTO sessions (giver, title, starts_at, ends_at, duration, format, status, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, 60, 'talk', 'open', ?, ?)",
        ("@gabi:x", "Alt", iso(start), iso(start + timedelta(minutes=60)), iso(NOW), iso(NOW)),
    ).lastrowid
    old.db.execute("UPDATE sessions SET status = 'cancelled', updated_at = ? WHERE id = ?", (iso(NOW), number))
    old.db.conn.commit()
    old.close()
    assert number is not None
    store = Store.open(tmp_path / "k.db")
    entry = store.calendar_entries([number])[number]
    assert len(entry.file_id) == 32 and entry.cancelled_at == NOW


def test_a_co_givers_feed_holds_the_sessions_they_co_give_from_the_moment_they_are_named(
    store: Store, clock: Clock
) -> None:
    cal = calendars(store, clock)
    cohosted = offer(store, "Zu zweit", giver="@gabi:x")
    version = store.calendar_version()
    store.set_cogivers(cohosted, ["@anna:x"], "@gabi:x", NOW)
    assert store.calendar_version() > version  # cached feeds are rebuilt at the next poll
    assert [s.session_id for s in cal.personal("@anna:x").stamps] == [cohosted]
    version = store.calendar_version()
    store.set_cogivers(cohosted, [], "@gabi:x", NOW)
    assert store.calendar_version() > version
    assert cal.personal("@anna:x").stamps == ()


def test_personal_feed_holds_given_and_joined_sessions_marking_the_waiting_list(store: Store, clock: Clock) -> None:
    cal = calendars(store, clock)
    given = offer(store, "Meine", giver="@anna:x")
    joined = offer(store, "Dabei", days=4)
    full = offer(store, "Voll", days=5, seats=1)
    other = offer(store, "Fremd", days=6)
    past = offer(store, "Vorbei", days=-20)
    long_ago = offer(store, "Lange her", days=-40)
    for number, person in ((joined, "@anna:x"), (full, "@bert:x"), (full, "@anna:x"), (past, "@anna:x")):
        store.add_signup_source(number, person, f"{number}-{person}", "command", NOW)
    store.add_signup_source(long_ago, "@anna:x", "old", "command", NOW)
    stamps = cal.personal("@anna:x").stamps
    assert [(s.session_id, s.waiting) for s in stamps] == [(past, False), (given, False), (joined, False), (full, True)]
    assert other not in [s.session_id for s in stamps]
    store.remove_signup(joined, "@anna:x")  # a sign-off removes it
    assert joined not in [s.session_id for s in cal.personal("@anna:x").stamps]
    store.remove_signup(full, "@bert:x")  # anna moves up: no longer waiting
    assert (full, False) in [(s.session_id, s.waiting) for s in cal.personal("@anna:x").stamps]


def test_cancelled_sessions_stay_thirty_days(store: Store, clock: Clock) -> None:
    cal = calendars(store, clock)
    number = offer(store, days=60)
    store.add_signup_source(number, "@anna:x", "s", "command", NOW)
    store.update_session(number, NOW, status="cancelled")
    assert [s.session_id for s in cal.programme().stamps] == [number]
    assert [s.session_id for s in cal.personal("@anna:x").stamps] == [number]
    assert cal.programme().valid_until == NOW + KEEP
    clock.set(NOW + KEEP + timedelta(seconds=1))
    assert cal.programme().stamps == () and cal.personal("@anna:x").stamps == ()


def test_programme_feed_holds_what_has_not_ended_and_says_when_that_changes(store: Store, clock: Clock) -> None:
    cal = calendars(store, clock)
    soon = offer(store, "Bald", days=1)
    later = offer(store, "Später", days=2)
    offer(store, "Vorbei", days=-1)
    index = cal.programme()
    assert [s.session_id for s in index.stamps] == [soon, later]
    assert index.valid_until == NOW + timedelta(days=1, minutes=60)


# -- iCalendar ------------------------------------------------------------------------------------------


async def test_feeds_read_back_by_both_parsers_with_times_across_the_dst_change(store: Store, clock: Clock) -> None:
    offer(store, "Vor der Umstellung", days=6, link="https://meet.example.org/a", description="Zeile 1\nZeile 2")
    after = offer(store, "Nach der Umstellung", days=13)
    store.update_session(after, NOW, news_room="!news:x", news_event="$post")
    feeds = Feeds(calendars(store, clock), renderer(), clock, "de")
    body = await feeds.programme("de")
    parsed = icalendar.Calendar.from_ical(body.data)
    assert str(parsed["X-WR-CALNAME"]) == "KIWI-Programm" and str(parsed["X-PUBLISHED-TTL"]) == "PT1H"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body.data
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["Europe/Berlin"]
    found = events(body.data)
    first, second = found["Vor der Umstellung"], found["Nach der Umstellung"]
    start_1, start_2 = first.decoded("DTSTART"), second.decoded("DTSTART")
    assert (start_1.hour, start_1.utcoffset()) == (12, timedelta(hours=1))  # 11:00 UTC in winter
    assert (start_2.hour, start_2.utcoffset()) == (13, timedelta(hours=2))  # 11:00 UTC in summer
    assert first["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(first["URL"]) == str(first["LOCATION"]) == "https://meet.example.org/a"
    description = str(first["DESCRIPTION"])
    assert "Format: Impuls – kurzer Impulsvortrag" in description
    assert "Session-Geber:in: gabi\n" in description  # no name known: the id's local part, never the bare id
    assert "Zeile 1\nZeile 2" in description
    assert "Ankündigung: https://chat.example/!news:x/$post" in str(second["DESCRIPTION"])
    assert str(first["STATUS"]) == "CONFIRMED" and first["SEQUENCE"] == 0
    assert first.decoded("DTSTAMP") == first.decoded("LAST-MODIFIED") == NOW
    strict = IcsCalendarStream.calendar_from_ics(body.data.decode())
    assert {e.dtstart.utcoffset() for e in strict.events} == {timedelta(hours=1), timedelta(hours=2)}
    assert {e.dtstart.hour for e in strict.events} == {12, 13}


async def test_cancelled_and_waiting_are_shown_in_status_and_title(store: Store, clock: Clock) -> None:
    cancelled = offer(store, "Fällt aus", days=2)
    store.update_session(cancelled, NOW, status="cancelled", cancel_reason="krank")
    full = offer(store, "Ausgebucht", days=3, seats=1)
    for person in ("@bert:x", "@anna:x"):
        store.add_signup_source(full, person, person, "command", NOW)
        store.add_signup_source(cancelled, person, person + "c", "command", NOW)
    feeds = Feeds(calendars(store, clock), renderer(), clock, "de")
    found = events((await feeds.personal("@anna:x")).data)
    gone, waiting = found["Abgesagt: Fällt aus"], found["Ausgebucht (Warteliste)"]
    assert str(gone["STATUS"]) == "CANCELLED" and "Grund: krank" in str(gone["DESCRIPTION"])
    assert str(waiting["STATUS"]) == "TENTATIVE" and "Warteliste" in str(waiting["DESCRIPTION"])
    strict = {
        e.summary: e.status
        for e in IcsCalendarStream.calendar_from_ics((await feeds.personal("@anna:x")).data.decode()).events
    }
    assert strict == {"Abgesagt: Fällt aus": EventStatus.CANCELLED, "Ausgebucht (Warteliste)": EventStatus.TENTATIVE}
    store.set_language("@anna:x", "en")
    english = events((await feeds.personal("@anna:x")).data)
    assert set(english) == {"Cancelled: Fällt aus", "Ausgebucht (waiting list)"}


async def test_hostile_text_stays_text(store: Store, clock: Clock) -> None:
    title = "Böse\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:eingeschleust;,\\ \x00\x1b"
    offer(store, title, description="DESCRIPTION:x\r\nBEGIN:VALARM")
    feeds = Feeds(calendars(store, clock), renderer(), clock, "de")
    data = (await feeds.programme("de")).data
    parsed = icalendar.Calendar.from_ical(data)
    (event,) = parsed.walk("VEVENT")
    assert "END:VEVENT" in str(event["SUMMARY"]) and "\x00" not in str(event["SUMMARY"])
    assert parsed.walk("VALARM") == []
    assert len(IcsCalendarStream.calendar_from_ics(data.decode()).events) == 1


async def test_uid_is_the_same_in_every_feed_and_the_file(store: Store, clock: Clock) -> None:
    number = offer(store)
    store.add_signup_source(number, "@anna:x", "s", "command", NOW)
    feeds = Feeds(calendars(store, clock), renderer(), clock, "de")
    file_id = store.calendar_file_id(number)
    assert file_id is not None
    file = await feeds.session_file(file_id)
    assert file is not None
    uids = set()
    for body in (await feeds.programme("de"), await feeds.personal("@anna:x"), file, await feeds.programme("de")):
        (event,) = icalendar.Calendar.from_ical(body.data).walk("VEVENT")
        uids.add(str(event["UID"]))
    assert uids == {f"{file_id}@kiwi.example.org"}
    assert b"X-WR-CALNAME" not in file.data  # a file is imported once, not subscribed to
    assert await feeds.session_file("0" * 32) is None and await feeds.session_file("1") is None


# -- the feed cache ---------------------------------------------------------------------------------------


class CountingRenderer(IcalRenderer):
    def __init__(self) -> None:
        super().__init__(BERLIN, BASE, lambda room, event: "")
        self.rendered: list[int] = []

    def event(self, entry, language, waiting=False, *moved):  # type: ignore[no-untyped-def]
        self.rendered.append(entry.session.id)
        return super().event(entry, language, waiting, *moved)


async def test_a_change_renders_only_that_event_and_the_same_bytes_keep_their_validators(
    store: Store, clock: Clock
) -> None:
    numbers = [offer(store, f"S{n}", days=1 + n / 10) for n in range(100)]
    counting = CountingRenderer()
    feeds = Feeds(calendars(store, clock), counting, clock, "de")
    first = await feeds.programme("de")
    assert sorted(counting.rendered) == numbers
    counting.rendered.clear()
    clock.set(NOW + timedelta(minutes=5))
    assert await feeds.programme("de") is first and counting.rendered == []
    store.update_session(numbers[50], clock.now(), title="Neu")
    changed = await feeds.programme("de")
    assert counting.rendered == [numbers[50]]
    assert changed.etag != first.etag and changed.last_modified == clock.now().replace(microsecond=0)
    store.update_session(numbers[50], clock.now(), title="S50")  # back: same text, but SEQUENCE grew
    assert (await feeds.programme("de")).etag not in (first.etag, changed.etag)


async def test_the_feed_changes_when_its_first_session_ends(store: Store, clock: Clock) -> None:
    offer(store, "Bald", days=0.1)
    offer(store, "Später", days=2)
    feeds = Feeds(calendars(store, clock), renderer(), clock, "de")
    before = await feeds.programme("de")
    clock.set(NOW + timedelta(days=0.1, minutes=61))
    after = await feeds.programme("de")
    assert set(events(after.data)) == {"Später"} and after.etag != before.etag
    assert after.last_modified > before.last_modified


async def test_a_cold_feed_lets_the_event_loop_run(store: Store, clock: Clock) -> None:
    for n in range(400):
        offer(store, f"S{n}", days=1 + n / 100)
    feeds = Feeds(calendars(store, clock), renderer(), clock, "de")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await feeds.programme("de")
    task.cancel()
    assert ticks >= 400 // 40 - 1


# -- HTTP validators and the throttle ------------------------------------------------------------------


def test_conditional_requests() -> None:
    from aiohttp.test_utils import make_mocked_request

    from kiwibot.web.server import PERSONAL, calendar_response

    body = Body(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", '"abc"', datetime(2026, 3, 20, 11, 0, 5, tzinfo=UTC))
    cases = [
        ({}, 200),
        ({"If-None-Match": '"abc"'}, 304),
        ({"If-None-Match": 'W/"abc", "x"'}, 304),
        ({"If-None-Match": '"other"'}, 200),
        ({"If-None-Match": '"other"', "If-Modified-Since": "Fri, 20 Mar 2026 12:00:00 GMT"}, 200),
        ({"If-Modified-Since": "Fri, 20 Mar 2026 11:00:05 GMT"}, 304),
        ({"If-Modified-Since": "Fri, 20 Mar 2026 11:00:04 GMT"}, 200),
        ({"If-Modified-Since": "gestern"}, 200),
    ]
    for headers, status in cases:
        response = calendar_response(make_mocked_request("GET", "/", headers=headers), body, PERSONAL, "k.ics")
        assert response.status == status, headers
        assert response.headers["ETag"] == '"abc"' and response.headers["Cache-Control"] == PERSONAL
        assert response.headers["Last-Modified"] == "Fri, 20 Mar 2026 11:00:05 GMT"
        if status == 200:
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"


def test_a_large_feed_goes_compressed_with_its_own_etag() -> None:
    import gzip

    from aiohttp.test_utils import make_mocked_request

    from kiwibot.web.server import PERSONAL, calendar_response

    data = b"BEGIN:VCALENDAR\r\n" + b"X" * 100_000 + b"END:VCALENDAR\r\n"
    body = Body(data, '"abc"', datetime(2026, 3, 20, 11, 0, 5, tzinfo=UTC), gzip.compress(data))
    plain = calendar_response(make_mocked_request("GET", "/"), body, PERSONAL, "k.ics")
    assert plain.body == data and "Content-Encoding" not in plain.headers and plain.headers["ETag"] == '"abc"'
    request = make_mocked_request("GET", "/", headers={"Accept-Encoding": "gzip, deflate"})
    packed = calendar_response(request, body, PERSONAL, "k.ics")
    assert packed.headers["Content-Encoding"] == "gzip" and packed.headers["ETag"] == '"abc-gzip"'
    assert isinstance(packed.body, bytes) and gzip.decompress(packed.body) == data
    again = make_mocked_request("GET", "/", headers={"Accept-Encoding": "gzip", "If-None-Match": '"abc-gzip"'})
    assert calendar_response(again, body, PERSONAL, "k.ics").status == 304


def test_the_throttle_lets_a_few_misses_pass_then_doubles_the_wait() -> None:
    throttle = Throttle(free=3, window=60.0, base_delay=0.5, max_delay=4.0)
    for _ in range(3):
        assert throttle.delay("1.2.3.4", 0.0) == 0.0
        throttle.missed("1.2.3.4", 0.0)
    assert throttle.delay("1.2.3.4", 0.0) == 0.0
    delays = []
    for _ in range(6):
        throttle.missed("1.2.3.4", 0.0)
        delays.append(throttle.delay("1.2.3.4", 0.0))
    assert delays == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert throttle.delay("5.6.7.8", 0.0) == 0.0  # others are not slowed
    assert throttle.delay("1.2.3.4", 180.0) == 0.0  # the bucket drains: three per minute
    throttle.hold("1.2.3.4", True)
    assert throttle.busy("1.2.3.4") and not throttle.busy("5.6.7.8")


def test_behind_a_local_proxy_the_forwarded_address_counts() -> None:
    from aiohttp.test_utils import make_mocked_request

    from kiwibot.web.server import client_address

    def address(remote: str, forwarded: str | None) -> str:
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        request = make_mocked_request("GET", "/", headers=headers)
        return client_address(request.clone(remote=remote))

    assert address("127.0.0.1", "10.0.0.1, 203.0.113.7") == "203.0.113.7"
    assert address("::1", "203.0.113.8") == "203.0.113.8"
    assert address("198.51.100.2", "203.0.113.7") == "198.51.100.2"  # only a local proxy is believed
    assert address("127.0.0.1", None) == "127.0.0.1"


async def test_a_failing_handler_answers_500_without_detail_and_the_server_goes_on(
    store: Store, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    from aiohttp import ClientSession, web
    from aiohttp.test_utils import TestServer

    from kiwibot.core.errors import StorageUnavailable
    from kiwibot.web.server import GUARD, build_web_app

    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError("secret detail")

    async def locked(request: web.Request) -> web.Response:
        raise StorageUnavailable("the database is locked")

    async def page(request: web.Request) -> web.Response:
        user = await request.app[GUARD].member(request, request.match_info["secret"])
        return web.Response(text=user)

    def routes(app: web.Application) -> None:
        app.router.add_get("/broken", broken)
        app.router.add_get("/locked", locked)
        app.router.add_get("/p/{secret}", page)

    cal = calendars(store, clock)
    secret = cal.issue("@anna:x", renew=False)
    app = build_web_app(cal, Feeds(cal, renderer(), clock, "de"), extra_routes=routes)
    async with TestServer(app) as server, ClientSession() as session:
        for _ in range(3):
            async with session.get(server.make_url("/broken")) as response:
                assert response.status == 500 and "secret detail" not in await response.text()
                assert response.headers["X-Content-Type-Options"] == "nosniff"
        async with session.get(server.make_url("/locked")) as response:
            assert response.status == 503 and response.headers["Retry-After"] == "30"
        async with session.get(server.make_url("/nothing/here")) as response:
            assert response.status == 404 and response.headers["Referrer-Policy"] == "no-referrer"
            assert "form-action 'self'" in response.headers["Content-Security-Policy"]
        async with session.get(server.make_url(f"/p/{secret}")) as response:
            assert response.status == 200 and await response.text() == "@anna:x"
        async with session.get(server.make_url("/p/" + "x" * 32)) as response:
            assert response.status == 404
    assert "secret detail" in caplog.text and "ref" in caplog.text


async def test_while_the_feed_is_rebuilt_other_polls_get_the_last_one_at_once(store: Store, clock: Clock) -> None:
    numbers = [offer(store, f"S{n}", days=1 + n / 10) for n in range(200)]
    feeds = Feeds(calendars(store, clock), renderer(), clock, "de")
    old = await feeds.programme("de")
    for number in numbers:  # every event must be rendered again: the build yields many times
        store.update_session(number, NOW, title=f"Neu {number}")
    first = asyncio.create_task(feeds.programme("de"))
    await asyncio.sleep(0)
    assert await feeds.programme("de") is old  # did not wait for the build
    fresh = await first
    assert fresh.etag != old.etag and await feeds.programme("de") is fresh


# -- the command through the real adapter, offline ---------------------------------------------------------


async def test_kalender_through_the_adapter_queues_links_for_the_direct_chat_only(
    tmp_path: Path, bots: list[object]
) -> None:
    from tests.unit.adapterkit import BOB, ROOM, Bot, FakeServer, text

    bot = Bot(tmp_path, FakeServer(), web={"base_url": "https://kiwi.example.org"})
    bots.append(bot)
    await bot.event(BOB, text("!kalender"))
    queued = bot.app.store.pending_outbox()
    in_room = [item.content["body"] for item in queued if item.room_id == ROOM]
    direct = [item.content["body"] for item in queued if item.room_id == f"dm:{BOB}"]
    assert in_room == ["Ich habe dir eine Direktnachricht geschickt."]
    assert len(direct) == 1 and "https://kiwi.example.org/feed/" in direct[0] and "webcal://kiwi" in direct[0]
    assert "Aus dem Internet abonnieren" in direct[0]
    formatted = next(i.content.get("formatted_body", "") for i in queued if i.room_id == f"dm:{BOB}")
    assert formatted.count('href="webcal://kiwi.example.org/feed/') == 2  # own feed and programme: a tap subscribes
    await bot.event(BOB, text("!kalender quatsch"))
    assert "„quatsch“ verstehe ich hier nicht" in bot.answers()[-1]["body"]
    await bot.event(BOB, text("!calendar new"))
    english_room = [i.content["body"] for i in bot.app.store.pending_outbox() if i.room_id == ROOM][-1]
    assert english_room == "Ich habe dir eine Direktnachricht geschickt."  # Bob reads German
    assert bot.app.store.calendar_link_count(BOB) == 1  # `new` replaced both


async def test_with_the_web_side_off_the_adapter_says_so(tmp_path: Path, bots: list[object]) -> None:
    from tests.unit.adapterkit import BOB, Bot, FakeServer, text

    bot = Bot(tmp_path, FakeServer(), web={"enabled": False})
    bots.append(bot)
    assert bot.app.web is None and bot.app.calendars is None
    await bot.event(BOB, text("!kalender"))
    assert "abgeschaltet" in bot.answers()[-1]["body"]
