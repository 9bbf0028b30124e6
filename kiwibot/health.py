"""`kiwibot health`: is the bot syncing? The container's HEALTHCHECK asks this beside the running bot.

A live process says little: a bot whose homeserver is unreachable, whose token was refused or whose database
cannot be written keeps running and retrying. So the sync loop records the wall time of its last successful sync
(the heartbeat, every few seconds at most) and this check fails once it is older than a few
long-poll periods, or older than the running bot's process (a heartbeat left by the previous run).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from kiwibot.config import Config
from kiwibot.core.errors import StorageUnavailable
from kiwibot.storage.peek import HEARTBEAT_KEY, lock_holder, peek_meta

STALE_AFTER = 120.0  # seconds: an idle sync returns every 30 s, so this is four long-polls without success


@dataclass(frozen=True, slots=True)
class Health:
    ok: bool
    text: str


def judge(heartbeat_ms: str | None, now: float, started: float | None = None) -> Health:
    """Healthy when the last successful sync (ms since the epoch, as stored) is at most `STALE_AFTER` old and
    comes from the running bot, i.e. is newer than its start (`started`, epoch seconds; None: unknown)."""
    if heartbeat_ms is None:
        return Health(False, "not syncing yet: no successful sync recorded")
    try:
        synced = int(heartbeat_ms) / 1000
    except ValueError:
        return Health(False, f"not syncing: the recorded last sync {heartbeat_ms!r} is no time")
    if started is not None and synced < started:
        return Health(False, f"not syncing yet: no successful sync since the start {now - started:.0f} s ago")
    age = now - synced
    if age > STALE_AFTER:
        return Health(False, f"not syncing: the last successful sync was {age:.0f} s ago (limit {STALE_AFTER:.0f} s)")
    return Health(True, f"syncing: the last successful sync was {max(age, 0):.0f} s ago")


def process_start(pid: int, proc: Path = Path("/proc")) -> float | None:
    """When process `pid` started (epoch seconds), from /proc; None when there is no such process."""
    try:
        stat = (proc / str(pid) / "stat").read_text()
        boot = next(float(line.split()[1]) for line in (proc / "stat").read_text().splitlines() if line[:6] == "btime ")
    except (OSError, StopIteration):
        return None
    ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, starttime; counted after the (command name)
    return boot + ticks / os.sysconf("SC_CLK_TCK")


def health(config: Config, now: float | None = None, proc: Path = Path("/proc")) -> Health:
    """The bot's health read beside it: its database (read-only), its lock file and its process in /proc.

    The lock file names the bot's pid; a heartbeat older than that process is the previous run's. Without /proc
    (not Linux) only the heartbeat's age counts.
    """
    started = None
    if (proc / "self").exists():
        pid = lock_holder(config.database)
        started = None if pid is None else process_start(pid, proc)
        if started is None:
            return Health(False, f"not running: no kiwibot process holds the lock on {config.database}")
    try:
        heartbeat = peek_meta(config.database, HEARTBEAT_KEY)
    except StorageUnavailable as exc:
        return Health(False, f"not healthy: {exc}")
    return judge(heartbeat, time.time() if now is None else now, started)
