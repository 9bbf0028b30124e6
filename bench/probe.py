"""Where the bot's time goes between the homeserver's answer to /sync and the commit (#15).

Installed on a bot before it starts (``Probe.install`` as `prepare`), it stamps, with CLOCK_MONOTONIC like
the rest of the benchmarks: every HTTP request of the client (start, headers in), the body read and parsed,
nio's own processing of a sync response (``receive_response``), the return of ``client.sync``, and the
sync loop's steps after the handler (position saved, key upkeep). For an event handled at a known time,
``split`` names the sync that carried it and cuts the time since the member sent it into those steps.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from nio import SyncResponse

from kiwibot.app import App


@dataclass
class SyncStamps:
    sent: int  # the request left
    answered: int = 0  # status and headers in: Synapse has answered
    parsed: int = 0  # body read and JSON parsed
    nio_began: int = 0  # nio's SyncResponse built (from_dict, schema check): its own processing starts
    nio_done: int = 0
    returned: int = 0  # client.sync returned to the sync loop
    long_poll: bool = True  # timeout > 0


@dataclass
class Probe:
    syncs: list[SyncStamps] = field(default_factory=list)
    requests: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, start, headers in), not /sync
    upkeep: list[tuple[int, int]] = field(default_factory=list)

    def install(self, app: App) -> None:
        client = app.bot.client
        send, parse, receive, sync = client.send, client.parse_body, client.receive_response, client.sync
        current: list[SyncStamps | None] = [None]

        async def timed_send(method: str, path: str, *args: Any, **kwargs: Any) -> Any:
            began = time.monotonic_ns()
            is_sync = "/sync" in path.split("?")[0]
            if is_sync:
                current[0] = SyncStamps(began, long_poll="timeout=" in path and "timeout=0" not in path)
                self.syncs.append(current[0])
            try:
                return await send(method, path, *args, **kwargs)
            finally:
                now = time.monotonic_ns()
                if is_sync and current[0] is not None:
                    current[0].answered = now
                elif not is_sync:
                    self.requests.append((_kind(path), began, now))

        async def timed_parse(response: Any) -> Any:
            try:
                return await parse(response)
            finally:
                if current[0] is not None and not current[0].parsed and current[0].answered:
                    current[0].parsed = time.monotonic_ns()

        async def timed_receive(response: Any) -> None:
            stamps = current[0] if isinstance(response, SyncResponse) else None
            if stamps is not None:
                stamps.nio_began = time.monotonic_ns()
            try:
                await receive(response)
            finally:
                if stamps is not None:
                    stamps.nio_done = time.monotonic_ns()

        async def timed_sync(*args: Any, **kwargs: Any) -> Any:
            try:
                return await sync(*args, **kwargs)
            finally:
                if current[0] is not None:
                    current[0].returned = time.monotonic_ns()
                    current[0] = None

        client.send = timed_send  # type: ignore[method-assign]
        client.parse_body = timed_parse  # type: ignore[method-assign]
        client.receive_response = timed_receive  # type: ignore[method-assign]
        client.sync = timed_sync  # type: ignore[method-assign]
        crypto = app.bot.crypto
        upkeep = crypto.upkeep

        async def timed_upkeep() -> None:
            began = time.monotonic_ns()
            try:
                await upkeep()
            finally:
                self.upkeep.append((began, time.monotonic_ns()))

        crypto.upkeep = timed_upkeep  # type: ignore[method-assign]

    def carrier(self, handled: int) -> SyncStamps | None:
        """The sync whose batch held an event committed at `handled`: the last one returned before it."""
        done = [s for s in self.syncs if s.returned and s.returned <= handled]
        return done[-1] if done else None

    def split(self, sent: int, handled: int) -> dict[str, float] | None:
        """Milliseconds per step from the member's send (`sent`) to the commit (`handled`)."""
        s = self.carrier(handled)
        if s is None or not s.answered:
            return None
        before = [p for p in self.syncs if p.returned and p.returned <= s.sent]
        previous = before[-1] if before else None
        between = [k for k, start, _ in self.requests if previous and previous.returned <= start <= s.sent]
        return {
            "until Synapse answered the sync": (s.answered - sent) / 1e6,
            "body read + JSON parsed": ((s.parsed or s.answered) - s.answered) / 1e6,
            "nio's SyncResponse built (from_dict)": ((s.nio_began or s.parsed) - (s.parsed or s.answered)) / 1e6,
            "nio's processing (receive_response)": (s.nio_done - s.nio_began) / 1e6 if s.nio_began else 0.0,
            "sync returned → committed": (handled - s.returned) / 1e6,
            "sync sent after the member's send": float(s.sent > sent),
            "gap before that sync (previous returned → sent)": (s.sent - previous.returned) / 1e6 if previous else 0.0,
            "requests in that gap": float(len(between)),
        }

    def request_counts(self) -> Counter[str]:
        return Counter(kind for kind, _, _ in self.requests)


def _kind(path: str) -> str:
    bare = path.split("?")[0]
    for name in ("keys/upload", "keys/query", "keys/claim", "sendToDevice", "/send/", "/messages", "/relations"):
        if name in bare:
            return name.strip("/")
    return bare.rsplit("/", 1)[-1] or bare


def summary(splits: list[dict[str, float]]) -> list[tuple[str, str]]:
    """Median of each step over the samples (the flags as shares)."""
    rows: list[tuple[str, str]] = []
    for key in splits[0] if splits else ():
        values = [s[key] for s in splits]
        if key == "sync sent after the member's send":
            rows.append((key, f"{sum(values) / len(values):.0%} of samples"))
        elif key == "requests in that gap":
            rows.append((key, f"mean {statistics.mean(values):.2f}"))
        else:
            rows.append((key, f"median {statistics.median(values):.2f} ms · mean {statistics.mean(values):.2f}"))
    return rows
