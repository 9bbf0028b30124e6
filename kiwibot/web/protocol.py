"""How the web server meets a connection, before the application sees a request: the parser's limits, the
security headers on every answer (aiohttp's own ones too), and a plain answer to a malformed request that
quotes nothing of it. `server.py` runs the application with `Runner` and these limits."""

from __future__ import annotations

import logging
from functools import partial
from http import HTTPStatus
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestHandler

# Scripts and styles only from this server, no inline script, forms only back to it, never in a frame.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",  # unless a handler says otherwise
}


class _ClientFault(logging.Filter):
    """A malformed request (too long, not HTTP) is the client's fault, not a bug: one line at INFO without a
    traceback, and without the request's bytes (which could forge log lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            record.msg, record.args = "refused a malformed request: %s (%s)", (type(error).__name__, error.code)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


_protocol_log = logging.getLogger("kiwibot.web.http")
_protocol_log.addFilter(_ClientFault())
PARSER_LIMITS: dict[str, Any] = {
    "max_line_size": 4096,
    "max_field_size": 8190,
    "max_headers": 64,
    "keepalive_timeout": 75.0,
    "logger": _protocol_log,
}


def secure(response: web.StreamResponse) -> None:
    """The security headers (a handler's own Cache-Control stays), and no software version in `Server`."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Server"] = "kiwibot"


class _Request(web.Request):
    """Every request the server makes, also for a request aiohttp answers itself before the application sees it
    (400 for a malformed request line or headers too long or too many): such a request has no route, so the
    application's `on_response_prepare` is not asked, and only this hook gives its answer the security headers."""

    async def _prepare_hook(self, response: web.StreamResponse) -> None:
        await super()._prepare_hook(response)
        secure(response)


class _Handler(RequestHandler):
    """The connection's protocol. aiohttp's own answer to a malformed request quotes the offending bytes back
    ("Invalid method encountered: b'...'"): a reflection of whatever the client sent, request paths hold
    secrets, and a scanner learns the parser. This one answers with the status alone ("400: Bad Request")."""

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        return super().handle_error(request, status, exc, f"{status}: {HTTPStatus(status).phrase}")


class _Server(web.Server):
    """A server whose connections are `_Handler`s."""

    def __call__(self) -> RequestHandler:
        return _Handler(self, loop=self._loop, **self._kwargs)


class Runner(web.AppRunner):
    """An AppRunner whose server makes `_Request`s and answers malformed requests without quoting them."""

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.request_factory = partial(self.app._make_request, _cls=_Request)
        # aiohttp builds the Server itself (Application._make_handler); only its protocol factory changes.
        server.__class__ = _Server
        return server
