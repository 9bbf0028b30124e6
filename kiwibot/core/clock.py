"""Clocks: the real one, a fixed one for pure tests, and a shiftable one for running bots in tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SystemClock:
    """The real time, for the running bot."""

    def now(self) -> datetime:
        """Always aware UTC: a naive time would silently mean the host's zone."""
        return datetime.now(UTC)


class FixedClock:
    """Stands still until told otherwise: for pure unit tests."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment.astimezone(UTC)

    def now(self) -> datetime:
        """The moment given, until a test changes it."""
        return self.moment


class ShiftedClock:
    """Real time plus an offset that tests move, so a running bot sees time pass as usual.

    Listeners (the scheduler) are told when the offset jumps, since no timer notices that by itself.
    """

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset
        self.listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        """Real time moved by the offset, so timers keep running as usual."""
        return datetime.now(UTC) + self.offset

    def shift(self, delta: timedelta) -> None:
        """Jump ahead (or back) and tell the listeners, since no timer notices a jump by itself."""
        self.offset += delta
        for listener in list(self.listeners):
            listener()

    def set(self, moment: datetime) -> None:
        """Jump to a moment, for tests that think in dates rather than offsets."""
        self.shift(moment - self.now())
