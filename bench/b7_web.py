"""B7: the web side must not slow the bot. Calendar clients and browsers hammer it while members react.

10,000 upcoming sessions are in the database. First the reaction → signup committed time is taken with no web
load (one reaction at a time, as in B2, at the same pace as under load: before #15 the unloaded reactions came
0.05–0.1 s apart and the loaded ones 0.4–0.75 s apart, so the two medians were not taken alike); half of these
reactions come before the load and half after it, so that drift over the run (the homeserver warming up, the
room growing) falls on both sides alike: with all of them first, the ratio moved 1.15–1.40 between runs. Then
``bench.webload`` (its own process) runs many clients for 30 s: programme feeds (mostly conditional, as
calendar clients poll: 304), personal feeds, session files and, once the programme page exists, the page; the
same reactions are timed meanwhile, and every few seconds a session is changed and the programme feed fetched
at once (it must be rebuilt: < 200 ms). Last, the same load runs against a bare aiohttp server in this process
that serves the same bytes from memory: the ratio of the two says what the bot's own work costs. The reactions
are timed once more meanwhile: the bare server shares the bot's process and event loop, so that is the floor
of any web side in this loop on this host.

While the reactions are timed, a probe measures the event loop's lag (how late a 5 ms sleep wakes up): the
delay any sync response meets before the bot gets to it. ``KIWIBOT_B7_PROFILE=file`` writes a cProfile of the
bot's process during the loaded phase (``python -m pstats file``) to see where the loop's time goes.
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import json
import os
import random
import socket
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bench.net import Community, Network, Peer, reaction
from bench.probe import Probe
from bench.report import Row, ms, quantile, spread
from kiwibot.web.server import FEEDS

MEMBERS = 500  # the people whose signups fill the personal feeds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fill(path: Path, sessions: int, givers: list[str], server: str) -> None:
    """Upcoming sessions over the next year, three signups each, with bulk SQL through the store's schema.

    No news posts: a bot starting with 10,000 posts to check would spend the benchmark editing them. Givers are
    the community's real accounts and the signed-up people ids on the same homeserver: people of another server
    would make the homeserver try federation for every name the pages show, load real givers do not cause.
    """
    from kiwibot.storage import Store
    from kiwibot.storage.times import iso

    store = Store.open(path)
    now = datetime.now(UTC).replace(microsecond=0)
    soon = int((now + timedelta(hours=2)).timestamp())
    step = (365 * 86400) // max(1, sessions)
    db = store.db.conn
    db.execute("BEGIN")
    db.execute("CREATE TEMP TABLE givers (n INTEGER PRIMARY KEY, id TEXT)")
    db.executemany("INSERT INTO givers VALUES (?, ?)", enumerate(givers))
    db.execute(
        """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
           INSERT INTO sessions (giver, title, starts_at, ends_at, duration, format, description, link, seats,
                                 created_at, updated_at)
           SELECT (SELECT id FROM givers WHERE n = i % ?), 'Session ' || i || ': E-Akte, Verwaltung digital',
                  strftime('%Y-%m-%dT%H:%M:%S.000000Z', ? + (i - 1) * ?, 'unixepoch'),
                  strftime('%Y-%m-%dT%H:%M:%S.000000Z', ? + (i - 1) * ? + 3600, 'unixepoch'),
                  60, 'talk', 'Worum es geht: eine Beschreibung von mittlerer Länge für den Benchmark.',
                  'https://meet.example.org/kiwi/' || i, CASE WHEN i % 3 = 0 THEN 12 END, ?, ? FROM n""",
        (sessions, len(givers), soon, step, soon, step, iso(now), iso(now)),
    )
    db.execute(
        """INSERT INTO signups (session_id, user_id, seq, signed_up_at)
           SELECT s.id, '@member' || ((s.id * 7 + k.j * 13) % ?) || ':' || ?, k.j + 1, s.created_at
           FROM sessions s, (SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2) AS k""",
        (MEMBERS, server),
    )
    db.execute("DROP TABLE givers")
    db.execute("COMMIT")
    store.close()


class Load:
    """A ``bench.webload`` process."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.result: dict[str, Any] = {}

    @classmethod
    async def start(cls, targets: list[dict[str, Any]], clients: int, seconds: float) -> Load:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.webload",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 26,  # the last line holds every sample
        )
        load = cls(proc)
        load._say(json.dumps({"targets": targets, "clients": clients, "seconds": seconds}))
        assert proc.stdout is not None
        async with asyncio.timeout(120):
            ready = json.loads(await proc.stdout.readline())
        if ready.get("ev") != "ready":
            raise RuntimeError(f"B7: the load did not start: {ready}")
        return load

    def _say(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())

    def go(self) -> None:
        self._say("go")

    def probe(self, url: str) -> None:
        self._say(f"probe {url}")

    async def finish(self) -> dict[str, Any]:
        assert self.proc.stdout is not None and self.proc.stdin is not None
        async with asyncio.timeout(180):
            while line := await self.proc.stdout.readline():
                report = json.loads(line)
                if report["ev"] == "done":
                    self.result = report
                    break
        self.proc.stdin.close()
        async with asyncio.timeout(30):
            await self.proc.wait()
        return self.result


def _count(result: dict[str, Any]) -> int:
    return sum(len(v) for v in result["samples"].values())


def _all_latencies(result: dict[str, Any]) -> list[float]:
    return [s for v in result["samples"].values() for s in v]


async def _reactions(
    community: Community,
    sender: Peer,
    posts: list[str],
    people: range,
    gap: float,
    probe: Probe | None = None,
    steps: list[dict[str, float]] | None = None,
) -> list[float]:
    """One reaction at a time, each from another member; seconds from sending to the signup committed (and, with
    a probe, where that time went, into `steps`)."""
    samples = []
    for person in people:
        post = posts[person % len(posts)]
        sent = await sender.send(community.programme, "m.reaction", reaction(post), account=person)
        await community.wait_handled([sent["event_id"]], within=60)
        handled = community.handled[sent["event_id"]]
        samples.append((handled - sent["t0"]) / 1e9)
        split = probe.split(sent["t0"], handled) if probe is not None else None
        if split is not None and steps is not None:
            steps.append(split)
        await asyncio.sleep(random.uniform(gap / 2, gap))
    return samples


def _step(steps: list[dict[str, float]], key: str) -> str:
    values = [s[key] for s in steps]
    return f"{statistics.median(values):.2f}" if values else "–"


class LoopLag:
    """How late the event loop wakes a task that sleeps `period`: what a sync response waits before it is read."""

    def __init__(self, period: float = 0.005) -> None:
        self.period = period
        self.samples: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _probe(self) -> None:
        while True:
            began = time.monotonic()
            await asyncio.sleep(self.period)
            self.samples.append(max(0.0, time.monotonic() - began - self.period))

    def __enter__(self) -> LoopLag:
        self._task = asyncio.create_task(self._probe())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()


@contextlib.contextmanager
def _slow_steps() -> Any:
    """With KIWIBOT_B7_SLOW set: every loop step (callback) that took over 5 ms of CPU while the block runs,
    printed at its end by what ran (a web route, a task's coroutine or a callback): the work that holds the loop."""
    if not os.environ.get("KIWIBOT_B7_SLOW"):
        yield
        return
    original = asyncio.events.Handle._run
    slow: dict[str, list[float]] = {}

    def timed(handle: asyncio.events.Handle) -> None:
        callback = handle._callback  # type: ignore[attr-defined]
        owner = getattr(callback, "__self__", None)
        coro = owner.get_coro() if isinstance(owner, asyncio.Task) else None
        frame = getattr(coro, "cr_frame", None)
        request = frame.f_locals.get("request") if frame is not None else None
        began = time.thread_time()  # CPU time of the loop's thread: a step the OS paused is not "slow"
        original(handle)
        spent = time.thread_time() - began
        if spent > 0.005:
            what = repr(coro) if coro is not None else repr(callback)
            if request is not None:  # a web request: by route, the secret left out
                what = f"web {request.method} /{request.path.split('/')[1]}/…{request.path.rsplit('/', 1)[-1][-14:]}"
            slow.setdefault(what.split(" at ")[0][:150], []).append(spent)

    asyncio.events.Handle._run = timed  # type: ignore[method-assign]
    try:
        yield
    finally:
        asyncio.events.Handle._run = original  # type: ignore[method-assign]
        for what, spans in sorted(slow.items(), key=lambda item: -sum(item[1])):
            print(f"slow steps: {len(spans):5d}× max {max(spans) * 1000:6.1f} ms sum {sum(spans):6.2f} s  {what}")


@contextlib.contextmanager
def _profiled() -> Any:
    """cProfile of this process (the bot's) while the block runs, if KIWIBOT_B7_PROFILE names a file."""
    target = os.environ.get("KIWIBOT_B7_PROFILE")
    if not target:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile.dump_stats(target)


async def _bare_server(bodies: dict[str, tuple[bytes, str, dict[str, str]]]) -> tuple[web.AppRunner, int]:
    """aiohttp serving the same bytes from memory, with the same ETag answers: the floor."""

    async def serve(request: web.Request) -> web.Response:
        data, etag, headers = bodies[request.path]
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=data, headers={**headers, "ETag": etag})

    app = web.Application()
    app.router.add_get("/{tail:.*}", serve)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


async def run(net: Network, sessions: int, clients: int, seconds: float, reactions: int) -> list[Row]:
    import aiohttp

    community = await net.community("b7", members=3 * reactions + 1)
    giver = community.members[0]
    server = giver.user_id.split(":", 1)[1]
    fill(community.dir / "kiwibot.db", sessions, [m.user_id for m in community.members], server)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    probe = Probe()
    app = await community.start_bot(web={"listen": f"127.0.0.1:{port}", "base_url": base}, prepare=probe.install)
    quiet_steps: list[dict[str, float]] = []
    busy_steps: list[dict[str, float]] = []
    sender = load = bare = None
    rebuilt: list[float] = []
    try:
        assert app.calendars is not None and app.web is not None
        calendars = app.calendars
        posts = [(await community.offer(app, giver, f"B7 {n}", days_ahead=3 + n))[1] for n in range(3)]
        secrets = [calendars.issue(f"@member{n}:{server}", renew=False) for n in range(min(50, MEMBERS))]
        links = calendars.links
        assert links is not None
        ids = [row[0] for row in app.store.db.execute("SELECT calendar_id FROM sessions LIMIT 200").fetchall()]
        targets: list[dict[str, Any]] = []
        for secret in secrets:
            targets += [
                {"kind": "programme feed", "url": links.programme_feed(secret), "conditional": True, "weight": 3},
                {"kind": "personal feed", "url": links.feed(secret), "conditional": True, "weight": 2},
                {"kind": "personal feed", "url": links.feed(secret), "conditional": False, "weight": 1},
            ]
        targets.append({"kind": "programme feed", "url": links.programme_feed(secrets[0]), "weight": 10})
        targets += [{"kind": "session file", "url": links.session_file(i), "weight": 1} for i in ids[:50]]
        async with aiohttp.ClientSession() as session, session.get(links.page(secrets[0])) as response:
            page_served = response.status == 200
        if page_served:
            targets += [{"kind": "programme page", "url": links.page(s), "weight": 2} for s in secrets]

        feeds = app.web.app[FEEDS]
        original = feeds.programme

        async def timed(language: str) -> Any:
            before = feeds._programme.get(language)
            began = time.monotonic()
            body = await original(language)
            if feeds._programme.get(language) is not before:  # this call built it (again)
                rebuilt.append(time.monotonic() - began)
            return body

        feeds.programme = timed  # type: ignore[method-assign]
        await feeds.programme(app.config.language)  # warm, as the bot does at start
        rebuilt.clear()

        sender = await Peer.start(net.synapse.url, community.members[1:])
        await community.settled(app)
        half = reactions // 2
        with LoopLag() as quiet_lag:
            unloaded_before = await _reactions(
                community, sender, posts, range(half), seconds / reactions, probe, quiet_steps
            )

        load = await Load.start(targets, clients, seconds)
        load.go()
        began, cpu_began = time.monotonic(), time.process_time()
        changes = 0
        upcoming = [s.session_id for s in calendars.programme().stamps]

        async def change_now_and_then() -> None:
            nonlocal changes
            while time.monotonic() - began < seconds - 2:
                await asyncio.sleep(max(1.0, seconds / 10))
                session_id = random.choice(upcoming)
                app.store.update_session(session_id, app.clock.now(), title=f"Geändert {changes}")
                changes += 1
                load.probe(links.programme_feed(secrets[1]))

        with _profiled(), _slow_steps(), LoopLag() as busy_lag:
            changer = asyncio.create_task(change_now_and_then())
            loaded = await _reactions(
                community, sender, posts, range(reactions, 2 * reactions), seconds / reactions, probe, busy_steps
            )
            await changer
            bot = await load.finish()
        cpu = (time.process_time() - cpu_began) / (time.monotonic() - began)  # cores used by the bot's process
        # The other half of the unloaded reactions after the load: the two medians are compared across the same
        # stretch of the run (the homeserver's caches, the room's growth), as B8 brackets the bot's drain.
        with LoopLag() as quiet_after:
            unloaded_after = await _reactions(
                community, sender, posts, range(half, reactions), seconds / reactions, probe, quiet_steps
            )
        quiet_lag.samples += quiet_after.samples
        unloaded = unloaded_before + unloaded_after

        bodies: dict[str, tuple[bytes, str, dict[str, str]]] = {}
        async with aiohttp.ClientSession(auto_decompress=False) as session:
            for target in targets:
                async with session.get(target["url"], headers={"Accept-Encoding": "gzip"}) as response:
                    keep = {k: v for k, v in response.headers.items() if k in ("Content-Type", "Content-Encoding")}
                    bodies[response.url.path] = (await response.read(), response.headers.get("ETag", ""), keep)
        runner, bare_port = await _bare_server(bodies)
        try:
            bare_targets = [{**t, "url": t["url"].replace(base, f"http://127.0.0.1:{bare_port}")} for t in targets]
            bare = await Load.start(bare_targets, clients, seconds)
            bare.go()
            # The same reactions while the bare server, in the bot's process and event loop, takes the load:
            # what any web side in this loop on this host costs the bot at least (the clients' and the
            # homeserver's share of the two cores included).
            with LoopLag() as bare_lag:
                beside_bare = await _reactions(
                    community, sender, posts, range(2 * reactions, 3 * reactions), seconds / reactions
                )
                floor = await bare.finish()
        finally:
            await runner.cleanup()
    finally:
        if sender is not None:
            await sender.close()
        await app.stop()
        await community.host.close()

    ratio = statistics.median(loaded) / statistics.median(unloaded)
    bot_rps, bare_rps = _count(bot) / bot["elapsed"], _count(floor) / floor["elapsed"]
    probes = [p for p in bot["probes"] if p >= 0]
    rows = [
        Row(
            "B7",
            f"reaction → signup committed, {clients} web clients busy ({len(loaded)} reactions, "
            f"{sessions:,} upcoming sessions)",
            spread(loaded),
            "≤ 1.2 × unloaded median",
            ratio <= 1.2,
        ),
        Row(
            "B7",
            "… the same with no web load (half before the load, half after: medians "
            f"{ms(statistics.median(unloaded_before))} / {ms(statistics.median(unloaded_after))} ms)",
            spread(unloaded),
        ),
        Row("B7", "… loaded median / unloaded median", f"{ratio:.3f}"),
        Row(
            "B7",
            "… where the time went (medians, ms, no load / under load): member sent → Synapse answered the bot's "
            "/sync; answer → body parsed; nio's own processing; sync returned → committed",
            " · ".join(
                f"{_step(quiet_steps, key)} / {_step(busy_steps, key)}"
                for key in (
                    "until Synapse answered the sync",
                    "body read + JSON parsed",
                    "nio's processing (receive_response)",
                    "sync returned → committed",
                )
            ),
        ),
        Row("B7", "… event loop lag (a 5 ms sleep wakes late by) under load", spread(busy_lag.samples)),
        Row("B7", "… event loop lag with no web load", spread(quiet_lag.samples)),
        Row(
            "B7",
            "… the same while the bare aiohttp server below takes the load in the bot's loop (the floor)",
            f"{spread(beside_bare)} · ratio {statistics.median(beside_bare) / statistics.median(unloaded):.3f} · "
            f"loop lag median {ms(statistics.median(bare_lag.samples))} ms",
        ),
        Row(
            "B7",
            f"programme feed rebuilt after a change, in the bot ({len(rebuilt)} rebuilds)",
            spread(rebuilt),
            "< 200 ms",
            bool(rebuilt) and max(rebuilt) < 0.2,
        ),
        Row(
            "B7",
            f"… fetched right after a change, under load ({len(probes)} of {changes} changes)",
            spread(probes),
        ),
    ]
    for kind in sorted(bot["samples"]):
        values = bot["samples"][kind]
        statuses = ", ".join(f"{n}× {s}" for s, n in sorted(bot["statuses"][kind].items()))
        rows.append(Row("B7", f"… {kind} under load ({statuses})", spread(values)))
    rows += [
        Row(
            "B7",
            f"web requests answered by the bot ({clients} clients, {seconds:.0f} s"
            f"{', page included' if page_served else ', no programme page yet'})",
            f"{bot_rps:,.0f}/s · p50 {ms(quantile(_all_latencies(bot), 0.5))} ms · "
            f"p99 {ms(quantile(_all_latencies(bot), 0.99))} ms · errors {bot['errors']}",
        ),
        Row(
            "B7",
            "… bare aiohttp serving the same bytes from memory",
            f"{bare_rps:,.0f}/s · p50 {ms(quantile(_all_latencies(floor), 0.5))} ms · "
            f"p99 {ms(quantile(_all_latencies(floor), 0.99))} ms",
        ),
        Row("B7", "… bot requests/s ÷ bare requests/s", f"{bot_rps / bare_rps:.2f}"),
        Row(
            "B7",
            "… CPU of the bot's process under load (its sync and the web side, threads included)",
            f"{cpu:.0%} of a core · {cpu / bot_rps * 1e6:,.0f} µs per web request",
        ),
    ]
    return rows
