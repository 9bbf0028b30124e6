"""B6: a command's round trip as its sender sees it, against a bare client that answers with no work.

The member (``bench.peer`` with sync, its own process) sends `!ping` or a valid `!anbieten` to the bot and
"ping" to an echo client (another ``bench.peer``) in a room of its own, alternately, and notes when the
reply shows up in its own sync. The echo round trip is two homeserver hops and nothing else, so the
difference at the median is what the bot adds. An offer's answer goes out before its news post and is
edited to link it once the post is out (#15): the figure is the answer, as the member first sees it.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

from nio import RoomCreateError
from nio.api import RoomPreset

from bench.net import Network, Peer, text
from bench.report import Row, ms, spread
from kiwibot.app import App


def offer_text(n: int) -> str:
    when = time.strftime("%d.%m.%Y 10:00", time.localtime(time.time() + (5 + n % 300) * 86400))
    return f"!anbieten\nTitel: Runde {n}\nTermin: {when}\nDauer: 30\nFormat: austausch\nBeschreibung: B6"


async def run(net: Network, rounds: int) -> list[Row]:
    community = await net.community("b6", members=2)
    member, echo_account = community.members
    echo_room = await community.host.room_create(name="echo", preset=RoomPreset.public_chat)
    if isinstance(echo_room, RoomCreateError):
        raise RuntimeError(echo_room.message)
    for account in (member, echo_account):
        client = net.client(account)
        await client.join(echo_room.room_id)
        await client.close()
    sends: list[tuple[int, int]] = []  # the bot's room_send calls: (start, end), monotonic ns

    def timing(app: App) -> None:
        original = app.bot.client.room_send

        async def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.monotonic_ns()
            try:
                return await original(*args, **kwargs)
            finally:
                sends.append((began, time.monotonic_ns()))

        app.bot.client.room_send = timed  # type: ignore[method-assign]

    app = await community.start_bot(prepare=timing)
    echo = await Peer.start(net.synapse.url, [echo_account], echo=echo_room.room_id)
    peer = await Peer.start(net.synapse.url, [member], sync=True)
    samples: dict[str, list[float]] = {
        k: [] for k in ("ping", "offer", "echo", "ping handled", "offer handled", "queued → send", "send")
    }

    async def round_trip(kind: str, room: str, body: str) -> None:
        sent = await peer.send(room, "m.room.message", text(body))
        event_id = sent["event_id"]
        await peer.wait(lambda: event_id in peer.replies, within=30)
        samples[kind].append((peer.replies[event_id]["t"] - sent["t0"]) / 1e9)
        if event_id in community.handled:
            handled = community.handled[event_id]
            samples[f"{kind} handled"].append((handled - sent["t0"]) / 1e9)
            after = [(start, end) for start, end in sends if start >= handled]
            if kind == "ping" and after:
                samples["queued → send"].append((after[0][0] - handled) / 1e9)
                samples["send"].append((after[0][1] - after[0][0]) / 1e9)
        await asyncio.sleep(0.05)

    try:
        await asyncio.sleep(1.5)
        for n in range(rounds):
            await round_trip("echo", echo_room.room_id, f"ping {n}")
            await round_trip("ping", community.programme, "!ping")
            await round_trip("echo", echo_room.room_id, f"ping {n}b")
            await round_trip("offer", community.programme, offer_text(n))
            await asyncio.sleep(1.2)  # the offer's debounced overview edit is out of the way of the next round
    finally:
        await peer.close()
        await echo.close()
        await app.stop()
        await community.host.close()
    floor = statistics.median(samples["echo"])
    added_ping = statistics.median(samples["ping"]) - floor
    added_offer = statistics.median(samples["offer"]) - floor
    return [
        Row("B6", "`!ping` → reply visible to the sender", spread(samples["ping"])),
        Row("B6", "valid `!anbieten` → reply visible to the sender", spread(samples["offer"])),
        Row("B6", "… of which: `!ping` sent → reply queued in the bot's database", spread(samples["ping handled"])),
        Row("B6", "… of which: `!ping` reply queued → bot's send request starts", spread(samples["queued → send"])),
        Row("B6", "… of which: the bot's send request (until Synapse answers)", spread(samples["send"])),
        Row("B6", "… of which: `!anbieten` sent → offer stored, post queued", spread(samples["offer handled"])),
        Row("B6", "bare echo client → reply visible (two homeserver hops, the floor)", spread(samples["echo"])),
        Row("B6", "bot adds at the median: `!ping`", f"{ms(added_ping)} ms", "< 10 ms", added_ping < 0.010),
        Row("B6", "bot adds at the median: `!anbieten`", f"{ms(added_offer)} ms", "< 10 ms", added_offer < 0.010),
    ]
