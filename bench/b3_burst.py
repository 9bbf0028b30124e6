"""B3: a rush — 100 members × 10 sessions = 1,000 signup reactions, sent as fast as Synapse takes them.

Every member sends their reactions one after another (sessions in a random order of their own), all
members at once, from one peer process. The
bot must have committed the last signup within 1 s of Synapse accepting the last reaction, and the
debounced news-post edits must stay few (≤ 5 per session) while the counts end exact.
"""

from __future__ import annotations

import random

from bench.net import Network, Peer, reaction
from bench.report import Row, ms


async def run(net: Network, people: int, sessions: int) -> list[Row]:
    community = await net.community("b3", members=people + 1)
    giver, members = community.members[0], community.members[1:]
    app = await community.start_bot()
    sender = None
    try:
        offers = [await community.offer(app, giver, f"Session {n}") for n in range(sessions)]
        sender = await Peer.start(net.synapse.url, members)
        await community.settled(app)
        before = app.store.db.execute("SELECT COALESCE(MAX(id), 0) FROM outbox").fetchone()[0]
        # Each member signs up for the sessions in their own order, so every post stays busy for the whole rush.
        items = [
            (p, community.programme, "m.reaction", reaction(news))
            for p in range(people)
            for _, news in random.sample(offers, len(offers))
        ]
        reports = await sender.burst(items)
        first_sent = min(r["t0"] for r in reports)
        last_accepted = max(r["t1"] for r in reports)
        await community.wait_handled([r["event_id"] for r in reports], within=300)
        last_commit = max(community.handled[r["event_id"]] for r in reports)
        await community.settled(app)
        edits = dict(
            app.store.db.execute(
                "SELECT purpose || COALESCE(':' || session_id, ''), COUNT(*) FROM outbox "
                "WHERE id > ? AND state = 'sent' GROUP BY 1",
                (before,),
            ).fetchall()
        )
        wrong = [n for n, _ in offers if len(app.store.attendees(n)) != people]
        if wrong:
            raise RuntimeError(f"B3: sessions {wrong} do not have {people} signups")
    finally:
        if sender is not None:
            await sender.close()
        await app.stop()
        await community.host.close()
    per_session = [edits.get(f"news-edit:{n}", 0) for n, _ in offers]
    lag = (last_commit - last_accepted) / 1e9
    took = (last_accepted - first_sent) / 1e9
    return [
        Row(
            "B3", f"burst: {len(items):,} reactions accepted by Synapse", f"in {took:.1f} s ({len(items) / took:.0f}/s)"
        ),
        Row("B3", "last reaction accepted → all signups committed", f"{ms(lag)} ms", "≤ 1 s", lag <= 1.0),
        Row(
            "B3",
            "news-post edits per session (counts exact afterwards)",
            f"max {max(per_session)}, min {min(per_session)}; overview edits {edits.get('overview-edit', 0)}",
            "≤ 5",
            max(per_session) <= 5,
        ),
    ]
