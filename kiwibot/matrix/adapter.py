"""The Matrix adapter: the only module that speaks nio. Events in → core calls; core results → messages.

Reliability rules kept here:
- every handled event id is recorded in the same transaction as its effects and its queued replies,
  so no event is handled twice, across restarts too;
- replies go through the outbox and are sent with a transaction id derived from the outbox row, so a
  resend after a crash is de-duplicated by the homeserver;
- one failing event is logged with its id and the loop goes on; an unreachable homeserver is retried
  with growing backoff and one log line per attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

from aiohttp import ClientError
from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinedMembersResponse,
    JoinError,
    JoinResponse,
    LocalProtocolError,
    LoginResponse,
    LogoutError,
    MegolmEvent,
    OlmTrustError,
    RoomCreateResponse,
    RoomGetEventResponse,
    RoomMessagesError,
    RoomResolveAliasError,
    RoomSendError,
    RoomSendResponse,
    SyncError,
    SyncResponse,
    WhoamiResponse,
)
from nio.api import MessageDirection, RelationshipType, RoomPreset
from nio.store import SqliteStore

from kiwibot.commands.registry import CommandRegistry, Context
from kiwibot.config import Config
from kiwibot.core.effects import Announce, Outcome
from kiwibot.core.errors import StorageUnavailable, UserError
from kiwibot.core.messages import Code, Lines, Msg
from kiwibot.core.model import Session
from kiwibot.core.ports import Clock
from kiwibot.core.reactions import base_emoji
from kiwibot.core.service import Kiwi
from kiwibot.matrix.crypto import Crypto, StoreState, inspect_store, move_aside, server_has_device_keys
from kiwibot.matrix.posts import DIRECT, Posts, reply_relation
from kiwibot.matrix.render import Renderer
from kiwibot.scheduling.wakeups import Wakeups
from kiwibot.storage import Store

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
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
NETWORK_ERRORS = (ClientError, OSError, TimeoutError, asyncio.TimeoutError)


class Backoff:
    """Growing waits between retries (1 s, 2 s, 4 s … 60 s), reset after a success."""

    def __init__(self, first: float = 1.0, cap: float = 60.0) -> None:
        self.first, self.cap, self.attempt = first, cap, 0

    def next(self) -> float:
        self.attempt += 1
        return min(self.cap, self.first * 2 ** (self.attempt - 1))

    def reset(self) -> None:
        self.attempt = 0


@dataclass
class Rooms:
    programme: str | None = None
    digest: str | None = None
    space: str | None = None

    def configured(self) -> set[str]:
        return {room for room in (self.programme, self.digest, self.space) if room}


class MatrixBot:
    def __init__(
        self,
        config: Config,
        store: Store,
        kiwi: Kiwi,
        registry: CommandRegistry,
        renderer: Renderer,
        clock: Clock,
    ) -> None:
        self.config = config
        self.store = store
        self.kiwi = kiwi
        self.registry = registry
        self.renderer = renderer
        self.clock = clock
        self.client = AsyncClient(
            config.homeserver,
            config.user_id,
            config=AsyncClientConfig(
                max_timeouts=0,
                request_timeout=40,
                store_sync_tokens=False,
                encryption_enabled=config.encryption.enabled,
                store=SqliteStore,  # one file per device, trust state included: one thing to back up
            ),
        )
        self.crypto = Crypto(config, self.client)
        self.rooms = Rooms()
        self.posts = Posts(config, self.client, store, kiwi, registry, renderer, clock, self._flush_outbox)
        self._awaited_rooms: set[str] = set()  # rooms we created but sync has not shown yet
        self.reactions = frozenset(_normalise_key(key) for key in config.signup_reactions)
        self.wakeups = Wakeups(
            clock,
            {
                "reminders": (kiwi.next_reminder, self._send_due_reminders),
                "digest": (kiwi.next_digest, self._post_daily_digest),
            },
        )
        self.ready = asyncio.Event()
        self._newest_ts = 0
        self._storage_failed = False
        self._told_storage: set[str] = set()  # "try again later" once per event, not once per retry
        self._retry_events: list[tuple[str, dict[str, Any]]] = []  # refused by the database, tried again
        self._outbox_lock = asyncio.Lock()
        self._sender: asyncio.Task[None] | None = None
        self._gaps: set[str] = set()  # rooms whose missed history could not be read back completely
        self._first_start_ms = 0

    # -- lifecycle ------------------------------------------------------------------------------

    async def run(self) -> None:
        """Log in, join, then sync until cancelled. Never returns on its own."""
        try:
            await self._retry("login", self._login)
            self._first_start_ms = self._first_start()
            await self._retry("joining rooms", self._join_configured_rooms)
            self.posts.room_id = self.rooms.programme
            self.posts.digest_room_id = self.rooms.digest
            await self._retry("checking the programme overview", self.posts.check_overview)
            await self._flush_outbox()
            if not self.store.get_meta("sync_token"):
                # Without a sync position nothing says what happened while we were away: ask every post.
                await self._retry("comparing signups with reactions", self._reconcile_signups)
            self.posts.mark_all_dirty()
            self.posts.start_ticking()
            self.wakeups.start()
            await self._sync_forever()
        finally:
            self.wakeups.shutdown()
            if self._sender is not None:
                self._sender.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._sender
            await self.posts.stop()
            await self.client.close()

    async def _retry(self, what: str, step: Any) -> None:
        backoff = Backoff()
        while True:
            try:
                await step()
                return
            except NETWORK_ERRORS as exc:
                wait = backoff.next()
                log.warning(
                    "homeserver %s unreachable while %s (%s); attempt %d, next try in %.0f s",
                    self.config.homeserver,
                    what,
                    type(exc).__name__,
                    backoff.attempt,
                    wait,
                )
                await asyncio.sleep(wait)

    def _first_start(self) -> int:
        """Events older than the bot's very first start belong to history, not to us."""
        stored = self.store.get_meta("first_start_ms")
        if stored is None:
            stored = str(int(time.time() * 1000))
            self.store.set_meta("first_start_ms", stored)
        return int(stored)

    async def _login(self) -> None:
        user_id = self.config.user_id
        device_id = self.store.get_meta("device_id")
        token = self.config.access_token or self.store.get_meta("access_token")
        if token:
            # Not restore_login(): with encryption it would open a crypto store before we know the device.
            self.client.user_id, self.client.device_id, self.client.access_token = user_id, device_id or "", token
            who = await self.client.whoami()
            if isinstance(who, WhoamiResponse):
                if who.device_id and who.device_id != device_id:
                    self.store.set_meta("device_id", who.device_id)
                    self.client.device_id = who.device_id
                log.info("logged in as %s (device %s, stored token)", who.user_id, self.client.device_id)
                await self._open_crypto(fresh_device=not device_id)
                return
            if self.config.access_token:
                raise SystemExit(f"the configured access token was refused: {who.message}")
            log.warning("stored access token no longer valid (%s); logging in again", who.message)
            self.client.access_token = ""
        if not self.config.password:
            raise SystemExit("no valid access token and no password configured: cannot log in")
        if device_id:
            self.client.device_id = device_id  # reuse the device: no new device per start
        response = await self.client.login(self.config.password, device_name=self.config.device_name)
        if not isinstance(response, LoginResponse):
            raise SystemExit(f"login as {user_id} failed: {response.message}")
        with self.store.transaction():
            self.store.set_meta("access_token", response.access_token)
            self.store.set_meta("device_id", response.device_id)
        log.info("logged in as %s (device %s)", response.user_id, response.device_id)
        await self._open_crypto(fresh_device=response.device_id != device_id)

    # -- encryption -----------------------------------------------------------------------------

    async def _open_crypto(self, fresh_device: bool) -> None:
        """Open the crypto store of the logged-in device; a lost one is said loudly and never crash-loops."""
        if not self.config.encryption.enabled or self.crypto.active:
            return
        device_id = self.client.device_id or ""
        state, line = inspect_store(self.config, device_id)
        if state is StoreState.CORRUPT or (
            state is StoreState.MISSING
            and not fresh_device
            and await server_has_device_keys(self.client, self.config.user_id, device_id)
        ):
            if not await self._replace_lost_device(state, line):
                return
        elif state is StoreState.MISSING:
            log.info("creating the crypto store for device %s", device_id)
        try:
            self.crypto.load()
        except Exception:
            log.exception("cannot open the crypto store: running WITHOUT encryption (see README, 'Encryption')")
            self.client.olm, self.client.store = None, None
            return
        await self.crypto.upkeep()

    async def _replace_lost_device(self, state: StoreState, line: str) -> bool:
        """The device's keys are gone: continue as a new device if we can, else run unencrypted. False: no crypto."""
        old = self.client.device_id or ""
        log.error(
            "ENCRYPTION: %s. Messages encrypted for device %s can no longer be read. Recovery: README, 'Encryption'.",
            line,
            old,
        )
        if state is StoreState.CORRUPT:
            log.error("the damaged crypto store was moved aside to %s", move_aside(self.config, old))
        if self.config.access_token or not self.config.password:
            log.error(
                "ENCRYPTION OFF for this run: a new device needs a password login (the configured access token "
                "belongs to device %s). Encrypted rooms are not read until this is fixed.",
                old,
            )
            return False
        logout = await self.client.logout()  # removes the old device and its published keys
        if isinstance(logout, LogoutError):
            log.warning("could not remove the old device %s: %s", old, logout.message)
        self.client.device_id, self.client.access_token = "", ""
        response = await self.client.login(self.config.password, device_name=self.config.device_name)
        if not isinstance(response, LoginResponse):
            raise SystemExit(f"login as {self.config.user_id} failed: {response.message}")
        with self.store.transaction():
            self.store.set_meta("access_token", response.access_token)
            self.store.set_meta("device_id", response.device_id)
        log.error("ENCRYPTION: continuing as the new device %s (old device %s removed)", response.device_id, old)
        return True

    async def _join_configured_rooms(self) -> None:
        wanted = {"programme": self.config.rooms.programme, "digest": self.config.rooms.digest}
        if self.config.access.space:
            wanted["space"] = self.config.access.space
        for role, room in wanted.items():
            room_id = await self._resolve(room)
            if room_id is None:
                continue
            setattr(self.rooms, role, room_id)
            if room_id in self.client.rooms:
                continue
            response = await self.client.join(room_id)
            if isinstance(response, JoinError):
                log.error("cannot join the %s room %s: %s (invite the bot there)", role, room, response.message)
            else:
                log.info("joined the %s room %s", role, room)
        await self._refresh_space()

    async def _refresh_space(self) -> None:
        """Space members are network members; re-read whenever the space's membership changes."""
        if self.rooms.space is None:
            return
        response = await self.client.joined_members(self.rooms.space)
        if isinstance(response, JoinedMembersResponse):
            self.kiwi.space_members = frozenset(member.user_id for member in response.members)
            log.info("the network space has %d members", len(self.kiwi.space_members))
        else:
            log.error("cannot read the members of the space %s: %s", self.config.access.space, response.message)

    async def _resolve(self, room: str) -> str | None:
        if not room.startswith("#"):
            return room
        response = await self.client.room_resolve_alias(room)
        if isinstance(response, RoomResolveAliasError):
            log.error("room alias %s cannot be resolved: %s", room, response.message)
            return None
        return response.room_id

    # -- sync -----------------------------------------------------------------------------------

    async def _sync_forever(self) -> None:
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
                    self.config.homeserver,
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
                    self.store.set_meta("access_token", "")
                    await self._retry("login", self._login)
                await asyncio.sleep(wait)
                continue
            if down_since is not None:
                log.info("homeserver reachable again after %.0f s", time.monotonic() - down_since)
                down_since = None
            backoff.reset()
            assert isinstance(response, SyncResponse)
            self._storage_failed = False
            await self._retry_waiting_events()
            await self._handle_sync(response, had_token=token is not None)
            await self._handle_decrypted_late()
            # The stored position only moves once nothing waits for the database: after a crash the bot
            # replays from there (handled ids keep what did succeed from running twice).
            self._save_position(response.next_batch)
            token, first = response.next_batch, False
            self.ready.set()
            # Keys after the events (the keys they need came with the sync itself), before sending: an
            # encrypted reply needs the new devices' sessions claimed.
            await self._guard("encryption keys", self.crypto.upkeep())
            self._send_soon()

    async def _retry_waiting_events(self) -> None:
        waiting, self._retry_events = self._retry_events, []
        for room_id, event in waiting:
            if not await self._guard(f"event {event.get('event_id')} (again)", self._on_event(room_id, event)):
                self._retry_events.append((room_id, event))
        if waiting and not self._retry_events:
            log.info("database available again: %d waiting events handled", len(waiting))

    async def _handle_decrypted_late(self) -> None:
        """Events that could not be decrypted before and can now (their keys arrived)."""
        for room_id, event in self.crypto.retry():
            if not await self._guard(f"event {event.get('event_id')} (decrypted late)", self._on_event(room_id, event)):
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
            await self._guard("space membership", self._refresh_space())
        for room_id, info in response.rooms.invite.items():
            await self._guard(f"invite to {room_id}", self._on_invite(room_id, info.invite_state))
        for room_id, info in response.rooms.join.items():
            events = await self._readable(room_id, info.timeline.events)
            if had_token and info.timeline.limited and info.timeline.prev_batch:
                events = await self._backfill(room_id, info.timeline.prev_batch, events) + events
            for event in events:
                if not await self._guard(f"event {event.get('event_id')}", self._on_event(room_id, event)):
                    self._retry_events.append((room_id, event))
        if self._gaps:
            await self._repair_gaps()

    async def _repair_gaps(self) -> None:
        """More was missed than can be read back: the reactions on the posts there are the truth.

        Until this succeeds the sync position is not saved, so a restart finds the same gap again.
        """
        rooms = set(self._gaps)
        log.warning("the history of %s could not be read back completely; comparing signups with reactions", rooms)
        try:
            await self._reconcile_signups(rooms)
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

    async def _reconcile_signups(self, rooms: set[str] | None = None) -> None:
        """The reactions on upcoming news posts are the truth for reaction signups (in `rooms`, or all).

        Repairs what sync could not tell us (a lost sync token, a gap longer than we read back). The posts'
        reactions are read a few at a time; the repairs are applied in date order.
        """
        sessions = [
            s
            for s in self.store.upcoming(self.clock.now(), limit=100_000)
            if s.news_room and s.news_event and (rooms is None or s.news_room in rooms)
        ]
        for first in range(0, len(sessions), RELATIONS_AT_ONCE):
            batch = sessions[first : first + RELATIONS_AT_ONCE]
            found = await asyncio.gather(*(self._signup_reactions(s) for s in batch))
            for session, present in zip(batch, found, strict=True):
                if present is not None:
                    self._repair(session, present)
        await self._flush_outbox()

    async def _signup_reactions(self, session: Session) -> dict[str, str] | None:
        """Signup reactions on a session's news post (event id → sender); None if they cannot be read."""
        assert session.news_room and session.news_event
        present: dict[str, str] = {}
        unreadable = 0
        # Encrypted reactions are of type m.room.encrypted: with encryption, ask for all annotations.
        only = None if self.crypto.active else "m.reaction"
        try:
            async for event in self.client.room_get_event_relations(
                session.news_room, session.news_event, RelationshipType.annotation, only, limit=500
            ):
                source = self.crypto.decrypt(session.news_room, event)
                if source is None:
                    unreadable += 1
                    continue
                if source.get("type") != "m.reaction":
                    continue
                relates = (source.get("content") or {}).get("m.relates_to") or {}
                if source.get("sender") != self.client.user_id and _normalise_key(relates.get("key")) in self.reactions:
                    present[str(source["event_id"])] = str(source["sender"])
        except AttributeError:  # nio gives up on an error response without next_batch
            log.warning("cannot read the reactions on the post of session %d; keeping stored signups", session.id)
            return None
        if unreadable:
            log.warning(
                "session %d: %d reactions on its post cannot be decrypted; keeping stored signups",
                session.id,
                unreadable,
            )
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

    # -- scheduled work -------------------------------------------------------------------------

    async def _send_due_reminders(self) -> None:
        with self.store.transaction():
            self.posts.apply(self.kiwi.due_reminders())
        await self._flush_outbox()

    async def _post_daily_digest(self) -> None:
        with self.store.transaction():
            self.posts.apply(self.kiwi.daily_digest())
        await self._flush_outbox()

    def _apply(self, effects: tuple[Any, ...]) -> None:
        """Carry out a use case's effects; a change to sessions may move the next wake-up."""
        self.posts.apply(effects)
        if effects and self.wakeups.scheduler.running:
            self.wakeups.poke()

    async def _guard(self, what: str, step: Any) -> bool:
        """One bad event must never end the sync loop. False: the database refused, try the event again."""
        try:
            await step
        except asyncio.CancelledError:
            raise
        except StorageUnavailable as exc:
            self._storage_failed = True
            log.error("database unavailable while handling %s (will retry): %s", what, exc)
            return False
        except NETWORK_ERRORS as exc:
            log.warning("network error while handling %s: %s", what, type(exc).__name__)
        except Exception:
            log.exception("failed to handle %s", what)
        return True

    async def _on_invite(self, room_id: str, invite_state: Iterable[Any]) -> None:
        inviter = None
        direct = False
        for event in invite_state:
            # nio pops `content` out of the source of invite-state events: read its attributes instead.
            if (
                getattr(event, "state_key", None) == self.client.user_id
                and getattr(event, "membership", "") == "invite"
            ):
                inviter = getattr(event, "sender", None)
                direct = bool((getattr(event, "content", None) or {}).get("is_direct"))
        if room_id in self.rooms.configured() or (inviter and self.kiwi.may_invite(inviter)):
            response = await self.client.join(room_id)
            log.info("accepted the invite of %s to %s: %s", inviter, room_id, type(response).__name__)
            if direct and inviter and isinstance(response, JoinResponse) and not self.store.direct_room(inviter):
                self.store.set_direct_room(inviter, room_id)
        else:
            await self.client.room_leave(room_id)
            log.warning("rejected the invite of %s to %s: not a member of the network", inviter, room_id)

    async def _on_event(self, room_id: str, event: dict[str, Any]) -> None:
        if event.get("sender") == self.client.user_id:
            return
        ts = int(event.get("origin_server_ts", 0))
        if ts < self._first_start_ms:
            return
        self._newest_ts = max(self._newest_ts, ts)
        kind = event.get("type")
        if kind == "m.room.message":
            await self._on_message(room_id, event)
        elif kind == "m.reaction":
            await self._on_reaction(event)
        elif kind == "m.room.redaction":
            await self._on_redaction(event)

    # -- signups by reaction --------------------------------------------------------------------

    async def _on_reaction(self, event: dict[str, Any]) -> None:
        relates = (event.get("content") or {}).get("m.relates_to") or {}
        if relates.get("rel_type") != "m.annotation" or _normalise_key(relates.get("key")) not in self.reactions:
            return
        session = self.store.session_by_news(str(relates.get("event_id")))
        event_id, sender = str(event["event_id"]), str(event["sender"])
        if session is None or self.store.is_handled(event_id) or self.store.is_withdrawn(event_id):
            return
        if not self.kiwi.is_member(sender):
            log.info("reaction %s of %s not counted: not a network member", event_id, sender)
            return
        with self.store.transaction():
            self.store.mark_handled(event_id, self.clock.now())
            outcome = self.kiwi.sign_up(sender, session.id, event_id, "reaction")
            self._apply(outcome.effects)
        self._send_soon()

    async def _on_redaction(self, event: dict[str, Any]) -> None:
        redacts = (event.get("content") or {}).get("redacts") or event.get("redacts")
        if not redacts or self.store.is_handled(str(event["event_id"])):
            return
        redacts = str(redacts)
        if redacts == self.store.get_meta("overview_event"):
            self.posts.overview_deleted(redacts)
        deleted_post = self.store.session_by_news(redacts)
        if deleted_post is not None:
            self.posts.news_deleted(deleted_post)
        with self.store.transaction():
            self.store.mark_handled(str(event["event_id"]), self.clock.now())
            outcome = self.kiwi.withdraw_reaction(redacts)
            self._apply(outcome.effects)
        self._send_soon()

    # -- commands -------------------------------------------------------------------------------

    async def _on_message(self, room_id: str, event: dict[str, Any]) -> None:
        content = event.get("content") or {}
        relates = content.get("m.relates_to") or {}
        if relates.get("rel_type") == "m.replace":
            await self._on_edit(room_id, event)
            return
        if content.get("msgtype") != "m.text":
            return  # notices come from bots
        body = content.get("body")
        if not isinstance(body, str):
            return
        invocation = self.registry.match(_strip_reply_fallback(body, relates))
        if invocation is None:
            return
        event_id = str(event["event_id"])
        if self.store.is_handled(event_id):
            return
        await self._run_command(room_id, event, invocation, event_id)

    async def _on_edit(self, room_id: str, event: dict[str, Any]) -> None:
        """An edited message: a failed command (or chat turned into a command) runs with the new text; a
        command that succeeded is never run again, its author hears once that edits are not applied."""
        replaced = _replaced(event.get("content") or {})
        if replaced is None:
            return
        original_id, new = replaced
        body = new.get("body")
        invocation = None
        if new.get("msgtype") == "m.text" and isinstance(body, str):
            invocation = self.registry.match(_strip_reply_fallback(body, {"m.in_reply_to": {}}))
        record = self.store.command(original_id)
        event_id, sender = str(event["event_id"]), str(event["sender"])
        if (record is None and invocation is None) or self.store.is_handled(event_id):
            return  # chat edited into chat: the common case, decided without asking the homeserver
        if record is not None:
            if record.sender != sender:
                return  # only the author's own edits count (as in every client)
            thread_root = record.thread_root
            state = Original.NOTED if record.edit_noted else Original.SUCCEEDED if record.succeeded else Original.FAILED
        else:
            original = await self._fetch_event(room_id, original_id)
            if original is None or original.get("sender") != sender:
                log.info("edit %s ignored: its original %s is unreadable or not by %s", event_id, original_id, sender)
                return
            thread_root = _thread_root((original.get("content") or {}).get("m.relates_to") or {})
            # Handled but without a record: a command from before the record existed; take it as succeeded.
            state = Original.SUCCEEDED if self.store.is_handled(original_id) else Original.NO_COMMAND
        action = classify_edit(state, edit_is_command=invocation is not None)
        if action is EditAction.IGNORE:
            return
        # Answers go to the original (clients show it with the edited text), in its thread.
        thread = {"rel_type": "m.thread", "event_id": thread_root} if thread_root else {}
        target = {"event_id": original_id, "sender": sender, "content": {**new, "m.relates_to": thread}}
        if action is EditAction.RUN:
            assert invocation is not None
            await self._run_command(room_id, target, invocation, event_id)
            return
        now, language = self.clock.now(), self.kiwi.language_of(sender)
        note = Msg.of("edited.done")
        if record is not None and record.session_id is not None:
            change = Code(f"{self.registry.named('edit', language)} {record.session_id}")
            note = Msg.of("edited.session", number=record.session_id, usage=change)
        with self.store.transaction():
            if not self.store.mark_handled(event_id, now):
                return
            if record is None:
                self.store.record_command(original_id, room_id, sender, thread_root, True, None, now)
            self.store.note_edit(original_id)
            self._enqueue_reply(room_id, target, note, language)
        self._send_soon()

    async def _fetch_event(self, room_id: str, event_id: str) -> dict[str, Any] | None:
        """One event's readable source from the homeserver; None if it is gone or stays encrypted."""
        response = await self.client.room_get_event(room_id, event_id)
        if not isinstance(response, RoomGetEventResponse):
            log.warning("cannot read event %s in %s: %s", event_id, room_id, getattr(response, "message", response))
            return None
        return self.crypto.decrypt(room_id, response.event)

    async def _run_command(self, room_id: str, command: dict[str, Any], invocation: Any, handled_id: str) -> None:
        """Run a command once: `handled_id` (the command's event, or the edit that carried it) is marked handled
        and the outcome recorded under the command's event id in the transaction that queues the answer."""
        event_id = str(command["event_id"])  # answers reply to it; offers remember it as their origin
        sender = str(command["sender"])
        thread_root = _thread_root((command.get("content") or {}).get("m.relates_to") or {})
        now = self.clock.now()

        def record(succeeded: bool, session_id: int | None = None) -> None:
            self.store.record_command(event_id, room_id, sender, thread_root, succeeded, session_id, now)

        admitted = self.kiwi.admit(sender)
        if admitted is not True:
            with self.store.transaction():
                self.store.mark_handled(handled_id, now)
                record(False)
                if admitted is not None and admitted is not False:
                    self._enqueue_reply(room_id, command, admitted, self.kiwi.language_of(sender))
            if admitted is None:
                log.info("command %s of %s not answered (limit or non-member already told today)", handled_id, sender)
            self._send_soon()
            return
        try:
            with self.store.transaction():
                if not self.store.mark_handled(handled_id, now):
                    return
                reply = self._dispatch(invocation, room_id, command)
                session_id = None
                if isinstance(reply, Outcome):
                    self._apply(reply.effects)
                    session_id = next((e.session_id for e in reply.effects if isinstance(e, Announce)), None)
                    reply = reply.reply
                record(True, session_id)
                if reply is not None:
                    self._enqueue_reply(room_id, command, reply, self.kiwi.language_of(sender))
        except UserError as err:
            with self.store.transaction():
                self.store.mark_handled(handled_id, now)
                record(False)
                self._enqueue_reply(room_id, command, _error_message(err), self.kiwi.language_of(sender))
        except StorageUnavailable:
            if handled_id not in self._told_storage:
                self._told_storage.add(handled_id)
                await self._send_now(room_id, command, Msg.of("error.storage"), self.kiwi.language_of(sender))
            raise
        except Exception:
            ref = secrets.token_hex(4)
            log.exception("command in event %s failed (ref %s)", handled_id, ref)
            with self.store.transaction():
                self.store.mark_handled(handled_id, now)
                record(False)
                self._enqueue_reply(room_id, command, Msg.of("error.internal", ref=ref), self.kiwi.language_of(sender))
        self._send_soon()

    def _dispatch(self, invocation: Any, room_id: str, event: dict[str, Any]) -> Any:
        sender = str(event["sender"])
        content = event.get("content") or {}
        language = self.kiwi.language_of(sender)
        html = content.get("formatted_body") if content.get("format") == "org.matrix.custom.html" else None
        html = html if isinstance(html, str) else None
        command = invocation.command
        if command is None:
            help_code = self.registry.help_code(language)
            closest = self.registry.closest(invocation.word)
            if closest:
                raise UserError(
                    "error.unknown_command",
                    command=Code(self.registry.prefix + invocation.word),
                    suggestion=Code(self.registry.prefix + closest),
                    help=help_code,
                )
            raise UserError(
                "error.unknown_command_plain", command=Code(self.registry.prefix + invocation.word), help=help_code
            )
        ctx = Context(
            kiwi=self.kiwi,
            registry=self.registry,
            sender=sender,
            room_id=room_id,
            language=language,
            now=self.clock.now(),
            is_direct=room_id not in (self.rooms.programme, self.rooms.digest),
            html=html,
            event_id=str(event["event_id"]),
            named_users=_named_users(html),
        )
        args = self.registry.parse_args(command, invocation.text, language)
        return command.handler(ctx, *args)

    def _reply_content(self, event: dict[str, Any], message: Any, language: str) -> dict[str, Any]:
        content = self.renderer.render(message, language).content()
        relates = (event.get("content") or {}).get("m.relates_to") or {}
        content["m.relates_to"] = reply_relation(str(event["event_id"]), _thread_root(relates))
        return content

    def _enqueue_reply(self, room_id: str, event: dict[str, Any], message: Any, language: str) -> None:
        self.store.enqueue(room_id, self._reply_content(event, message, language), at=self.clock.now())

    async def _send_now(self, room_id: str, event: dict[str, Any], message: Any, language: str) -> None:
        """Only for when the database itself fails: a best-effort reply that bypasses the outbox."""
        try:
            await self._room_send(room_id, "m.room.message", self._reply_content(event, message, language))
        except (*NETWORK_ERRORS, LocalProtocolError, OlmTrustError, RoomNotReady) as exc:
            log.warning("could not tell %s that the database is unavailable: %s", event.get("sender"), exc)

    # -- outbox ---------------------------------------------------------------------------------

    def _send_soon(self) -> None:
        """Send what was queued in the background: the next event never waits for the homeserver's answers
        (nor behind a batch of post edits). A running flush loops until the outbox is empty, so it also
        takes what was just queued."""
        if self._sender is None or self._sender.done():
            self._sender = asyncio.get_running_loop().create_task(self._flush_outbox(), name="kiwibot-outbox")
            self._sender.add_done_callback(_log_sender_end)

    async def _flush_outbox(self) -> None:
        """Send queued messages in order; stop at a network error and try again after the next sync."""
        try:
            await self._flush_outbox_now()
        except StorageUnavailable as exc:
            # A message sent but not marked is sent again later with the same transaction id: no duplicate.
            log.error("database unavailable while sending queued messages (will retry): %s", exc)

    async def _flush_outbox_now(self) -> None:
        async with self._outbox_lock:
            while items := self.store.pending_outbox():
                for item in items:
                    room_id = item.room_id
                    try:
                        if room_id.startswith(DIRECT):
                            room_id = await self._direct_room(room_id.removeprefix(DIRECT))
                        response = await self._room_send(room_id, item.event_type, item.content, tx_id=item.txn_id)
                    except NETWORK_ERRORS as exc:
                        log.warning("sending message %d postponed: %s", item.id, type(exc).__name__)
                        return
                    except RoomNotReady:
                        return  # a room we just created: sent after the sync that shows it to nio
                    except (DirectRoomError, LocalProtocolError, OlmTrustError) as exc:
                        response = RoomSendError(str(exc) or type(exc).__name__, "M_UNKNOWN")
                    with self.store.transaction():
                        if isinstance(response, RoomSendResponse):
                            self.store.outbox_sent(item.id, response.event_id)
                            self.posts.on_sent(item, response.event_id)
                        else:
                            log.error("message %d to %s refused: %s", item.id, room_id, response.message)
                            self.store.outbox_failed(item.id, f"{response.status_code} {response.message}")
                            self.posts.on_failed(item)

    async def _room_send(
        self, room_id: str, event_type: str, content: dict[str, Any], tx_id: str | None = None
    ) -> RoomSendResponse | RoomSendError:
        """room_send, encrypted where the room is, under the configured trust policy."""
        if not self.crypto.active:
            return await self.client.room_send(room_id, event_type, content, tx_id=tx_id)
        if room_id in self.client.rooms:
            self._awaited_rooms.discard(room_id)
        else:
            if room_id in self._awaited_rooms or not self.ready.is_set():
                raise RoomNotReady(room_id)  # nio learns the rooms from the first (full) sync
            raise LocalProtocolError(f"the bot is not in room {room_id}")
        for attempt in (1, 2):
            try:
                return await self.client.room_send(
                    room_id, event_type, content, tx_id=tx_id, ignore_unverified_devices=self.crypto.ignore_unverified
                )
            except OlmTrustError:
                if attempt == 2:
                    raise
                self.crypto.apply_trust()  # a device nio learnt of while sending: tofu trusts it now
            except NETWORK_ERRORS:
                # nio marks "sharing the room key" before it may fail; unmark it or every later send waits forever.
                waiting = self.client.sharing_session.pop(room_id, None)
                if waiting is not None:
                    waiting.set()
                raise
        raise AssertionError("unreachable")

    async def _direct_room(self, user_id: str) -> str:
        """The person's direct chat with the bot: the one they opened or the bot created, else a new one."""
        room_id = self.store.direct_room(user_id)
        if room_id:
            return room_id
        # Opened unencrypted, as before, so every client can read it; a person who wants it encrypted opens the
        # direct chat themselves (Element does by default) and the bot uses that one.
        response = await self.client.room_create(
            is_direct=True, invite=[user_id], preset=RoomPreset.trusted_private_chat, name="KIWI"
        )
        if not isinstance(response, RoomCreateResponse):
            raise DirectRoomError(f"cannot open a direct chat with {user_id}: {response.message}")
        if self.crypto.active:
            self._awaited_rooms.add(response.room_id)
        self.store.set_direct_room(user_id, response.room_id)
        log.info("opened a direct chat with %s: %s", user_id, response.room_id)
        return response.room_id


class DirectRoomError(Exception):
    pass


class RoomNotReady(Exception):
    """nio has not seen the room in a sync yet, so it cannot know its members to encrypt for."""


def _log_sender_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("sending queued messages failed (the next event or sync tries again)", exc_info=task.exception())


def _normalise_key(key: object) -> str:
    """Clients differ in sending 👍 with or without the variation selector, and in a skin tone or none."""
    return base_emoji(key)


class _Pills(HTMLParser):
    """The users a message's HTML links to (pills), outside the quoted reply (<mx-reply>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.users: list[str] = []
        self._quoted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mx-reply":
            self._quoted += 1  # an unclosed one hides the rest: better nobody than the replied-to sender
        elif tag == "a" and not self._quoted:
            user = _linked_user(dict(attrs).get("href") or "")
            if user and user not in self.users:
                self.users.append(user)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mx-reply" and self._quoted:
            self._quoted -= 1


def _linked_user(href: str) -> str | None:
    """The user id of a matrix.to or matrix: link to a user; None for rooms, events and other links."""
    if href.startswith("https://matrix.to/#/"):
        target = unquote(href.removeprefix("https://matrix.to/#/").split("?")[0].split("/")[0])
    elif href.startswith("matrix:u/"):
        target = "@" + unquote(href.removeprefix("matrix:u/").split("?")[0])
    else:
        return None
    return target if target.startswith("@") and ":" in target else None


def _named_users(html: str | None) -> tuple[str, ...]:
    """The people a command's text names by pill, in order. Deliberately not its m.mentions: a reply lists
    the replied-to message's sender there (Element does), who is not the person the command is about."""
    if not html:
        return ()
    parser = _Pills()
    parser.feed(html)
    parser.close()
    return tuple(parser.users)


def _strip_reply_fallback(body: str, relates: dict[str, Any]) -> str:
    """Older clients quote the replied-to message as '> ' lines before the text."""
    if "m.in_reply_to" not in relates or not body.startswith("> "):
        return body
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")


def _thread_root(relates: dict[str, Any]) -> str | None:
    root = relates.get("event_id")
    return root if relates.get("rel_type") == "m.thread" and isinstance(root, str) and root else None


def _replaced(content: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(the original's event id, its new content) of an edit (m.replace); None for anything else."""
    relates = content.get("m.relates_to") or {}
    original, new = relates.get("event_id"), content.get("m.new_content")
    if relates.get("rel_type") != "m.replace" or not isinstance(original, str) or not isinstance(new, dict):
        return None
    return original, new


class Original(Enum):
    """What became of the message an edit changes."""

    NO_COMMAND = "no command"
    FAILED = "failed"  # answered with an error (or refused)
    SUCCEEDED = "succeeded"
    NOTED = "succeeded, an edit was answered"


class EditAction(Enum):
    IGNORE = "ignore"
    RUN = "run"  # the edited text is a new command
    NOTE = "note"  # say once that edits are not applied


def classify_edit(original: Original, *, edit_is_command: bool) -> EditAction:
    """A succeeded command never runs twice; a failed one (or chat) may be corrected by editing it."""
    if original is Original.SUCCEEDED:
        return EditAction.NOTE
    if original is Original.NOTED or not edit_is_command:
        return EditAction.IGNORE
    return EditAction.RUN


def _error_message(err: UserError) -> Msg | Lines:
    if err.problems:
        return Lines((Msg(err.key, err.params), *(Msg(p.key, p.params) for p in err.problems)))
    return Msg(err.key, err.params)
