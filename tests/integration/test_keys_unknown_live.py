"""A person whose homeserver does not answer the keys query, against the real Synapse: their server is in the
query's `failures`, which is "cannot tell now", not "has no device with keys". Their direct chat is not opened
unencrypted on that guess; the message stays queued and is tried again at later flushes, and only once their
server has failed for longer than the bound is the chat opened unencrypted. (Offline, with a query that works
again: tests/unit/test_keys_unknown.py.)"""

from __future__ import annotations

import logging

import pytest

from kiwibot.matrix.lanes import DIRECT
from tests.integration.conftest import World

pytestmark = pytest.mark.integration

DANA = "@dana:unreachable.invalid"  # a homeserver name that never resolves


async def test_a_person_on_an_unreachable_homeserver_waits_and_gets_a_chat_only_after_the_bound(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    app = await world.start_bot()
    row = app.store.enqueue(DIRECT + DANA, {"msgtype": "m.text", "body": "Hallo"}, at=world.clock.now())
    for _ in range(2):
        await app.bot.outbox.flush()
        assert app.store.direct_room(DANA) is None  # not opened unencrypted for good
        assert row in [item.id for item in app.store.pending_outbox()]  # still queued, tried again later
    failures = app.bot.outbox.crypto.failures
    assert not failures.given_up(DANA)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and DANA in r.getMessage()]
    assert warned == [  # once, however often it was tried (at most once an hour per person and failure)
        f"cannot tell whether {DANA} can decrypt: their homeserver unreachable.invalid did not answer the keys "
        "query (failing for 0 s; asked again later)"
    ]

    failures.give_up = 0.0  # as after ten minutes of failures
    await app.bot.outbox.flush()
    assert any(
        r.name == "kiwibot.matrix.outbox"
        and "opening the direct chat unencrypted so the messages reach them" in r.getMessage()
        for r in caplog.records
    )
    # The chat is tried now; Synapse cannot invite her on a dead server either, so the row is refused, not kept.
    assert row not in [item.id for item in app.store.pending_outbox()]
