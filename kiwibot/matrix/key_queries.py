"""Asking the homeserver for a person's devices: "cannot tell now" is not "has no device with keys".

A keys query can fail as a whole (an error answer, e.g. a 502 while Synapse restarts) or for the person's own
homeserver only (their server in the answer's `failures`: unreachable over federation). Then nobody knows
whether the person can decrypt, and an encrypted direct chat must not be given up for an unencrypted one on
that guess: the chat waits and is asked again. But not forever: a person whose server keeps failing for
`give_up` seconds still gets their messages, in a chat opened unencrypted (switched to encryption once their
keys can be read: `direct_encryption.py`). Each distinct failure is warned about at most once an hour per
person; the rest goes to DEBUG.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

log = logging.getLogger(__name__)

GIVE_UP_SECONDS = 600.0  # a person's devices unknown this long: their direct chat is opened unencrypted
WARN_EVERY = 3600.0  # the same failure for the same person is warned about at most this often
REMEMBERED = 10_000  # people (and warnings) kept; the oldest is forgotten first


class Keys(Enum):
    """What a keys query told about a person."""

    READABLE = "has a device with published keys"
    NONE = "has no device with keys"
    UNKNOWN = "cannot tell now"


@dataclass
class _Streak:
    first: float
    last: float


class QueryFailures:
    """Since when a person's devices could not be asked, and which failures were warned about when."""

    def __init__(
        self,
        give_up: float = GIVE_UP_SECONDS,
        warn_every: float = WARN_EVERY,
        most: int = REMEMBERED,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.give_up = give_up
        self.warn_every = warn_every
        self.most = most
        self.clock = clock
        self._streaks: OrderedDict[str, _Streak] = OrderedDict()  # person → their current run of failures
        self._warned: OrderedDict[tuple[str, str], float] = OrderedDict()  # (person, failure) → when warned

    def failed(self, user_id: str, reason: str) -> None:
        """The person's devices could not be asked. A failure long after the last one starts a new run, so an
        old failure never makes a new one count as "failing for long"."""
        now = self.clock()
        streak = self._streaks.get(user_id)
        if streak is None or now - streak.last > self.give_up:
            streak = self._streaks[user_id] = _Streak(now, now)
        streak.last = now
        self._streaks.move_to_end(user_id)
        _trim(self._streaks, self.most)
        key = (user_id, reason)
        warned = self._warned.get(key)
        level = logging.WARNING if warned is None or now - warned >= self.warn_every else logging.DEBUG
        if level == logging.WARNING:
            self._warned[key] = now
            self._warned.move_to_end(key)
            _trim(self._warned, self.most)
        log.log(
            level,
            "cannot tell whether %s can decrypt: %s (failing for %.0f s; asked again later)",
            user_id,
            reason,
            now - streak.first,
        )

    def succeeded(self, user_id: str) -> None:
        """The person's devices were read: a later failure starts a new run."""
        self._streaks.pop(user_id, None)

    def failing_for(self, user_id: str) -> float:
        """Seconds from the first to the latest failure of the person's current run (0 without one)."""
        streak = self._streaks.get(user_id)
        return 0.0 if streak is None else streak.last - streak.first

    def given_up(self, user_id: str) -> bool:
        """The person's devices kept failing for `give_up` seconds: stop waiting for them."""
        return user_id in self._streaks and self.failing_for(user_id) >= self.give_up


def _trim(items: OrderedDict[str, _Streak] | OrderedDict[tuple[str, str], float], most: int) -> None:
    while len(items) > most:
        items.popitem(last=False)
