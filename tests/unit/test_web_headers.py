"""Every answer of the web server carries the security headers, also those aiohttp gives itself (a malformed
request, headers too long or too many, an unknown path or method, a body too large): sent over a raw socket to
the server as the bot runs it (`WebServer`, with its parser limits)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from kiwibot.core.calendar import CalendarLinks, Calendars
from kiwibot.core.clock import FixedClock
from kiwibot.storage import Store
from kiwibot.web.feeds import Feeds
from kiwibot.web.ical import IcalRenderer
from kiwibot.web.protocol import SECURITY_HEADERS
from kiwibot.web.server import WebServer, build_web_app
from tests.unit.webkit import BERLIN, NOW

FEED = b"/feed/" + b"a" * 32 + b"/mine.ics"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def form(request: web.Request) -> web.Response:
    await request.post()
    return web.Response(text="ok")


@pytest.fixture
async def port() -> AsyncIterator[int]:
    store = Store.open(":memory:")
    clock = FixedClock(NOW)
    calendars = Calendars(store, clock, lambda user: True, CalendarLinks("https://kiwi.example.org"))
    feeds = Feeds(calendars, IcalRenderer(BERLIN, "https://kiwi.example.org", lambda room, event: ""), clock, "de")
    app = build_web_app(calendars, feeds, extra_routes=lambda app: app.router.add_post("/form", form))
    number = free_port()
    server = WebServer(app, "127.0.0.1", number, warm=None)
    await server.start()
    try:
        yield number
    finally:
        await server.stop()
        store.close()


async def send(port: int, request: bytes) -> tuple[int, dict[str, str], str]:
    """The raw bytes on a new connection; the answer's status, headers and body (the server closes after it)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
    head, _, body = answer.decode("latin-1").partition("\r\n\r\n")
    status_line, *lines = head.split("\r\n")
    headers = {name.lower(): value for name, _, value in (line.partition(": ") for line in lines)}
    return int(status_line.split()[1]), headers, body


CASES = {
    "a malformed request line": (b"GARBAGE\r\n\r\n", 400),
    "an invalid method": (b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "an unknown HTTP version": (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 400),
    "a request line too long": (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "a header too long": (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n", 400),
    "too many headers": (
        b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(80)) + b"\r\n",
        400,
    ),
    "a broken chunked body": (b"POST /form HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n", 400),
    "an unknown path": (b"GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404),
    "a wrong method": (b"DELETE " + FEED + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 405),
    "a body too large": (
        b"POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 20000\r\nConnection: close\r\n\r\n" + b"x" * 20000,
        413,
    ),
}


@pytest.mark.parametrize("case", CASES)
async def test_aiohttps_own_answers_carry_the_security_headers(port: int, case: str) -> None:
    request, status = CASES[case]
    got, headers, _ = await send(port, request)
    assert got == status
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name.lower()) == value, name
    assert headers["server"] == "kiwibot"  # no software version for a scanner to look up


async def test_the_server_goes_on_answering_after_malformed_requests(port: int) -> None:
    for request, _ in CASES.values():
        await send(port, request)
    status, headers, body = await send(port, b"GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status == 404 and "This link leads nowhere" in body and headers["x-frame-options"] == "DENY"


MARKER = b"KIWIMARKER"
MALFORMED = {
    "a request line with an invalid method": b"G@T /" + MARKER + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "a request line that is not HTTP": MARKER + b"\r\n\r\n",
    "an unknown HTTP version": b"GET /" + MARKER + b" HTTP/9.9\r\nHost: x\r\n\r\n",
    "a request line too long": b"GET /" + MARKER * 500 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "a header without a colon": b"GET / HTTP/1.1\r\nHost: x\r\n" + MARKER + b"\r\n\r\n",
    "a header too long": b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + MARKER * 900 + b"\r\n\r\n",
    "a broken chunked body": b"POST /form HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + MARKER + b"\r\n",
}


@pytest.mark.parametrize("case", MALFORMED)
async def test_a_malformed_request_gets_a_fixed_answer_that_quotes_nothing_of_it(port: int, case: str) -> None:
    """aiohttp's own 400 text quotes the offending bytes; a request path may hold a link secret, and an answer
    that echoes the request is a reflection for anyone who can make a browser send it."""
    status, headers, body = await send(port, MALFORMED[case])
    assert (status, body) == (400, "400: Bad Request")
    assert MARKER.decode() not in body and all(MARKER.decode() not in value for value in headers.values())
    assert headers["server"] == "kiwibot" and headers["x-frame-options"] == "DENY"
    assert headers["content-type"].startswith("text/plain")
