"""B2: a member reacts → the signup is committed in the bot's database, against the homeserver's floor.

The floor is a bare matrix-nio client (``bench.peer``, its own process, the bot's sync filter) that only
syncs and notes when it sees the same reaction. The member sends from a third process. All times are
CLOCK_MONOTONIC (system-wide), measured from the moment the member starts sending. One reaction at a time,
so every sample has both figures (interleaved by construction).

Where the difference comes from (#15, ``bench.probe``): when Synapse answered each client's /sync (the order
in which it serves waiting long-polls is its own), and what each client does from that answer to the commit
(the bot) or to the event in hand (the bare client). Run with encryption on (the default) and off.

Synapse wakes the long-polls waiting on a room one after the other, in the order of a set of its own that is
fixed for as long as the accounts' streams live and drawn anew for new accounts: one run puts either the bot or
the bare client first for every reaction, which moved the ratio by ±5 % between full runs (0.985 … 1.062) while
the bot's own cost stayed ~0.45 ms. So B2 runs in rounds, each with fresh accounts (a fresh draw of the order),
and pools the rounds; each round's ratio and wake-order difference is shown beside the pooled one.
"""

from __future__ import annotations

import asyncio
import random
import statistics

from bench.net import Network, Peer, reaction
from bench.probe import Probe
from bench.report import Row, ms, spread


def _median_ms(values: list[float]) -> str:
    return f"{ms(statistics.median(values) / 1000)} ms" if values else "–"


async def measure(net: Network, sessions: int, people: int, encryption: bool) -> dict[str, list[float]]:
    """Milliseconds per reaction in one round (fresh accounts): the bot, the bare client, the probe's steps."""
    community = await net.community("b2" if encryption else "b2-plain", members=people + 1)
    giver, members = community.members[0], community.members[1:]
    probe = Probe()
    overrides = {} if encryption else {"encryption": {"enabled": False}}
    app = await community.start_bot(prepare=probe.install, **overrides)
    watcher = sender = None
    found: dict[str, list[float]] = {k: [] for k in ("bot", "bare", "order", "bot after", "bare after", "nio", "own")}
    try:
        news = [(await community.offer(app, giver, f"Session {n}"))[1] for n in range(sessions)]
        watcher = await Peer.start(net.synapse.url, [members[0]], sync=True)
        sender = await Peer.start(net.synapse.url, members)
        await asyncio.sleep(1.5)  # the offers' debounced edits are out of the way
        for n, post in enumerate(news):
            for person in range(len(members)):
                sent = await sender.send(community.programme, "m.reaction", reaction(post), account=person)
                event_id = sent["event_id"]
                await community.wait_handled([event_id], within=30)
                await watcher.wait(lambda event_id=event_id: event_id in watcher.seen, within=30)
                handled, seen = community.handled[event_id], watcher.seen[event_id]
                found["bot"].append((handled - sent["t0"]) / 1e6)
                found["bare"].append((seen["t"] - sent["t0"]) / 1e6)
                carrier = probe.carrier(handled)
                if carrier is not None and carrier.answered and seen.get("answered"):
                    found["order"].append((carrier.answered - seen["answered"]) / 1e6)
                    found["bot after"].append((handled - carrier.answered) / 1e6)
                    found["bare after"].append((seen["t"] - seen["answered"]) / 1e6)
                    found["nio"].append(((carrier.returned or handled) - carrier.answered) / 1e6)
                    found["own"].append((handled - (carrier.returned or handled)) / 1e6)
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
    return found


async def rounds(
    net: Network, sessions: int, people: int, count: int, encryption: bool
) -> list[dict[str, list[float]]]:
    """Each round on fresh accounts, so each draws Synapse's wake order anew."""
    return [await measure(net, sessions, people, encryption) for _ in range(count)]


def pooled(each: list[dict[str, list[float]]]) -> dict[str, list[float]]:
    return {key: [v for one in each for v in one[key]] for key in each[0]}


def per_round(each: list[dict[str, list[float]]]) -> str:
    """Each round's ratio, with how much later (+) or earlier (−) Synapse answered the bot than the bare client."""
    return ", ".join(
        f"{statistics.median(one['bot']) / statistics.median(one['bare']):.3f} ({_median_ms(one['order'])})"
        for one in each
    )


async def run(net: Network, sessions: int, people: int, count: int) -> list[Row]:
    each = await rounds(net, sessions, people, count, encryption=True)
    plain_each = await rounds(net, sessions, people, count, encryption=False)
    found, plain = pooled(each), pooled(plain_each)
    bot_s = [v / 1000 for v in found["bot"]]
    bare_s = [v / 1000 for v in found["bare"]]
    ratio = statistics.median(bot_s) / statistics.median(bare_s)
    plain_ratio = statistics.median(plain["bot"]) / statistics.median(plain["bare"])
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
        Row(
            "B2",
            f"… each of the {count} rounds (fresh accounts, Synapse's wake order drawn anew): ratio (bot's /sync "
            "answered later than the bare client's by)",
            per_round(each),
        ),
        Row(
            "B2",
            "… of which: Synapse answered the bot's /sync later than the bare client's by (median)",
            _median_ms(found["order"]),
        ),
        Row(
            "B2",
            "… of which: Synapse's answer → committed in the bot / → in the bare client's hands (medians)",
            f"{_median_ms(found['bot after'])} / {_median_ms(found['bare after'])} (bot: body, JSON and nio "
            f"{_median_ms(found['nio'])}, its own handling {_median_ms(found['own'])})",
        ),
        Row(
            "B2",
            "… encryption off: bot median / bare median",
            f"{plain_ratio:.3f} (Synapse's answer → committed {_median_ms(plain['bot after'])}, nio "
            f"{_median_ms(plain['nio'])}; rounds: {per_round(plain_each)})",
        ),
    ]
