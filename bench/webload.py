"""Many calendar clients and browsers at once, in their own process: the load of B7.

Run by the benchmark (``python -m bench.webload``), never by people. It reads one JSON line on stdin (the
targets and how many clients for how long), answers ``ready`` once it has fetched each target once (to learn
its ETag, as a polling calendar client knows it), then waits for ``go``. During the run a ``probe <url>`` line
makes it fetch that URL once, unconditionally, and note the time (the programme feed right after a change).
It asks for gzip as calendar clients do but does not inflate what it gets (see `run`).
At the end it prints one JSON line: per kind of request the count, statuses and latencies. Its own process
keeps the clients' work off the bot's event loop and off the bare server's.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import sys
import time
from typing import Any

import aiohttp


def say(report: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()


async def fetch(session: aiohttp.ClientSession, url: str, etag: str | None) -> tuple[int, float, str | None]:
    headers = {"If-None-Match": etag} if etag else {}
    began = time.monotonic()
    async with session.get(url, headers=headers) as response:
        await response.read()
        return response.status, time.monotonic() - began, response.headers.get("ETag")


async def run(spec: dict[str, Any]) -> None:
    targets: list[dict[str, Any]] = spec["targets"]  # {"kind", "url", "conditional", "weight"}
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    # The bodies are read but not decompressed: a calendar client inflates the feed on its own machine, while
    # here it would share the benchmark host's two cores with the bot and the homeserver (inflating the 6.7 MB
    # programme feed costs ~10 ms, a whole core at a few hundred fetches a second) and slow what B7 measures.
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, auto_decompress=False) as session:
        etags: dict[str, str | None] = {}
        for target in targets:
            if target["url"] not in etags:
                etags[target["url"]] = (await fetch(session, target["url"], None))[2]
        say({"ev": "ready"})
        loop = asyncio.get_running_loop()
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if line.strip() != "go":
            return
        samples: dict[str, list[float]] = {}
        statuses: dict[str, dict[int, int]] = {}
        errors = 0
        deadline = time.monotonic() + float(spec["seconds"])
        weighted = [t for t in targets for _ in range(int(t.get("weight", 1)))]
        probes: list[float] = []

        async def client(seed: int) -> None:
            nonlocal errors
            choose = random.Random(seed)
            for _ in itertools.count():
                if time.monotonic() >= deadline:
                    return
                target = choose.choice(weighted)
                etag = etags.get(target["url"]) if target.get("conditional") else None
                try:
                    status, seconds, new_etag = await fetch(session, target["url"], etag)
                except (aiohttp.ClientError, TimeoutError):
                    errors += 1
                    continue
                if etag and status == 200:
                    etags[target["url"]] = new_etag  # as a calendar client keeps the newest
                kind = target["kind"] + (" (conditional)" if etag else "")
                samples.setdefault(kind, []).append(seconds)
                counts = statuses.setdefault(kind, {})
                counts[status] = counts.get(status, 0) + 1

        async def listen() -> None:
            while time.monotonic() < deadline:
                line = await loop.run_in_executor(None, sys.stdin.readline)
                if line.startswith("probe "):
                    status, seconds, _ = await fetch(session, line.split(" ", 1)[1].strip(), None)
                    probes.append(seconds if status == 200 else -1.0)
                    say({"ev": "probed", "seconds": seconds, "status": status})
                elif not line:
                    return

        began = time.monotonic()
        listener = asyncio.create_task(listen())
        await asyncio.gather(*(client(n) for n in range(int(spec["clients"]))))
        elapsed = time.monotonic() - began
        listener.cancel()
        say(
            {
                "ev": "done",
                "elapsed": elapsed,
                "errors": errors,
                "samples": samples,
                "statuses": {k: {str(s): n for s, n in v.items()} for k, v in statuses.items()},
                "probes": probes,
            }
        )


def main() -> None:
    # The calendar clients and browsers run on other machines in real use. Here they share the benchmark host's
    # two cores with the homeserver and the bot: at the lowest priority they only take what those two leave, so
    # B7 measures what the web side costs the bot, not what the load generator costs the host (#15).
    # SCHED_IDLE, not only nice 19: the scheduler lets a nice-19 task finish its time slice (about a millisecond)
    # before a waking homeserver or bot gets the core, and a reaction's path wakes them several times over; a
    # task of the idle class gives the core up at once.
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):  # not Linux: the lowest priority is the next best thing
        os.nice(19)
    spec = json.loads(sys.stdin.readline())
    asyncio.run(run(spec))


if __name__ == "__main__":
    main()
