"""The benchmarks' own network: one local Synapse, throwaway accounts and rooms, the bot run in-process.

The bot runs in the benchmark's process through ``kiwibot.app.App`` so the moment an event's effects are
committed can be taken exactly (a wrapper around the adapter's per-event handler), without polling the
database. Members and the bare reference client run as ``bench.peer`` processes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nio import AsyncClient, AsyncClientConfig, JoinError, RoomCreateError
from nio.api import RoomPreset

from kiwibot.app import App
from kiwibot.config import parse_config
from kiwibot.devserver import LocalSynapse
from kiwibot.matrix.runs import BATCHED

log = logging.getLogger("bench")
Event = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Account:
    user_id: str
    token: str

    @property
    def arg(self) -> str:
        return f"{self.user_id}|{self.token}"


def reaction(news_event: str, key: str = "👍") -> Event:
    return {"m.relates_to": {"rel_type": "m.annotation", "event_id": news_event, "key": key}}


def text(body: str) -> Event:
    return {"msgtype": "m.text", "body": body}


class Peer:
    """A ``bench.peer`` process: sends on command, reports what it sent and saw with monotonic times."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.sent: dict[Any, Event] = {}
        self.seen: dict[str, Event] = {}
        self.replies: dict[str, Event] = {}
        self.errors: list[str] = []
        self.burst_done = 0
        self._changed = asyncio.Event()
        self._ready = asyncio.Event()
        self._tags = itertools.count()
        self._reader = asyncio.create_task(self._read(), name="bench-peer-reader")

    @classmethod
    async def start(
        cls, homeserver: str, accounts: Iterable[Account], *, sync: bool = False, echo: str | None = None
    ) -> Peer:
        args = [sys.executable, "-m", "bench.peer", homeserver]
        for account in accounts:
            args += ["--account", account.arg]
        if sync:
            args.append("--sync")
        if echo:
            args += ["--echo", echo]
        proc = await asyncio.create_subprocess_exec(
            *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        peer = cls(proc)
        async with asyncio.timeout(60):
            await peer._ready.wait()
        return peer

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        while line := await self.proc.stdout.readline():
            report = json.loads(line)
            kind = report["ev"]
            if kind == "ready":
                self._ready.set()
            elif kind == "sent":
                self.sent[report["id"]] = report
            elif kind == "seen":
                self.seen.setdefault(report["event_id"], report)
                if report.get("reply_to"):
                    self.replies.setdefault(report["reply_to"], report)
            elif kind == "burst_done":
                self.burst_done += 1
            elif kind == "error":
                self.errors.append(report["message"])
                log.warning("peer: %s", report["message"])
            self._changed.set()

    async def wait(self, condition: Callable[[], bool], within: float = 60) -> None:
        async with asyncio.timeout(within):
            while not condition():
                self._changed.clear()
                await self._changed.wait()

    def _command(self, command: Event) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(command) + "\n").encode())

    async def send(self, room: str, kind: str, content: Event, account: int = 0) -> Event:
        """Send one event; returns the report with its event id and the monotonic send start/end (ns)."""
        tag = next(self._tags)
        self._command({"op": "send", "id": tag, "account": account, "room": room, "type": kind, "content": content})
        await self.wait(lambda: tag in self.sent or bool(self.errors))
        if tag not in self.sent:
            raise RuntimeError(f"peer could not send: {self.errors[-1]}")
        return self.sent.pop(tag)

    async def burst(self, items: list[tuple[int, str, str, Event]], within: float = 600) -> list[Event]:
        """All items at once, each account in order; returns the send reports in item order."""
        self.sent.clear()
        done = self.burst_done
        self._command({"op": "burst", "items": [list(item) for item in items]})
        await self.wait(lambda: self.burst_done > done, within)
        if len(self.sent) != len(items):
            raise RuntimeError(f"burst: {len(self.sent)} of {len(items)} sent; errors: {self.errors[-3:]}")
        return [self.sent[i] for i in range(len(items))]

    async def close(self) -> None:
        if self.proc.returncode is None:
            self._command({"op": "quit"})
            try:
                async with asyncio.timeout(10):
                    await self.proc.wait()
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        self._reader.cancel()


@dataclass
class Community:
    """One benchmark's rooms and people: a host owning the rooms, the bot's account, members."""

    net: Network
    host: AsyncClient
    bot_id: str
    programme: str
    digest: str
    members: list[Account]
    dir: Path
    handled: dict[str, int] = field(default_factory=dict)  # event id → monotonic ns its effects were committed
    handled_changed: asyncio.Event = field(default_factory=asyncio.Event)
    handler_calls: Counter[str] = field(default_factory=Counter)  # how often the handler saw each event

    def config(self, **overrides: Any) -> Any:
        data: dict[str, Any] = {
            "homeserver": self.net.synapse.url,
            "user_id": self.bot_id,
            "password": "pw-bot",
            "database": str(self.dir / "kiwibot.db"),
            "rooms": {"programme": self.programme, "digest": self.digest},
            "limits": {"commands_per_minute": 1000, "open_offers_per_user": 1000},
            "log_level": "WARNING",
            "web": {"enabled": False},  # B7 switches it on, on a port of its own
            **overrides,
        }
        return parse_config(data, self.dir, {})

    async def start_bot(self, prepare: Callable[[App], None] | None = None, **overrides: Any) -> App:
        """The bot in this process; every handled event's commit time lands in `handled`."""
        app = App(self.config(**overrides))
        if prepare is not None:
            prepare(app)
        original = app.bot.sync.on_event

        async def timed(room_id: str, event: Event) -> None:
            await original(room_id, event)
            self.handler_calls[str(event.get("event_id"))] += 1
            self.handled[str(event.get("event_id"))] = time.monotonic_ns()
            self.handled_changed.set()

        app.bot.sync.on_event = timed  # type: ignore[method-assign]
        handle_events = app.bot.sync._handle_events

        async def committed(room_id: str, events: list[Event]) -> None:
            """Reactions and redactions share transactions (kiwibot.matrix.runs): each counts as committed when
            the batch of events is done, which is no earlier than its run's commit."""
            await handle_events(room_id, events)
            now = time.monotonic_ns()
            for event in events:
                if event.get("type") in BATCHED and str(event.get("event_id")) in self.handled:
                    self.handled[str(event.get("event_id"))] = now

        app.bot.sync._handle_events = committed  # type: ignore[method-assign]
        await app.start()
        return app

    async def wait_handled(self, event_ids: Iterable[str], within: float = 120) -> None:
        wanted = set(event_ids)
        async with asyncio.timeout(within):
            while not wanted <= self.handled.keys():
                self.handled_changed.clear()
                await self.handled_changed.wait()

    async def settled(self, app: App, within: float = 120) -> None:
        """Wait until the debounced edits are done and nothing waits in the outbox."""
        async with asyncio.timeout(within):
            while True:
                task = app.bot.posts._task
                if (task is None or task.done()) and not app.store.pending_outbox():
                    return
                await asyncio.sleep(0.2)

    async def offer(self, app: App, giver: Account, title: str, days_ahead: int = 3) -> tuple[int, str]:
        """A session offered with `!anbieten` as a member types it; returns (number, news post event id)."""
        client = self.net.client(giver)
        try:
            when = time.strftime("%d.%m.%Y 14:00", time.localtime(time.time() + days_ahead * 86400))
            body = f"!anbieten\nTitel: {title}\nTermin: {when}\nDauer: 60\nFormat: impuls\nBeschreibung: Benchmark"
            response = await client.room_send(self.programme, "m.room.message", text(body))
            event_id = response.event_id
        finally:
            await client.close()
        async with asyncio.timeout(60):
            while True:
                row = app.store.db.execute(
                    "SELECT id, news_event FROM sessions WHERE origin_event = ?", (event_id,)
                ).fetchone()
                if row and row[1]:
                    return int(row[0]), str(row[1])
                await asyncio.sleep(0.02)


class Network:
    """A local Synapse with relaxed rate limits, shared by the network benchmarks of one run."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.synapse = LocalSynapse(base / "synapse")

    async def start(self) -> None:
        await asyncio.to_thread(self.synapse.start)

    async def stop(self) -> None:
        await asyncio.to_thread(self.synapse.stop)

    async def account(self, name: str) -> Account:
        def make() -> Account:
            user_id = self.synapse.register(name, f"pw-{name}")
            token, _ = self.synapse.login_token(name, f"pw-{name}")
            return Account(user_id, token)

        return await asyncio.to_thread(make)

    def client(self, account: Account) -> AsyncClient:
        client = AsyncClient(self.synapse.url, account.user_id, config=AsyncClientConfig(max_limit_exceeded=0))
        # Not restore_login(): with nio's e2e extra installed it wants a device id and a crypto store.
        client.user_id, client.access_token = account.user_id, account.token
        return client

    async def community(self, name: str, members: int) -> Community:
        """Rooms as an administration would set them up; members join the (public) programme room."""
        tag = f"{name}-{uuid.uuid4().hex[:6]}"
        host_account = await self.account(f"host-{tag}")
        bot_id = await asyncio.to_thread(self.synapse.register, f"kiwibot-{tag}", "pw-bot")
        host = self.client(host_account)
        rooms = []
        for title, power in ((f"Programm {tag}", {bot_id: 50}), (f"Tagesprogramm {tag}", None)):
            override = {"users": power} if power else None
            response = await host.room_create(
                name=title, invite=[bot_id], preset=RoomPreset.public_chat, power_level_override=override
            )
            if isinstance(response, RoomCreateError):
                raise RuntimeError(response.message)
            rooms.append(response.room_id)
        accounts: list[Account] = []
        for start in range(0, members, 10):
            accounts += await asyncio.gather(
                *(self.account(f"m{i}-{tag}") for i in range(start, min(members, start + 10)))
            )

        async def join(account: Account) -> None:
            client = self.client(account)
            try:
                response = await client.join(rooms[0])
                if isinstance(response, JoinError):
                    raise RuntimeError(response.message)
            finally:
                await client.close()

        for start in range(0, len(accounts), 10):
            await asyncio.gather(*(join(a) for a in accounts[start : start + 10]))
        folder = self.base / tag
        folder.mkdir(parents=True)
        return Community(self, host, bot_id, rooms[0], rooms[1], accounts, folder)
