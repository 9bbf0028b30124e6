"""The sync loop: events in, sync position out; what a limited timeline or a lost position hid is read back.

Reliability rules kept here:
- the sync token is stored only after a batch was fully handled, so after a crash the bot replays from
  there (handled event ids keep what did succeed from running twice);
- one failing event is logged with its id and the loop goes on; an event the database refused is tried
  again after the next sync; an unreachable homeserver is retried with growing backoff, one line a try;
- a limited timeline is filled from /messages; where that cannot reach back far enough, and when the
  position was lost, the reactions on the news posts (read from /relations) are the truth for signups.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from typing import Any

from nio import AsyncClient, MegolmEvent, RoomMessagesError, SyncError, SyncResponse
from nio.api import MessageDirection, RelationshipType

from kiwibot.config import Config
from kiwibot.core.errors import StorageUnavailable
from kiwibot.core.model import Session
from kiwibot.core.ports import Clock
from kiwibot.core.service import Kiwi
from kiwibot.matrix.crypto import Crypto
from kiwibot.matrix.events import Events
from kiwibot.matrix.login import Login
from kiwibot.matrix.network import NETWORK_ERRORS, Backoff, retry
from kiwibot.matrix.outbox import Outbox
from kiwibot.matrix.posts import Posts
from kiwibot.matrix.rooms import Rooms
from kiwibot.matrix.runs import runs, shared
from kiwibot.storage import Store
from kiwibot.storage.peek import HEARTBEAT_KEY

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
HEARTBEAT_EVERY = 10.0  # seconds between heartbeats for `kiwibot health`: a busy bot syncs many times a second
# Without a filter a sync gives 10 events per room; a larger page means fewer /messages calls.
SYNC_FILTER: dict[str, Any] = {
    "room": {
        "timeline": {"limit": 100},
        "state": {"lazy_load_members": True},
        "ephemeral": {"types": []},
        "account_data": {"types": []},
    },
    "presence": {"types": []},
    "account_data": {"types": []},
}
BACKFILL_PAGES = 50
BACKFILL_PAGE = 1000  # Synapse's largest page: a backlog of thousands costs a few requests, not dozens
RELATIONS_AT_ONCE = 8  # start-up repair: reactions of this many posts are read at once


class Sync:
    def __init__(
        self,
        *,
        config: Config,
        store: Store,
        kiwi: Kiwi,
        clock: Clock,
        client: AsyncClient,
        crypto: Crypto,
        login: Login,
        rooms: Rooms,
        events: Events,
        posts: Posts,
        outbox: Outbox,
        synced: asyncio.Event,
    ) -> None:
        """`synced` is set once the first sync was handled (start-up waits for it)."""
        self.homeserver = config.homeserver
        self.store = store
        self.kiwi = kiwi
        self.clock = clock
        self.client = client
        self.crypto = crypto
        self.login = login
        self.rooms = rooms
        self.events = events
        self.posts = posts
        self.outbox = outbox
        self.synced = synced
        self._newest_ts = 0
        self._storage_failed = False
        self._retry_events: list[tuple[str, dict[str, Any]]] = []  # refused by the database, tried again
        self._gaps: set[str] = set()  # rooms whose missed history could not be read back completely
        self._first_start_ms = 0
        self._beat_at = -HEARTBEAT_EVERY  # monotonic time of the last heartbeat written

    def mark_first_start(self) -> None:
        """Events older than the bot's very first start belong to history, not to us; nor do those older than the
        horizon up to which handled event ids were pruned (retention): the server may send them again (a lost
        sync token) and nothing would say they were handled."""
        stored = self.store.get_meta("first_start_ms")
        if stored is None:
            stored = str(int(time.time() * 1000))
            self.store.set_meta("first_start_ms", stored)
        self._first_start_ms = max(int(stored), self.store.events_horizon_ms())

    async def on_event(self, room_id: str, event: dict[str, Any]) -> None:
        """One readable timeline event: the bot's own and those from before its first start are not for it."""
        if event.get("sender") == self.client.user_id:
            return
        ts = int(event.get("origin_server_ts", 0))
        if ts < self._first_start_ms:
            return
        self._newest_ts = max(self._newest_ts, ts)
        await self.events.handle(room_id, event)

    async def forever(self) -> None:
        """Sync until cancelled, handling each batch before its position is stored."""
        backoff = Backoff()
        token = self.store.get_meta("sync_token") or None
        first = True  # the first sync must not long-poll: start-up waits for it
        down_since: float | None = None
        while True:
            try:
                # With events waiting for the database, poll briefly instead of long-polling.
                wait_ms = 0 if first else (1000 if self._retry_events else SYNC_TIMEOUT_MS)
                # nio only knows the rooms a sync described; encrypting needs every room, hence a full state once.
                full = first and self.crypto.active
                response = await self.client.sync(
                    timeout=wait_ms, since=token, sync_filter=SYNC_FILTER, full_state=full or None
                )
            except NETWORK_ERRORS as exc:
                down_since = down_since or time.monotonic()
                wait = backoff.next()
                log.warning(
                    "homeserver %s unreachable (%s); attempt %d, next try in %.0f s",
                    self.homeserver,
                    type(exc).__name__,
                    backoff.attempt,
                    wait,
                )
                await asyncio.sleep(wait)
                continue
            if isinstance(response, SyncError):
                wait = backoff.next()
                log.warning("sync refused: %s %s; next try in %.0f s", response.status_code, response.message, wait)
                if response.status_code == "M_UNKNOWN_TOKEN":
                    self.login.token_refused()
                    await retry(self.homeserver, "login", self.login.login)
                await asyncio.sleep(wait)
                continue
            if down_since is not None:
                log.info("homeserver reachable again after %.0f s", time.monotonic() - down_since)
                down_since = None
            backoff.reset()
            assert isinstance(response, SyncResponse)
            # Before the events: a command in this batch may come from a new login's client that can decrypt.
            self.outbox.direct_encryption.devices_changed(response.device_list.changed)
            self._storage_failed = False
            await self._retry_waiting_events()
            await self._handle_sync(response, had_token=token is not None)
            if self.events.names is not None:  # names nio learnt from state, which calls no member callback
                await self._guard("display names", self.events.names.synced(response))
            await self._handle_decrypted_late()
            # The stored position only moves once nothing waits for the database: after a crash the bot
            # replays from there (handled ids keep what did succeed from running twice).
            self._save_position(response.next_batch)
            token, first = response.next_batch, False
            self.synced.set()
            self._heartbeat()
            # Keys after the events (the keys they need came with the sync itself), before sending: an
            # encrypted reply needs the new devices' sessions claimed.
            await self._guard("encryption keys", self.crypto.upkeep())
            self.outbox.send_soon()

    def _heartbeat(self) -> None:
        """For `kiwibot health`: the wall time of this successful sync, written at most every HEARTBEAT_EVERY s.

        A database that refuses it is already logged by `_save_position`; the heartbeat then grows old, which
        is what the health check should see.
        """
        now = time.monotonic()
        if now - self._beat_at < HEARTBEAT_EVERY:
            return
        try:
            self.store.set_meta(HEARTBEAT_KEY, str(int(time.time() * 1000)))
        except StorageUnavailable:
            return
        self._beat_at = now

    async def _guard(self, what: str, step: Awaitable[None], shared: bool = False) -> bool:
        """One bad event must never end the sync loop. False: the database refused, try the event again.

        `shared` (a run in one transaction): the database's refusal is raised (it ends the run) and any other
        failure gives False, so that the event's savepoint is rolled back.
        """
        try:
            await step
        except asyncio.CancelledError:
            raise
        except StorageUnavailable as exc:
            if shared:
                raise
            self._storage_failed = True
            log.error("database unavailable while handling %s (will retry): %s", what, exc)
            return False
        except NETWORK_ERRORS as exc:
            log.warning("network error while handling %s: %s", what, type(exc).__name__)
            return not shared
        except Exception:
            log.exception("failed to handle %s", what)
            return not shared
        return True

    async def _retry_waiting_events(self) -> None:
        waiting, self._retry_events = self._retry_events, []
        for room_id, event in waiting:
            if not await self._guard(f"event {event.get('event_id')} (again)", self.on_event(room_id, event)):
                self._retry_events.append((room_id, event))
        if waiting and not self._retry_events:
            log.info("database available again: %d waiting events handled", len(waiting))

    async def _handle_decrypted_late(self) -> None:
        """Events that could not be decrypted before and can now (their keys arrived)."""
        for room_id, event in self.crypto.retry():
            if not await self._guard(f"event {event.get('event_id')} (decrypted late)", self.on_event(room_id, event)):
                self._retry_events.append((room_id, event))

    async def _readable(self, room_id: str, events: Iterable[Any]) -> list[dict[str, Any]]:
        """Sources of the events we can read; the encrypted rest is logged, its keys requested."""
        readable = []
        for event in events:
            if isinstance(event, MegolmEvent):
                if event.sender != self.client.user_id and event.server_timestamp >= self._first_start_ms:
                    await self._guard(f"encrypted event {event.event_id}", self.crypto.undecryptable(room_id, event))
            elif hasattr(event, "source"):
                readable.append(event.source)
        return readable

    def _save_position(self, token: str) -> bool:
        """Store the sync token after a fully handled batch; False if the database refused something."""
        if self._storage_failed or self._retry_events or self._gaps:
            return False
        try:
            with self.store.transaction():
                self.store.set_meta("sync_token", token)
                if self._newest_ts > int(self.store.get_meta("last_event_ts") or 0):
                    self.store.set_meta("last_event_ts", str(self._newest_ts))
        except StorageUnavailable as exc:
            log.error("database unavailable, the sync position was not saved (will retry): %s", exc)
            return False
        return True

    async def _handle_sync(self, response: SyncResponse, had_token: bool) -> None:
        # Membership first: an invite in the same batch may come from someone who just joined the space.
        space = response.rooms.join.get(self.rooms.space or "")
        if space is not None and any(
            getattr(e, "source", {}).get("type") == "m.room.member" for e in [*space.state, *space.timeline.events]
        ):
            await self._guard("space membership", self.rooms.refresh_space())
        for room_id, info in response.rooms.invite.items():
            await self._guard(f"invite to {room_id}", self.events.on_invite(room_id, info.invite_state))
        for room_id, info in response.rooms.join.items():
            events = await self._readable(room_id, info.timeline.events)
            if had_token and info.timeline.limited and info.timeline.prev_batch:
                events = await self._backfill(room_id, info.timeline.prev_batch, events) + events
            await self._handle_events(room_id, events)
        if self._gaps:
            await self._repair_gaps()

    async def _handle_events(self, room_id: str, events: list[dict[str, Any]]) -> None:
        """Events in their order; runs of reactions and redactions share one transaction (see `runs`). Should
        the database refuse, a run was rolled back whole and is handled again one event at a time."""
        for run in runs(events):
            if len(run) > 1:
                try:
                    await shared(self.store, run, partial(self._handle_shared, room_id))
                    continue
                except StorageUnavailable as exc:
                    log.warning("database refused a run of %d events (%s); one at a time instead", len(run), exc)
            for event in run:
                if not await self._guard(f"event {event.get('event_id')}", self.on_event(room_id, event)):
                    self._retry_events.append((room_id, event))

    async def _handle_shared(self, room_id: str, event: dict[str, Any]) -> bool:
        return await self._guard(f"event {event.get('event_id')}", self.on_event(room_id, event), shared=True)

    async def _repair_gaps(self) -> None:
        """More was missed than can be read back: the reactions on the posts there are the truth.

        Until this succeeds the sync position is not saved, so a restart finds the same gap again.
        """
        rooms = set(self._gaps)
        log.warning("the history of %s could not be read back completely; comparing signups with reactions", rooms)
        try:
            await self.reconcile_signups(rooms)
        except (*NETWORK_ERRORS, StorageUnavailable) as exc:
            log.warning("comparing signups with reactions postponed to the next sync: %s", type(exc).__name__)
            return
        self._gaps -= rooms

    async def _backfill(self, room_id: str, prev_batch: str, newer: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A limited timeline hides what came while we were away: page back until we meet known ground."""
        collected: list[dict[str, Any]] = []
        horizon = int(self.store.get_meta("last_event_ts") or self._first_start_ms)
        token: str | None = prev_batch
        complete = False
        for _ in range(BACKFILL_PAGES):
            response = await self.client.room_messages(
                room_id, start=token, direction=MessageDirection.back, limit=BACKFILL_PAGE
            )
            if isinstance(response, RoomMessagesError):
                log.warning("cannot read back the history of %s: %s", room_id, response.message)
                break
            done = False
            for event in response.chunk:
                source = getattr(event, "source", {})
                if source.get("origin_server_ts", 0) < horizon - 60_000 or self.store.is_handled(
                    source.get("event_id", "")
                ):
                    done = True
                    break
                collected.extend(await self._readable(room_id, [event]))  # an unreadable one is logged
            if done or not response.chunk or not response.end or response.end == token:
                complete = True
                break
            token = response.end
        if not complete:
            self._gaps.add(room_id)
        if collected:
            log.info("read back %d events missed in %s", len(collected), room_id)
        return list(reversed(collected))

    async def reconcile_signups(self, rooms: set[str] | None = None) -> None:
        """The reactions on upcoming news posts are the truth for reaction signups, and those on open wishes'
        posts for interest in them (in `rooms`, or all).

        Repairs what sync could not tell us (a lost sync token, a gap longer than we read back). The posts'
        reactions are read a few at a time; the repairs are applied in date order.
        """
        posts: list[tuple[str, str, str, Callable[[dict[str, str]], None]]] = [
            (s.news_room, s.news_event, f"session {s.id}", partial(self._repair, s))
            for s in self.store.upcoming(self.clock.now(), limit=100_000)
            if s.news_room and s.news_event and (rooms is None or s.news_room in rooms)
        ]
        posts += [
            (w.post_room, w.post_event, f"wish W{w.id}", partial(self._repair_wish, w.id))
            for w, _ in self.store.ranked_wishes(limit=100_000)
            if w.post_room and w.post_event and (rooms is None or w.post_room in rooms)
        ]
        for first in range(0, len(posts), RELATIONS_AT_ONCE):
            batch = posts[first : first + RELATIONS_AT_ONCE]
            found = await asyncio.gather(*(self._signup_reactions(room, event, what) for room, event, what, _ in batch))
            for (_, _, _, repair), present in zip(batch, found, strict=True):
                if present is not None:
                    repair(present)
        await self.outbox.flush()

    async def _signup_reactions(self, room_id: str, post: str, what: str) -> dict[str, str] | None:
        """Signup reactions (👍 in any skin tone) on a post of `what` (event id → sender); None if unreadable."""
        present: dict[str, str] = {}
        unreadable = 0
        # Encrypted reactions are of type m.room.encrypted: with encryption, ask for all annotations.
        only = None if self.crypto.active else "m.reaction"
        try:
            async for event in self.client.room_get_event_relations(
                room_id, post, RelationshipType.annotation, only, limit=500
            ):
                source = self.crypto.decrypt(room_id, event)
                if source is None:
                    unreadable += 1
                    continue
                if source.get("type") != "m.reaction":
                    continue
                relates = (source.get("content") or {}).get("m.relates_to") or {}
                if source.get("sender") != self.client.user_id and self.events.is_signup(relates.get("key")):
                    present[str(source["event_id"])] = str(source["sender"])
        except AttributeError:  # nio gives up on an error response without next_batch
            log.warning("cannot read the reactions on the post of %s; keeping what is stored", what)
            return None
        if unreadable:
            log.warning("%s: %d reactions on its post cannot be decrypted; keeping what is stored", what, unreadable)
            return None
        return present

    def _repair(self, session: Session, present: dict[str, str]) -> None:
        with self.store.transaction():
            added, removed, effects = self.kiwi.reconcile(session.id, present)
            for event_id in present:
                self.store.mark_handled(event_id, self.clock.now())
            self.posts.apply(effects)
        if added or removed:
            log.info(
                "session %d: signups repaired from the reactions on its post: +%d %s, -%d %s",
                session.id,
                len(added),
                added,
                len(removed),
                removed,
            )

    def _repair_wish(self, wish_id: int, present: dict[str, str]) -> None:
        with self.store.transaction():
            added, removed, effects = self.kiwi.reconcile_interest(wish_id, present)
            for event_id in present:
                self.store.mark_handled(event_id, self.clock.now())
            self.posts.apply(tuple(effects))
        if added or removed:
            log.info("wish W%d: interest repaired from the reactions on its post: +%s, -%s", wish_id, added, removed)
