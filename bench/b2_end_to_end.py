"""B2: a member reacts → the signup is committed in the bot's database, against the homeserver's floor.

The floor is a bare matrix-nio client (``bench.peer``, its own process, the bot's sync filter) that only
syncs and notes when it sees the same reaction. The member sends from a third process. All times are
CLOCK_MONOTONIC (system-wide), measured from the moment the member starts sending. One reaction at a time,
so every sample has both figures (interleaved by construction).
"""

from __future__ import annotations

import asyncio
import random
import statistics

from bench.net import Network, Peer, reaction
from bench.report import Row, spread


async def run(net: Network, sessions: int, people: int) -> list[Row]:
    community = await net.community("b2", members=people + 1)
    giver, members = community.members[0], community.members[1:]
    app = await community.start_bot()
    watcher = sender = None
    try:
        news = [(await community.offer(app, giver, f"Session {n}"))[1] for n in range(sessions)]
        watcher = await Peer.start(net.synapse.url, [members[0]], sync=True)
        sender = await Peer.start(net.synapse.url, members)
        await asyncio.sleep(1.5)  # the offers' debounced edits are out of the way
        bot_s: list[float] = []
        bare_s: list[float] = []
        for n, post in enumerate(news):
            for person in range(len(members)):
                sent = await sender.send(community.programme, "m.reaction", reaction(post), account=person)
                event_id = sent["event_id"]
                await community.wait_handled([event_id], within=30)
                await watcher.wait(lambda event_id=event_id: event_id in watcher.seen, within=30)
                bot_s.append((community.handled[event_id] - sent["t0"]) / 1e9)
                bare_s.append((watcher.seen[event_id]["t"] - sent["t0"]) / 1e9)
                await asyncio.sleep(random.uniform(0.0, 0.05))  # do not beat in step with anything periodic
            stored = len(app.store.attendees(n + 1))
            if stored != len(members):
                raise RuntimeError(f"B2: session {n + 1} has {stored} signups, expected {len(members)}")
    finally:
        for peer in (watcher, sender):
            if peer is not None:
                await peer.close()
        await app.stop()
        await community.host.close()
    ratio = statistics.median(bot_s) / statistics.median(bare_s)
    return [
        Row(
            "B2",
            f"member reacts → signup committed in the bot ({len(bot_s)} reactions)",
            spread(bot_s),
            "≤ 1.05 × bare client",
            ratio <= 1.05,
        ),
        Row("B2", "… the same reactions seen by a bare nio client (the floor)", spread(bare_s)),
        Row(
            "B2",
            "… bot median / bare median",
            f"{ratio:.3f} (bot − bare at the median: "
            f"{(statistics.median(bot_s) - statistics.median(bare_s)) * 1000:.1f} ms)",
        ),
    ]
