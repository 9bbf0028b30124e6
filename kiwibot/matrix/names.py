"""How the web side names people, and whether an account a command names exists at all.

The client learns display names from the member events it syncs: with lazy loading only of people who wrote or
joined while the bot was there, and none survive a restart. A name the rooms do not know is asked of the
homeserver's profile API in the background (a page is rendered synchronously and never waits for the network):
until the answer comes the person is shown by their id's local part, from then on by name. Kept pages and feeds
hold names, so every name given out is remembered: when the name someone would get now differs from the one they
got (learnt later, or a member event renamed them), `version` moves and `changed_since` says whose, and only what
named them is built again. Everything is bounded: answers expire (renames outside shared rooms are learnt then),
the least recently used entries go first.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable

from cachetools import LRUCache, TTLCache
from nio import AsyncClient, MatrixRoom, ProfileGetResponse, RoomMemberEvent

from kiwibot.matrix.network import NETWORK_ERRORS
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


class _Served(LRUCache[str, str]):
    """Person → the name last given out; once one was evicted, a change to anyone may concern kept output."""

    evicted = False

    def popitem(self) -> tuple[str, str]:
        self.evicted = True
        return super().popitem()


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
        self._served[user_id] = name
        return name

    def known(self, user_id: str) -> str | None:
        """The name known now without asking anyone; None: not known yet."""
        name = self._in_rooms(user_id)
        if name is not None:
            return name
        entry = self._known.get(user_id)
        return None if entry is None else entry[0] or localpart(user_id)

    def _in_rooms(self, user_id: str) -> str | None:
        for room in self.client.rooms.values():
            user = room.users.get(user_id)
            if user is not None and user.display_name:
                return str(user.display_name)
        return None

    def _stale(self, entry: tuple[str | None, float]) -> bool:
        return self._timer() - entry[1] > ANSWER_TTL

    def changed_since(self, version: int, users: Iterable[str]) -> bool:
        """Whether the name of any of `users` moved after `version` (what was built then names them wrongly)."""
        if version >= self.version:
            return False
        return any(self._changes.get(user, self._changes.forgotten) > version for user in users)

    def missing(self, user_id: str) -> bool:
        """Whether the homeserver said there is no such account (a mistyped id); False when it was not asked or
        could not say."""
        return user_id in self._missing

    async def check(self, user_ids: Iterable[str]) -> None:
        """Look up the accounts a command names that nobody knows yet, before it runs: then `missing` tells a
        mistyped id from a person (and their names are known for the page)."""
        todo = [user for user in dict.fromkeys(user_ids) if self._unsure(user)]
        await asyncio.gather(*(self._lookup(user) for user in todo[:MAX_NAMED]))

    def _unsure(self, user_id: str) -> bool:
        """Worth asking before a command: not known, known long ago, or said missing (the account may be new)."""
        if self._in_rooms(user_id) is not None or user_id in self._failed:
            return False
        entry = self._known.get(user_id)
        return entry is None or self._stale(entry) or user_id in self._missing

    async def on_member(self, room: MatrixRoom, event: RoomMemberEvent) -> None:
        """A member event (nio has already applied it to the room): a rename, someone joining or leaving. The
        name stays known after they leave the room."""
        name = event.content.get("displayname") if event.membership == "join" else None
        if isinstance(name, str) and name:
            self._known[event.state_key] = (name, self._timer())
        self._moved(event.state_key)

    async def close(self) -> None:
        """End the background lookups (at shutdown)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)

    def _moved(self, user_id: str) -> None:
        """Kept output named `user_id` as last given out: if they would be named otherwise now, it is stale."""
        served = self._served.get(user_id)
        if served is None and not self._served.evicted:
            return  # nothing built so far names them
        if served == (self.known(user_id) or localpart(user_id)):
            return
        self.version += 1
        self._changes[user_id] = self.version

    def _ask(self, user_id: str) -> None:
        """Queue a background lookup (once; not again soon after one failed; never without a running loop)."""
        if user_id in self._pending or user_id in self._failed or len(self._pending) >= self._size:
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        self._pending[user_id] = None
        if self._worker is None or self._worker.done():
            self._worker = spawn(self._work(), name="kiwibot-names", log=log, failed="looking up names failed")

    async def _work(self) -> None:
        while self._pending:
            batch = list(self._pending)[:BATCH]
            try:
                await asyncio.gather(*(self._lookup(user) for user in batch))
            finally:
                for user in batch:
                    self._pending.pop(user, None)

    async def _lookup(self, user_id: str) -> None:
        """Ask the homeserver for one profile: a name, no such account (404), or nothing said (tried again later)."""
        try:
            response = await asyncio.wait_for(self.client.get_profile(user_id), TIMEOUT)
        except NETWORK_ERRORS as exc:
            log.info("profile of %s not looked up: %s", user_id, type(exc).__name__)
            self._failed[user_id] = True
            return
        if isinstance(response, ProfileGetResponse):
            self._known[user_id] = (response.displayname or None, self._timer())
            self._missing.pop(user_id, None)
        elif response.status_code == "M_NOT_FOUND" or _status(response) == 404:  # Synapse: 404 M_UNKNOWN "No row"
            self._known[user_id] = (None, self._timer())
            self._missing[user_id] = True
        else:
            log.info("profile of %s not looked up: %s", user_id, response)
            self._failed[user_id] = True
            return
        self._moved(user_id)


def _status(response: object) -> int | None:
    """The HTTP status of an answer nio parsed (its error code alone is not always M_NOT_FOUND for a 404)."""
    status = getattr(getattr(response, "transport_response", None), "status", None)
    return status if isinstance(status, int) else None
