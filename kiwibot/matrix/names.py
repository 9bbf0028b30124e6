"""How the web side names people, and whether an account a command names exists at all.

The client learns display names from the member events it syncs: with lazy loading only of people who wrote or
joined while the bot was there, and none survive a restart. A name the rooms do not know is asked of the
homeserver's profile API in the background (a page is rendered synchronously and never waits for the network):
until the answer comes the person is shown by their id's local part, from then on by name. Kept pages and feeds
hold names, so every name given out is remembered: when the name someone would get now differs from the one they
got (learnt later, or a member event renamed them), `version` moves and `changed_since` says whose, and only what
named them is built again. Everything is bounded: answers expire (renames outside shared rooms are learnt then),
the least recently used entries go first.

A lookup that failed (the homeserver down, the bot not logged in yet) is asked again after `RETRY_AFTER` for the
people it names in what was given out: nothing may wait for the next render, a kept page is not rendered again
while fresh. Names nio learns without a member-event callback (a sync's `state` section: the first sync,
lazy-loaded members; a refreshed member list) are compared with those given out after each sync (`synced`).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable, Iterable

from cachetools import LRUCache, TTLCache
from nio import AsyncClient, MatrixRoom, ProfileGetResponse, RoomMemberEvent, SyncResponse

from kiwibot.matrix.render import localpart
from kiwibot.tasks import spawn

log = logging.getLogger(__name__)

SIZE = 20_000  # people remembered (names, answers, names given out)
ANSWER_TTL = 6 * 3600.0  # seconds a profile answer holds: a rename seen in no shared room is learnt after this
RETRY_AFTER = 300.0  # seconds before a lookup that failed (network, forbidden) is tried again
TIMEOUT = 3.0  # seconds one lookup may take: a slow remote server leaves the person unknown, not the bot waiting
BATCH = 8  # lookups in flight at once in the background
MAX_NAMED = 10  # accounts one command may make the bot look up before it runs


class _Changes(LRUCache[str, int]):
    """Person → the `version` their name last moved at; `forgotten`: the newest such version that was evicted."""

    forgotten = 0

    def popitem(self) -> tuple[str, int]:
        user, version = super().popitem()
        self.forgotten = max(self.forgotten, version)
        return user, version


class _Served(LRUCache[str, tuple[str, int]]):
    """Person → the name last given out and the `version` it was given out at; `forgotten`: the newest such version
    that was evicted (-1: none). What named a forgotten person was built at that version or before."""

    forgotten = -1

    def popitem(self) -> tuple[str, tuple[str, int]]:
        user, served = super().popitem()
        self.forgotten = max(self.forgotten, served[1])
        return user, served


class Names:
    """`names(user_id)`: the person's display name (a room's, else the profile's), else their id's local part.

    Listens to the client's member events (renames); `close()` ends the background lookups.
    """

    def __init__(self, client: AsyncClient, size: int = SIZE, timer: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.version = 0  # moves whenever a name given out would now be another
        # Profile answers and names seen in member events, with when they came; None: no name (or no such account).
        self._known: LRUCache[str, tuple[str | None, float]] = LRUCache(maxsize=size)
        self._missing: LRUCache[str, bool] = LRUCache(maxsize=size)  # accounts the homeserver said do not exist
        self._failed: TTLCache[str, bool] = TTLCache(maxsize=size, ttl=RETRY_AFTER, timer=timer)
        self._served = _Served(maxsize=size)
        self._changes = _Changes(maxsize=size)
        self._pending: dict[str, None] = {}  # to look up, in order, at most `size`
        self._again: dict[str, None] = {}  # given out, their lookup failed: asked again after RETRY_AFTER
        self._again_timer: asyncio.TimerHandle | None = None
        self._size = size
        self._timer = timer
        self._worker: asyncio.Task[None] | None = None
        client.add_event_callback(self.on_member, RoomMemberEvent)

    def __call__(self, user_id: str) -> str:
        name = self._in_rooms(user_id)
        if name is None:
            entry = self._known.get(user_id)
            if entry is None or self._stale(entry):
                self._ask(user_id)  # meanwhile the name last known (an expired one too), else the local part
            name = (entry[0] if entry is not None else None) or localpart(user_id)
        self._served[user_id] = (name, self.version)
        return name

    def known(self, user_id: str) -> str | None:
        """The name known now without asking anyone; None: not known yet."""
        return self._known_with(user_id, self._in_rooms(user_id))

    def _known_with(self, user_id: str, in_rooms: str | None) -> str | None:
        if in_rooms is not None:
            return in_rooms
        entry = self._known.get(user_id)
        return None if entry is None else entry[0] or localpart(user_id)

    def _in_rooms(self, user_id: str) -> str | None:
        for room in self.client.rooms.values():
            user = room.users.get(user_id)
            if user is not None and user.display_name:
                return str(user.display_name)
        return None

    def _in_a_room(self, user_id: str) -> bool:
        """Whether any room lists the person (named or not): their account exists."""
        return any(user_id in room.users for room in self.client.rooms.values())

    def _stale(self, entry: tuple[str | None, float]) -> bool:
        return self._timer() - entry[1] > ANSWER_TTL

    def changed_since(self, version: int, users: Iterable[str]) -> bool:
        """Whether the name of any of `users` moved after `version` (what was built then names them wrongly)."""
        if version >= self.version:
            return False
        if version <= self._served.forgotten:
            return True  # it may name someone whose name given out was forgotten: built again, they are known again
        return any(self._changes.get(user, self._changes.forgotten) > version for user in users)

    def missing(self, user_id: str) -> bool:
        """Whether the homeserver said there is no such account (a mistyped id); False when it was not asked or
        could not say; False for anyone a room lists: Synapse says 404 for a profile without name and picture)."""
        return user_id in self._missing and not self._in_a_room(user_id)

    async def check(self, user_ids: Iterable[str]) -> None:
        """Look up the accounts a command names that nobody knows yet, before it runs: then `missing` tells a
        mistyped id from a person (and their names are known for the page)."""
        todo = [user for user in dict.fromkeys(user_ids) if self._unsure(user)]
        await asyncio.gather(*(self._lookup(user) for user in todo[:MAX_NAMED]))

    def _unsure(self, user_id: str) -> bool:
        """Worth asking before a command: not known, known long ago, or said missing (the account may be new).
        Nobody a room lists (their account exists, and the rooms name them)."""
        if user_id in self._failed or self._in_a_room(user_id):
            return False
        entry = self._known.get(user_id)
        return entry is None or self._stale(entry) or user_id in self._missing

    async def on_member(self, room: MatrixRoom, event: RoomMemberEvent) -> None:
        """A member event (nio has already applied it to the room): a rename, someone joining or leaving. The
        name stays known after they leave the room (else pages would show their local part until a lookup)."""
        user = event.state_key
        if event.membership == "join":
            name = event.content.get("displayname")
        elif self.known(user) is None:  # the rooms no longer name them: the name they had
            name = (event.prev_content or {}).get("displayname")
            served = self._served.get(user)
            if not (isinstance(name, str) and name) and served is not None and served[0] != localpart(user):
                name = served[0]
        else:
            name = None
        if isinstance(name, str) and name:
            self._known[user] = (name, self._timer())
        self._moved(user)

    async def synced(self, response: SyncResponse) -> None:
        """After a sync nio applied: names it learnt without calling back (member events in a `state` section,
        a member list read) may differ from those given out. Compared only when the sync held member events and
        something was given out; one pass over the rooms' members, not one per person."""
        if not self._served or not _has_members(response):
            return
        in_rooms: dict[str, str] = {}
        for room in self.client.rooms.values():
            for user_id, user in room.users.items():
                if user.display_name and user_id in self._served:
                    in_rooms.setdefault(user_id, str(user.display_name))
        for user_id, (served, _) in list(self._served.items()):
            if served != (self._known_with(user_id, in_rooms.get(user_id)) or localpart(user_id)):
                self._changed(user_id)

    async def close(self) -> None:
        """End the background lookups (at shutdown)."""
        if self._again_timer is not None:
            self._again_timer.cancel()
            self._again_timer = None
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)

    def _moved(self, user_id: str) -> None:
        """Kept output named `user_id` as last given out: if they would be named otherwise now, it is stale."""
        served = self._served.get(user_id)
        if served is None:
            # Nothing built names them, unless they were forgotten: what was built before the version moved after
            # that is stale anyway (`changed_since`), so only an eviction at the current version needs a move.
            if self._served.forgotten >= self.version:
                self._changed(user_id)
            return
        if served[0] != (self.known(user_id) or localpart(user_id)):
            self._changed(user_id)

    def _changed(self, user_id: str) -> None:
        self.version += 1
        self._changes[user_id] = self.version

    def _ask(self, user_id: str) -> None:
        """Queue a background lookup (once; after one failed, when it is asked again; never without a running
        loop)."""
        if user_id in self._failed:
            self._ask_again(user_id)
            return
        if user_id in self._pending or len(self._pending) >= self._size:
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        self._pending[user_id] = None
        if self._worker is None or self._worker.done():
            self._worker = spawn(self._work(), name="kiwibot-names", log=log, failed="looking up names failed")

    async def _work(self) -> None:
        try:
            while self._pending:
                batch = list(itertools.islice(self._pending, BATCH))
                try:
                    await asyncio.gather(*(self._lookup(user) for user in batch))
                finally:
                    for user in batch:
                        self._pending.pop(user, None)
        finally:
            # Ended early (an unexpected error, or closed): those still queued are asked when named next, not
            # left queued for good (`_ask` skips whoever is queued).
            self._pending.clear()

    def _ask_again(self, user_id: str) -> None:
        """After RETRY_AFTER, ask once more for someone given out whose lookup failed: their name then reaches
        what is kept, which is not rendered again on its own."""
        if user_id not in self._again and len(self._again) < self._size:
            self._again[user_id] = None
        if self._again_timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return
            self._again_timer = loop.call_later(RETRY_AFTER, self._retry)

    def _retry(self) -> None:
        self._again_timer = None
        again, self._again = self._again, {}
        for user_id in again:
            if user_id in self._served:  # still named somewhere, as far as is known
                self._failed.pop(user_id, None)
                self._ask(user_id)

    async def _lookup(self, user_id: str) -> None:
        """Ask the homeserver for one profile: a name, no such account (404), or nothing said (tried again later).
        Never raises: whatever went wrong (the network, an answer that is no JSON through a proxy) is "not said",
        and the command waiting for it runs all the same."""
        try:
            response = await asyncio.wait_for(self.client.get_profile(user_id), TIMEOUT)
        except Exception as exc:  # any failure of one lookup only leaves that one name unknown
            log.info("profile of %s not looked up: %s", user_id, type(exc).__name__)
            self._not_said(user_id)
            return
        if isinstance(response, ProfileGetResponse):
            self._known[user_id] = (response.displayname or None, self._timer())
            self._missing.pop(user_id, None)
        elif response.status_code == "M_NOT_FOUND" or _status(response) == 404:  # Synapse: 404 M_UNKNOWN "No row"
            self._known[user_id] = (None, self._timer())
            self._missing[user_id] = True
        else:
            log.info("profile of %s not looked up: %s", user_id, getattr(response, "status_code", None))
            self._not_said(user_id)
            return
        self._moved(user_id)

    def _not_said(self, user_id: str) -> None:
        self._failed[user_id] = True
        if user_id in self._served:
            self._ask_again(user_id)


def _has_members(response: SyncResponse) -> bool:
    """Whether a sync told of any member (in a joined room's state or timeline)."""
    return any(
        isinstance(event, RoomMemberEvent)
        for info in response.rooms.join.values()
        for event in itertools.chain(info.state, info.timeline.events)
    )


def _status(response: object) -> int | None:
    """The HTTP status of an answer nio parsed (its error code alone is not always M_NOT_FOUND for a 404)."""
    status = getattr(getattr(response, "transport_response", None), "status", None)
    return status if isinstance(status, int) else None
