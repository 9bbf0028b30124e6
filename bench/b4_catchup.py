"""B4: catch-up — the bot is stopped, 5,000 reactions and commands are sent, the bot starts.

All must be handled, none twice (signups exact, one reply per command), at a rate no lower than the rate
Synapse hands them over. "Delivered" is the time the bot spends waiting in /sync and /messages for them;
"handled" is the rest of its catch-up (its own work). A bare nio client reading the same backlog the same
way (sync, then /messages back to where it was) gives the homeserver's own pace for comparison.
"""

from __future__ import annotations

import random
import time
from typing import Any

from nio import AsyncClient, RoomMessagesError, SyncResponse
from nio.api import MessageDirection

from bench.net import Network, Peer, reaction, text
from bench.report import Row
from kiwibot.app import App
from kiwibot.matrix import sync


async def read_backlog(client: AsyncClient, token: str, room: str, marker: str) -> tuple[int, float]:
    """What a bare client pays to read everything since `token`: (events read, seconds)."""
    began = time.monotonic()
    response = await client.sync(timeout=0, since=token, sync_filter=sync.SYNC_FILTER)
    assert isinstance(response, SyncResponse), response
    timeline = response.rooms.join[room].timeline
    count, start = len(timeline.events), timeline.prev_batch
    while timeline.limited and start:
        page = await client.room_messages(room, start=start, direction=MessageDirection.back, limit=sync.BACKFILL_PAGE)
        if isinstance(page, RoomMessagesError) or not page.chunk:
            break
        ids = [getattr(e, "event_id", None) for e in page.chunk]
        if marker in ids:
            count += ids.index(marker)
            break
        count += len(page.chunk)
        start = page.end
    return count, time.monotonic() - began


def timing(app: App, spans: list[tuple[float, float]]) -> None:
    """Note every /sync and /messages call of the bot as (start, end), to tell its waiting from its work."""
    client = app.bot.client
    for name in ("sync", "room_messages"):
        original = getattr(client, name)

        async def timed(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            began = time.monotonic_ns()
            try:
                return await _original(*args, **kwargs)
            finally:
                spans.append((began, time.monotonic_ns()))

        setattr(client, name, timed)


async def run(net: Network, people: int, sessions: int, commands: int) -> list[Row]:
    community = await net.community("b4", members=people + 1)
    giver, members = community.members[0], community.members[1:]
    app = await community.start_bot()
    offers = [await community.offer(app, giver, f"Session {n}") for n in range(sessions)]
    await community.settled(app)
    reader = net.client(members[0])
    first = await reader.sync(timeout=0, sync_filter=sync.SYNC_FILTER, full_state=True)
    assert isinstance(first, SyncResponse)
    marker = (await community.host.room_send(community.programme, "m.room.message", text("marker"))).event_id
    await app.stop()
    sender = await Peer.start(net.synapse.url, members)
    try:
        plans: list[list[tuple[int, str, str, dict[str, Any]]]] = []
        for p in range(people):
            mine: list[tuple[int, str, str, dict[str, Any]]] = [
                (p, community.programme, "m.reaction", reaction(news)) for _, news in offers
            ]
            mine += [
                (p, community.programme, "m.room.message", text("!ping")) for c in range(commands) if c % people == p
            ]
            random.shuffle(mine)
            plans.append(mine)
        items = [item for plan in plans for item in plan]
        reports = await sender.burst(items)
    finally:
        await sender.close()
    is_command = [item[2] == "m.room.message" for item in items]
    events = [r["event_id"] for r in reports]
    command_ids = {e for e, c in zip(events, is_command, strict=True) if c}
    sent_for = (max(r["t1"] for r in reports) - min(r["t0"] for r in reports)) / 1e9
    read, read_s = await read_backlog(reader, first.next_batch, community.programme, marker)

    spans: list[tuple[float, float]] = []
    began = time.monotonic_ns()
    app = await community.start_bot(prepare=lambda a: timing(a, spans))
    try:
        await community.wait_handled(events, within=900)
        done = max(community.handled[e] for e in events)
        await community.settled(app, within=900)
        replies_sent = time.monotonic_ns()
        signups = app.store.db.execute("SELECT COUNT(*) FROM signup_sources").fetchone()[0]
    finally:
        await app.stop()
    replies: dict[str, int] = {}
    token = ""
    while True:
        page = await reader.room_messages(community.programme, start=token, direction=MessageDirection.back, limit=1000)
        if isinstance(page, RoomMessagesError) or not page.chunk:
            break
        for event in page.chunk:
            source = event.source
            target = ((source.get("content") or {}).get("m.relates_to") or {}).get("m.in_reply_to", {}).get("event_id")
            if source.get("sender") == community.bot_id and target in command_ids:
                replies[target] = replies.get(target, 0) + 1
        if marker in [e.event_id for e in page.chunk if hasattr(e, "event_id")] and len(replies) >= len(command_ids):
            break
        token = page.end
    await reader.close()
    await community.host.close()

    # Catch-up runs from the first /sync (log-in, joins and the overview check come before it) to the last
    # commit; waiting = the union of the /sync and /messages calls in between.
    startup = (min(start for start, _ in spans) - began) / 1e9
    began = min(start for start, _ in spans)
    waited = 0.0
    cursor = began
    for start, end in sorted(spans):
        start, end = max(start, cursor), min(end, done)
        if end > start:
            waited += end - start
            cursor = end
    total = (done - began) / 1e9
    waited /= 1e9
    own = max(total - waited, 1e-9)
    n = len(events)
    reactions = n - len(command_ids)
    twice = sum(1 for c in replies.values() if c > 1)
    seen_twice = sum(1 for e in events if community.handler_calls[e] > 1)  # harmless if nothing doubled
    all_ok = signups == reactions and len(replies) == len(command_ids) and twice == 0
    return [
        Row("B4", f"{n:,} events sent while the bot was stopped", f"sent in {sent_for:.0f} s ({n / sent_for:.0f}/s)"),
        Row(
            "B4",
            "all handled, none twice",
            f"signups {signups}/{reactions}, commands answered {len(replies)}/{len(command_ids)}, answered twice: "
            f"{twice} (events passed to the handler twice: {seen_twice})",
            "all, none twice",
            all_ok,
        ),
        Row(
            "B4",
            "catch-up: handling rate vs the rate Synapse delivered them",
            f"handled {n / own:,.0f}/s vs delivered {n / waited:,.0f}/s",
            "handled ≥ delivered",
            n / own >= n / waited,
        ),
        Row(
            "B4",
            "… first sync → last event committed",
            f"{total:.1f} s ({n / total:,.0f}/s; {waited:.1f} s of it waiting for Synapse; start-up before the "
            f"first sync {startup:.1f} s); all replies sent {(replies_sent - done) / 1e9:.1f} s after the last commit",
        ),
        Row(
            "B4",
            "… a bare nio client reading the same backlog",
            f"{read} events in {read_s:.1f} s ({read / read_s:,.0f}/s)",
        ),
    ]
