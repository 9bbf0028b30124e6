"""What an unreachable homeserver looks like, and how the bot waits for it: growing backoff, one line a try."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import ClientError

log = logging.getLogger(__name__)

NETWORK_ERRORS = (ClientError, OSError, TimeoutError, asyncio.TimeoutError)


class _ErrorAnswer(logging.Filter):
    """nio warns "Error validating response" for every error answer of the homeserver (a profile that does not
    exist, a forbidden request) before it turns it into an error response, which the bot handles and logs where
    it matters: that warning is demoted to DEBUG. A success answer of the wrong shape is still warned about."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and "should not be valid under {'required': ['errcode']}" in str(
            record.msg
        ):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


logging.getLogger("nio.responses").addFilter(_ErrorAnswer())


class Backoff:
    """Growing waits between retries (1 s, 2 s, 4 s … 60 s), reset after a success."""

    def __init__(self, first: float = 1.0, cap: float = 60.0) -> None:
        self.first, self.cap, self.attempt = first, cap, 0

    def next(self) -> float:
        self.attempt += 1
        return min(self.cap, self.first * 2.0 ** (self.attempt - 1))

    def reset(self) -> None:
        self.attempt = 0


async def retry(homeserver: str, what: str, step: Callable[[], Awaitable[None]]) -> None:
    """Run `step` until it gets through to the homeserver; other errors are not retried."""
    backoff = Backoff()
    while True:
        try:
            await step()
            return
        except NETWORK_ERRORS as exc:
            wait = backoff.next()
            log.warning(
                "homeserver %s unreachable while %s (%s); attempt %d, next try in %.0f s",
                homeserver,
                what,
                type(exc).__name__,
                backoff.attempt,
                wait,
            )
            await asyncio.sleep(wait)
