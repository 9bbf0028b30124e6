"""Runs of events that share one transaction, a savepoint each (#15: a catch-up of thousands paid a commit per
event). Only reactions and redactions: their handling never waits on the network, so no other task runs while
the shared transaction is open. A failing event is undone alone; a refusal of the database undoes the run."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from kiwibot.storage import Store

BATCHED = frozenset({"m.reaction", "m.room.redaction"})
BATCH_LIMIT = 500  # events per shared transaction: the database is not held for long

Event = dict[str, Any]


class _Failed(Exception):
    """An event of a shared transaction failed (and was logged): its savepoint is rolled back."""


def runs(events: list[Event]) -> Iterator[list[Event]]:
    """`events` in their order, cut into runs to share a transaction and single events (runs of one)."""
    run: list[Event] = []
    for event in events:
        if event.get("type") in BATCHED:
            run.append(event)
            if len(run) < BATCH_LIMIT:
                continue
        if run:
            yield run
            run = []
        if event.get("type") not in BATCHED:
            yield [event]
    if run:
        yield run


async def shared(store: Store, run: list[Event], handle: Callable[[Event], Awaitable[bool]]) -> None:
    """Each event of `run` in a savepoint of one transaction; `handle` returns False for an event whose writes
    are to be undone, and raises StorageUnavailable to undo the whole run (nothing of it is committed then)."""
    with store.transaction():
        for event in run:
            with contextlib.suppress(_Failed), store.savepoint():
                if not await handle(event):
                    raise _Failed
