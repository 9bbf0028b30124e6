"""Slowing down whoever guesses secrets: wrong links from one address make that address wait.

A leaky bucket per address: each wrong secret adds one, the bucket drains by `free` per `window`. Up to `free`
misses cost nothing (a calendar with an old link polls once an hour); beyond that each request with a secret
from the address waits, doubling with every further miss up to `max_delay`, and only one waits at a time (the
others are refused at once), so guessing in parallel gains nothing. Pure: the caller passes the time.
"""

from __future__ import annotations

from dataclasses import dataclass

from cachetools import LRUCache


@dataclass(slots=True)
class _Bucket:
    level: float
    at: float
    waiting: bool = False


class Throttle:
    def __init__(self, free: int = 10, window: float = 600.0, base_delay: float = 0.5, max_delay: float = 30.0) -> None:
        self.free = free
        self.drain = free / window  # misses forgiven per second
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._buckets: LRUCache[str, _Bucket] = LRUCache(maxsize=10_000)

    def _level(self, address: str, now: float) -> _Bucket | None:
        bucket = self._buckets.get(address)
        if bucket is not None:
            bucket.level = max(0.0, bucket.level - (now - bucket.at) * self.drain)
            bucket.at = now
        return bucket

    def delay(self, address: str, now: float) -> float:
        """How long a request with a secret from `address` must wait before it is looked at (0: not at all)."""
        bucket = self._level(address, now)
        if bucket is None or bucket.level <= self.free:
            return 0.0
        return min(self.max_delay, self.base_delay * 2 ** (bucket.level - self.free - 1))

    def missed(self, address: str, now: float) -> None:
        """A wrong or malformed secret came from `address`."""
        bucket = self._level(address, now)
        if bucket is None:
            self._buckets[address] = _Bucket(1.0, now)
        else:
            bucket.level += 1

    def busy(self, address: str) -> bool:
        """Whether a request from `address` is already waiting out its delay."""
        bucket = self._buckets.get(address)
        return bucket is not None and bucket.waiting

    def hold(self, address: str, waiting: bool) -> None:
        bucket = self._buckets.get(address)
        if bucket is not None:
            bucket.waiting = waiting
