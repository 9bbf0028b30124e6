"""Calendars against the real Synapse and the bot's real HTTP server: `!kalender` by direct message only, feeds
read by two parsers, changes at the next poll, conditional requests, revoked links, the web side off."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import aiohttp
import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream
from multidict import CIMultiDictProxy

from tests.integration.conftest import World
from tests.integration.matrixkit import User, accept_direct_chat, body, is_edit_of, react
from tests.integration.sessionkit import BERLIN, offer

pytestmark = pytest.mark.integration

SENT_DM = "Ich habe dir eine Direktnachricht geschickt."


async def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> tuple[int, Any, bytes]:
    async with aiohttp.ClientSession() as session, session.request(method, url, headers=headers or {}) as response:
        data = await response.read()
        headers_seen: CIMultiDictProxy[str] = response.headers
        return response.status, headers_seen, data


def parsed(data: bytes) -> dict[str, icalendar.Event]:
    """The events by title, as icalendar reads them; the strict `ical` parser must read the same ones."""
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    strict = IcsCalendarStream.calendar_from_ics(data.decode())
    assert sorted(events) == sorted(e.summary for e in strict.events)
    assert {str(e["UID"]) for e in events.values()} == {e.uid for e in strict.events}
    return events


def links_in(text: str, world: World) -> dict[str, str]:
    base = re.escape(world.web_url)
    found = {
        "mine": re.search(rf"{base}/feed/[\w-]+/mine\.ics", text),
        "programme": re.search(rf"{base}/feed/[\w-]+/programme\.ics", text),
        "page": re.search(rf"{base}/p/[\w-]+", text),
        "webcal": re.search(r"webcal://127\.0\.0\.1:\d+/feed/[\w-]+/mine\.ics", text),
    }
    assert all(found.values()), text
    return {name: match.group(0) for name, match in found.items() if match}


async def ask_for_links(
    world: World, user: User, room: str, command: str = "!kalender", dm: str | None = None
) -> tuple[dict[str, str], str, str]:
    """Send the command in `room`; return the links of the direct message that follows, the direct chat (`dm`:
    the one the bot opened before) and the message's text."""
    before = {e["event_id"] for e in user.events.get(dm, [])} if dm else set()
    sent = await user.send(room, command)
    if room != dm:
        reply = await user.wait_reply(room, sent, world.bot_id)
        assert body(reply) == SENT_DM
        assert "http" not in str(reply["content"])
    if dm is None:
        dm = await accept_direct_chat(user)
    message = await user.wait_for(
        dm, lambda e: e["sender"] == world.bot_id and "/feed/" in body(e) and e["event_id"] not in before
    )
    return links_in(body(message), world), dm, body(message)


def dst_days() -> tuple[date, date]:
    """A day before and a day after the next change of Berlin's UTC offset, both at least three days ahead."""
    today = datetime.now(UTC).astimezone(BERLIN).date()
    day = today + timedelta(days=5)
    while True:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=BERLIN)
        if noon.utcoffset() != (noon + timedelta(days=1)).utcoffset():
            return day - timedelta(days=1), day + timedelta(days=3)
        day += timedelta(days=1)


def when(day: date, clock: str = "14:00") -> str:
    return f"{day:%d.%m.%Y} {clock}"


async def test_kalender_answers_by_direct_message_and_feeds_follow_every_change(world: World) -> None:
    await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    before, after = dst_days()
    early, early_post = await offer(world, giver, title="Vor der Zeitumstellung", when=when(before))
    late, _ = await offer(world, giver, title="Nach der Zeitumstellung", when=when(after), seats=1)
    await react(anna, world.programme, early_post)
    for person in (bert, anna):  # anna second: waiting list
        joined = await person.send(world.programme, f"!anmelden {late}")
        await person.wait_reply(world.programme, joined, world.bot_id)
    await giver.wait_for(world.programme, lambda e: is_edit_of(e, early_post) and "1 teilnehmende" in body(e))

    links, _, dm_text = await ask_for_links(world, anna, world.programme)
    for step in ("Aus dem Internet abonnieren", "Thunderbird", "Google", "iPhone", "webcal://"):
        assert step in dm_text, step
    room_texts = [str(e.get("content")) for e in await anna.history(world.programme) if e["sender"] == world.bot_id]
    assert not any("/feed/" in text or "/p/" in text for text in room_texts)
    assert any("!kalender" in text and "KIWI-Programm" in text for text in room_texts)  # the pinned overview

    status, headers, data = await fetch(links["mine"])
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Cache-Control"] == "private, no-store" and headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff" and "form-action 'self'" in headers["Content-Security-Policy"]
    events = parsed(data)
    assert set(events) == {"Vor der Zeitumstellung", "Nach der Zeitumstellung (Warteliste)"}
    first, waiting = events["Vor der Zeitumstellung"], events["Nach der Zeitumstellung (Warteliste)"]
    assert str(first["STATUS"]) == "CONFIRMED" and str(waiting["STATUS"]) == "TENTATIVE"
    start_1, start_2 = first.decoded("DTSTART"), waiting.decoded("DTSTART")
    assert start_1.hour == start_2.hour == 14 and start_1.utcoffset() != start_2.utcoffset()
    assert first["DTSTART"].params["TZID"] == "Europe/Berlin"
    strict = {e.summary: e.dtstart for e in IcsCalendarStream.calendar_from_ics(data.decode()).events}
    assert {d.hour for d in strict.values()} == {14} and len({d.utcoffset() for d in strict.values()}) == 2
    assert "Ankündigung: https://matrix.to/#/" in str(first["DESCRIPTION"])

    status, again_headers, again = await fetch(links["mine"])
    assert status == 200 and again == data and again_headers["ETag"] == headers["ETag"]
    assert parsed(again)["Vor der Zeitumstellung"]["UID"] == first["UID"]
    status, _, empty = await fetch(links["mine"], {"If-None-Match": headers["ETag"]})
    assert (status, empty) == (304, b"")
    status, _, _ = await fetch(links["mine"], {"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304

    programme_status, programme_headers, programme = await fetch(links["programme"])
    calendar = icalendar.Calendar.from_ical(programme)
    assert programme_status == 200 and str(calendar["X-WR-CALNAME"]) == "KIWI-Programm"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in programme and b"X-PUBLISHED-TTL:PT1H" in programme
    assert programme_headers["Cache-Control"] == "private, no-store"
    assert parsed(programme)["Vor der Zeitumstellung"]["UID"] == first["UID"]

    news = (await anna.client.room_get_event(world.programme, early_post)).event.source["content"]
    assert "!kalender" in news["body"]
    file_url = re.search(rf"{re.escape(world.web_url)}/session/([0-9a-f]+)\.ics", news["formatted_body"])
    assert file_url and file_url.group(1) != str(early)
    status, file_headers, file = await fetch(file_url.group(0))
    assert status == 200 and list(parsed(file)) == ["Vor der Zeitumstellung"]
    assert parsed(file)["Vor der Zeitumstellung"]["UID"] == first["UID"]
    assert file_headers["Content-Type"] == "text/calendar; charset=utf-8"

    change = await giver.send(world.programme, f"!ändern {early}\nTermin: {when(before, '15:30')}")
    await giver.wait_reply(world.programme, change, world.bot_id)
    status, moved_headers, moved = await fetch(links["mine"], {"If-None-Match": headers["ETag"]})
    assert status == 200 and moved_headers["ETag"] != headers["ETag"]
    now_moved = parsed(moved)["Vor der Zeitumstellung"]
    assert now_moved["SEQUENCE"] > first["SEQUENCE"] and now_moved["UID"] == first["UID"]
    assert now_moved.decoded("DTSTART").strftime("%H:%M") == "15:30"
    programme_moved = parsed((await fetch(links["programme"]))[2])["Vor der Zeitumstellung"]
    assert programme_moved.decoded("DTSTART").strftime("%H:%M") == "15:30"

    cancel = await giver.send(world.programme, f"!absagen {late} Krankheit")
    await giver.wait_reply(world.programme, cancel, world.bot_id)
    cancelled = parsed((await fetch(links["programme"]))[2])["Abgesagt: Nach der Zeitumstellung"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and "Krankheit" in str(cancelled["DESCRIPTION"])
    assert "Abgesagt: Nach der Zeitumstellung" in parsed((await fetch(links["mine"]))[2])

    leave = await anna.send(world.programme, f"!abmelden {early}")
    await anna.wait_reply(world.programme, leave, world.bot_id)
    assert "Vor der Zeitumstellung" not in parsed((await fetch(links["mine"]))[2])


async def test_new_links_revoke_the_old_ones_and_a_former_member_gets_404(world: World) -> None:
    app = await world.start_bot()
    anna = await world.user("anna", join=(world.programme,))
    first, dm, _ = await ask_for_links(world, anna, world.programme)
    second, _, _ = await ask_for_links(world, anna, dm, dm=dm)  # asked in the direct chat itself
    assert first["mine"] != second["mine"]
    for url in (first["mine"], second["mine"], second["programme"]):
        assert (await fetch(url))[0] == 200
    third, _, text = await ask_for_links(world, anna, world.programme, "!kalender neu", dm=dm)
    assert "funktionieren ab sofort nicht mehr" in text
    for url in (first["mine"], first["programme"], second["mine"]):
        status, headers, data = await fetch(url)
        assert status == 404 and b"!kalender" in data and b'lang="de"' in data, url
        assert headers["Referrer-Policy"] == "no-referrer" and headers["X-Content-Type-Options"] == "nosniff"
    assert (await fetch(third["mine"]))[0] == 200
    secret = third["mine"].split("/")[-2]
    for wrong in (f"/feed/{secret[:-1]}/mine.ics", f"/feed/{secret}x/mine.ics", "/feed/%00/mine.ics", "/feed/x/y"):
        status, _, data = await fetch(world.web_url + wrong)
        assert status == 404 and b"!kalender" in data, wrong
    assert (await fetch(third["mine"], method="POST"))[0] == 405

    await world.stop_bot(app)
    await world.start_bot(access={"allowed_servers": ["elsewhere.example"]})
    status, _, data = await fetch(third["mine"])
    assert status == 404 and b"!kalender" in data  # no longer a network member


async def test_guessing_is_slowed_down_and_bad_requests_do_not_disturb_the_bot(world: World) -> None:
    await world.start_bot()
    anna = await world.user("anna", join=(world.programme,))
    links, _, _ = await ask_for_links(world, anna, world.programme)
    guess = {"X-Forwarded-For": "203.0.113.9"}  # the bot believes a proxy on this host
    for n in range(11):
        assert (await fetch(f"{world.web_url}/feed/{'A' * 31}{n % 10}/mine.ics", guess))[0] == 404
    began = time.monotonic()
    assert (await fetch(f"{world.web_url}/feed/{'B' * 32}/mine.ics", guess))[0] == 404
    assert time.monotonic() - began >= 0.45
    began = time.monotonic()
    assert (await fetch(links["mine"], {"X-Forwarded-For": "203.0.113.10"}))[0] == 200  # others are not slowed
    assert time.monotonic() - began < 0.45

    status, _, _ = await fetch(links["mine"], {"X-Long": "x" * 20_000})
    assert status in (400, 431)
    assert (await fetch(world.web_url + "/feed/" + "a" * 10_000 + "/mine.ics"))[0] in (400, 404, 414)
    reader, writer = await asyncio.open_connection("127.0.0.1", world.web_port)
    writer.write(b"\x16\x03\x01 this is not HTTP at all\r\n\r\n")
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(200), 5)
    assert answer == b"" or b" 400 " in answer.split(b"\r\n")[0]
    writer.close()
    async with aiohttp.ClientSession() as session, session.post(links["mine"], data=b"x" * 100_000) as response:
        assert response.status in (405, 413)

    ping = await anna.send(world.programme, "!ping")
    assert "Pong" in body(await anna.wait_reply(world.programme, ping, world.bot_id))
    assert (await fetch(links["mine"]))[0] == 200


async def test_with_the_web_side_off_nothing_listens_and_kalender_says_so(world: World) -> None:
    await world.start_bot(web={"enabled": False})
    anna = await world.user("anna", join=(world.programme,))
    giver = await world.user("giver", join=(world.programme,))
    sent = await anna.send(world.programme, "!kalender")
    assert "abgeschaltet" in body(await anna.wait_reply(world.programme, sent, world.bot_id))
    with pytest.raises(aiohttp.ClientConnectionError):
        await fetch(f"{world.web_url}/feed/{'A' * 32}/mine.ics")
    _, post = await offer(world, giver)
    news = (await giver.client.room_get_event(world.programme, post)).event.source["content"]
    assert "/session/" not in news["formatted_body"] and "!kalender" not in news["body"]
    help_sent = await anna.send(world.programme, "!hilfe")
    assert "!kalender" in body(await anna.wait_reply(world.programme, help_sent, world.bot_id))
