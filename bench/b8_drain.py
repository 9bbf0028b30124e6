"""B8: a full outbox drained — 1,000 answers queued (as after B4's backlog) sent at the homeserver's pace.

Members write 1,000 `!ping` into the programme room while the bot's sending is held back, so the answers
pile up in the outbox as they do after a catch-up (one conversation per member, 10 answers each). The
same 1,000 messages are first sent by a bare nio client (a member's account, into the same room) with 1, 4,
8, 16 and 32 sends at a time: its best rate is the floor the homeserver sets. Then the bot's sending is let
go and timed from then to the last row marked sent. Bot and bare client run back to back in this process.
Synapse slows down as the room grows (6,000 messages by the bot's turn; measured: the bare client's best width
is ~10 % slower right after the bot than before it), so the bare client's best width runs once more after the
bot, and the bot is compared with the mean of the two: the bare rate at the room's size during the bot's run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from nio import AsyncClient, RoomSendResponse

from bench.net import Community, Network, Peer, text
from bench.report import Row
from kiwibot.app import App
from kiwibot.storage import OutboxItem

CONCURRENCY = (1, 4, 8, 16, 32)


class Held:
    """The bot's outbox flushes wait until `go()`; then each row marked sent (or failed) is timed."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.open = asyncio.Event()
        self.open.set()
        self.marked: dict[int, int] = {}  # row id → monotonic ns it was marked
        self.failed = 0
        self.changed = asyncio.Event()
        outbox, store = app.bot.outbox, app.store
        flush_now, sent, failed = outbox._flush_now, store.outbox_sent, store.outbox_failed

        async def held_flush() -> None:
            await self.open.wait()
            await flush_now()

        def marked_sent(item_id: int, event_id: str) -> None:
            sent(item_id, event_id)
            self.marked[item_id] = time.monotonic_ns()
            self.changed.set()

        def marked_failed(item_id: int, error: str) -> None:
            failed(item_id, error)
            self.failed += 1
            self.marked[item_id] = time.monotonic_ns()
            self.changed.set()

        outbox._flush_now = held_flush  # type: ignore[method-assign]
        store.outbox_sent = marked_sent  # type: ignore[method-assign]
        store.outbox_failed = marked_failed  # type: ignore[method-assign]

    async def all_marked(self, ids: Sequence[int], within: float) -> None:
        async with asyncio.timeout(within):
            while not all(i in self.marked for i in ids):
                self.changed.clear()
                await self.changed.wait()


async def bare(client: AsyncClient, items: Sequence[OutboxItem], concurrency: int) -> tuple[float, int]:
    """A bare client sends the contents of `items` into their rooms, `concurrency` at a time: (seconds, errors)."""
    queue = list(reversed(items))
    errors = 0

    async def worker() -> None:
        nonlocal errors
        while queue:
            item = queue.pop()
            response = await client.room_send(item.room_id, item.event_type, item.content)
            if not isinstance(response, RoomSendResponse):
                errors += 1

    began = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.monotonic() - began, errors


async def queue_answers(community: Community, app: App, people: int, commands: int) -> None:
    """Members write `commands` `!ping` (each their share, in order, all at once); wait until all are handled."""
    sender = await Peer.start(community.net.synapse.url, community.members[:people])
    try:
        items = [(c % people, community.programme, "m.room.message", text("!ping")) for c in range(commands)]
        reports = await sender.burst(items)
    finally:
        await sender.close()
    await community.wait_handled([r["event_id"] for r in reports], within=600)


async def run(net: Network, people: int, commands: int, concurrency: Sequence[int] = CONCURRENCY) -> list[Row]:
    community = await net.community("b8", members=people)
    held: list[Held] = []
    app = await community.start_bot(prepare=lambda a: held.append(Held(a)))
    gate = held[0]
    bare_rates: dict[int, float] = {}
    try:
        await community.settled(app)
        gate.open.clear()
        await queue_answers(community, app, people, commands)
        items = app.store.pending_outbox(limit=commands * 2)
        client = net.client(community.members[0])
        errors = 0
        try:
            for width in concurrency:
                seconds, failed = await bare(client, items, width)
                bare_rates[width] = len(items) / seconds
                errors += failed
        finally:
            await client.close()
        began = time.monotonic_ns()
        gate.open.set()
        await gate.all_marked([i.id for i in items], within=600)
        seconds = (max(gate.marked[i.id] for i in items) - began) / 1e9
        pace = app.bot.outbox.pace
        limited, width = pace.limited, pace.widest
        # The room is 6,000 messages longer now than at the sweep, and Synapse slower for it: the bare client's
        # best width once more, so the bot is compared with the bare rate around its own run, not before it.
        best = max(bare_rates, key=lambda w: bare_rates[w])
        client = net.client(community.members[0])
        try:
            again, failed = await bare(client, items, best)
            errors += failed
        finally:
            await client.close()
    finally:
        await app.stop()
        await community.host.close()
    rate = len(items) / seconds
    sweep = " · ".join(f"{w} at once: {r:,.0f}/s" for w, r in bare_rates.items())
    after = len(items) / again
    floor = (bare_rates[best] + after) / 2
    ratio = rate / floor
    return [
        Row(
            "B8",
            f"{len(items):,} queued answers to {people} members drained (up to {width} conversations at once)",
            f"{seconds:.1f} s ({rate:,.0f}/s); refused {gate.failed}, rate-limit answers {limited}",
            "≥ 0.9 × best bare rate",
            ratio >= 0.9 and gate.failed == 0,
        ),
        Row("B8", "… a bare nio client sending the same messages into the same room", f"{sweep}; errors {errors}"),
        Row("B8", "… the bare client's best width again, right after the bot", f"{best} at once: {after:,.0f}/s"),
        Row(
            "B8",
            "… bot rate / best bare rate (the mean of before and after the bot)",
            f"{ratio:.2f} (best bare: {best} at once, {floor:,.0f}/s; before the bot alone: "
            f"{rate / bare_rates[best]:.2f})",
        ),
    ]
