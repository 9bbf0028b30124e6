"""Sending what the outbox holds: each conversation in order, conversations side by side, a transaction id per row.

A message is queued in the transaction that decided it and sent afterwards with a transaction id derived
from its outbox row, so a resend after a crash is de-duplicated by the homeserver. Rows are sent in lanes
(`lanes.py`): one conversation's messages one after another, several conversations at once. A network error
stops the flush (what was not sent stays queued); the next event or sync tries again. A rate-limit answer
pauses and narrows the lanes and sends the same row again. Outbox rows addressed to `dm:@user` go to the
person's direct chat, which is found or opened when the message is sent; while it cannot be told whether the
person can decrypt (`KeysUnknown`), that chat is not opened and their messages wait for a later flush.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, deque
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from nio import (
    AsyncClient,
    LocalProtocolError,
    OlmTrustError,
    RoomCreateResponse,
    RoomGetStateEventResponse,
    RoomSendError,
    RoomSendResponse,
)
from nio.api import RoomPreset
from nio.event_builders import EnableEncryptionBuilder

from kiwibot.core.effects import Confirmation, NewsPost
from kiwibot.core.errors import StorageUnavailable
from kiwibot.matrix.crypto import Crypto
from kiwibot.matrix.direct_encryption import DirectEncryption
from kiwibot.matrix.key_queries import Keys
from kiwibot.matrix.lanes import DIRECT, Pace, is_limited, lane_of, looked_up
from kiwibot.matrix.network import NETWORK_ERRORS
from kiwibot.matrix.uploads import UploadRefused, with_upload
from kiwibot.storage import OutboxItem, Store
from kiwibot.tasks import spawn

log = logging.getLogger(__name__)

__all__ = ["DIRECT", "DirectRoomError", "KeysUnknown", "Outbox", "Receipts", "RoomNotReady"]

READ_AHEAD = 500  # queued rows read into lanes at most, beyond those on their way


class Receipts(Protocol):
    """Told about each queued message once the homeserver answered, inside the transaction that marks it."""

    def on_sent(self, item: OutboxItem, event_id: str) -> None: ...

    def on_failed(self, item: OutboxItem) -> None: ...


class DirectRoomError(Exception):
    pass


class RoomNotReady(Exception):
    """nio has not seen the room in a sync yet, so it cannot know its members to encrypt for."""


class KeysUnknown(Exception):
    """Whether the person can decrypt cannot be told now (the keys query failed): their direct chat waits."""


@dataclass
class _Flush:
    """One flush's lanes: their queued rows, the lanes on their way, what stopped."""

    lanes: dict[str, deque[OutboxItem]] = field(default_factory=dict)
    running: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)  # lanes waiting for a room nio has not seen yet
    read_up_to: int = 0  # the last row read into a lane
    stopped: bool = False  # the network is gone: no new sends, the rest waits for the next flush
    error: BaseException | None = None
    freed: asyncio.Event = field(default_factory=asyncio.Event)
    answers: Counter[int] = field(default_factory=Counter)  # sessions whose offer answer is not sent yet

    def queued(self) -> int:
        return sum(len(rows) for rows in self.lanes.values())

    def held(self, lane: str) -> bool:
        """A news post waits while its offer's answer, queued before it, is not sent: the two would race to
        the member's client, and the answer is what the member is waiting for (#15, B6)."""
        match self.lanes[lane][0].purpose:
            case NewsPost(session):
                return self.answers[session] > 0
        return False

    def done(self, item: OutboxItem) -> None:
        """A row left its lane (sent, refused or put back for later): a post it held may go."""
        match item.purpose:
            case Confirmation(session) if session is not None and self.answers[session] > 0:
                self.answers[session] -= 1
                self.freed.set()


class Outbox:
    def __init__(
        self,
        client: AsyncClient,
        store: Store,
        crypto: Crypto,
        synced: asyncio.Event,
        receipts: Receipts,
        pace: Pace | None = None,
    ) -> None:
        """`synced` is set after the first sync: only then does nio know the rooms it must encrypt for."""
        self.client = client
        self.store = store
        self.crypto = crypto
        self.synced = synced
        self.receipts = receipts
        self.pace = pace or Pace()
        self._lock = asyncio.Lock()
        self._sender: asyncio.Task[None] | None = None
        self._stopped = False  # at shutdown: the store closes next, nothing may be sent from it any more
        self._awaited_rooms: set[str] = set()  # rooms we created but sync has not shown yet
        self.direct_encryption = DirectEncryption(client, crypto)  # an unencrypted direct chat, once they can decrypt
        # nio itself waits and sends again on a 429 (same transaction id); it tells us first, to slow down.
        client.add_response_callback(self._limited, RoomSendError)

    def send_soon(self) -> None:
        """Send what was queued in the background: the next event never waits for the homeserver's answers
        (nor behind a batch of post edits). A running flush loops until the outbox is empty, so it also
        takes what was just queued."""
        if self._stopped:
            return
        if self._sender is None or self._sender.done():
            self._sender = spawn(
                self.flush(),
                name="kiwibot-outbox",
                log=log,
                failed="sending queued messages failed (the next event or sync tries again)",
            )

    async def flush(self) -> None:
        """Send queued messages, each conversation in order; stop at a network error and try again after the
        next sync."""
        if self._stopped:
            return
        try:
            await self._flush_now()
        except StorageUnavailable as exc:
            # A message sent but not marked is sent again later with the same transaction id: no duplicate.
            log.error("database unavailable while sending queued messages (will retry): %s", exc)

    async def stop(self) -> None:
        """Cancel a background flush, and send nothing after it; what was not sent stays queued for the next
        start."""
        self._stopped = True
        if self._sender is not None:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender

    async def _flush_now(self) -> None:
        async with self._lock:
            flush = _Flush()
            try:
                while True:
                    if not flush.stopped:
                        self._read(flush)
                        self._start_lanes(flush)
                    if not flush.running:
                        break
                    flush.freed.clear()
                    await flush.freed.wait()
            finally:
                for task in flush.running.values():
                    task.cancel()
                await asyncio.gather(*flush.running.values(), return_exceptions=True)
            if flush.error is not None:
                raise flush.error

    def _read(self, flush: _Flush) -> None:
        """Queued rows not read yet, each appended to its conversation's lane."""
        room = READ_AHEAD - flush.queued()
        if room <= 0:
            return
        items = self.store.pending_outbox(limit=room, after=flush.read_up_to)
        if not items:
            return
        flush.read_up_to = items[-1].id
        owners = self.store.outbox_owners(*looked_up(items))
        for item in items:
            lane = lane_of(item, owners)
            if lane not in flush.blocked:
                flush.lanes.setdefault(lane, deque()).append(item)
                match item.purpose:
                    case Confirmation(session) if session is not None:
                        flush.answers[session] += 1

    def _start_lanes(self, flush: _Flush) -> None:
        """Lanes with rows and none on its way start, oldest first, as far as the pace allows."""
        waiting = sorted(
            (rows[0].id, lane)
            for lane, rows in flush.lanes.items()
            if rows and lane not in flush.running and not flush.held(lane)
        )
        for _, lane in waiting[: max(0, self.pace.width - len(flush.running))]:
            task = asyncio.create_task(self._lane(flush, lane), name=f"kiwibot-outbox-lane {lane}")
            flush.running[lane] = task
            task.add_done_callback(partial(self._lane_done, flush, lane))

    @staticmethod
    def _lane_done(flush: _Flush, lane: str, task: asyncio.Task[None]) -> None:
        flush.running.pop(lane, None)
        if not flush.lanes.get(lane):
            flush.lanes.pop(lane, None)
        if not task.cancelled() and task.exception() is not None and flush.error is None:
            flush.error = task.exception()
            flush.stopped = True
        flush.freed.set()

    async def _lane(self, flush: _Flush, lane: str) -> None:
        """The next row of one conversation; a rate-limited row is sent again (same transaction id).

        One row, not the whole lane: then the lane with the oldest waiting row goes next, so everyone's first
        answer goes out before anyone's tenth, and at the end of a backlog all conversations still have rows
        to send side by side instead of a few long ones left over (#15, B8)."""
        rows = flush.lanes[lane]
        while True:
            await self.pace.ready()
            if not rows or flush.stopped:
                return
            item = rows[0]
            room_id = item.room_id
            try:
                if room_id.startswith(DIRECT):
                    room_id = await self._direct_room(room_id.removeprefix(DIRECT))
                if lane.startswith(DIRECT):  # the person's direct chat, also where it is queued by its room id
                    person = lane.removeprefix(DIRECT)
                    if await self.direct_encryption.must_wait(room_id, person):
                        raise RoomNotReady(room_id)
                    await self._with_invitee(room_id, person)
                content = await with_upload(self.client, self.store, item, room_id, self.crypto.active)
                response = await self.room_send(room_id, item.event_type, content, tx_id=item.txn_id)
            except NETWORK_ERRORS as exc:
                log.warning("sending message %d postponed: %s", item.id, type(exc).__name__)
                flush.stopped = True
                return
            except (RoomNotReady, KeysUnknown):
                # A room we just created: sent after the sync that shows it to nio. A person whose devices could
                # not be asked: their chat is opened by a later flush (after the next sync), the rows stay queued.
                flush.blocked.add(lane)
                for row in rows:
                    flush.done(row)
                rows.clear()
                return
            except (DirectRoomError, LocalProtocolError, OlmTrustError, UploadRefused) as exc:
                response = RoomSendError(str(exc) or type(exc).__name__, "M_UNKNOWN")
            if isinstance(response, RoomSendError) and is_limited(response):
                self.pace.limited_for(response.retry_after_ms)
                continue
            rows.popleft()
            self._record(item, room_id, response)
            flush.done(item)
            return

    def _record(self, item: OutboxItem, room_id: str, response: RoomSendResponse | RoomSendError) -> None:
        """Mark the row sent or refused, with what follows from it, in one transaction."""
        with self.store.transaction():
            if isinstance(response, RoomSendResponse):
                self.store.outbox_sent(item.id, response.event_id)
                self.receipts.on_sent(item, response.event_id)
            else:
                log.error("message %d to %s refused: %s", item.id, room_id, response.message)
                self.store.outbox_failed(item.id, f"{response.status_code} {response.message}")
                self.receipts.on_failed(item)
        if isinstance(response, RoomSendResponse):
            self.pace.sent()

    async def _limited(self, response: RoomSendError) -> None:
        """nio's note of a rate-limit answer it is about to wait out and retry."""
        if is_limited(response):
            self.pace.limited_for(response.retry_after_ms)

    async def room_send(
        self, room_id: str, event_type: str, content: dict[str, Any], tx_id: str | None = None
    ) -> RoomSendResponse | RoomSendError:
        """room_send, encrypted where the room is, under the configured trust policy."""
        if not self.crypto.active:
            return await self.client.room_send(room_id, event_type, content, tx_id=tx_id)
        if room_id in self.client.rooms:
            self._awaited_rooms.discard(room_id)
        else:
            if room_id in self._awaited_rooms or not self.synced.is_set():
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
        """The person's direct chat with the bot: the one they opened or the bot created, else a new one.

        A new one is encrypted (megolm from its first event) when the bot does encryption and the person has a
        device that can decrypt; its first message waits for the sync that shows the room (`RoomNotReady`), and
        nio then shares the room key with the invited person's devices. A person whose clients published no
        keys could not read an encrypted chat at all, so theirs is opened unencrypted, with a log line (and
        switched to encryption once they can decrypt: `direct_encryption.py`). When the keys query fails, that
        is not "no keys": nothing is opened (`KeysUnknown`) until it works or has failed for
        `key_queries.GIVE_UP_SECONDS`; then the chat is opened unencrypted, so a person on a dead homeserver
        still gets their messages."""
        room_id = self.store.direct_room(user_id)
        if room_id:
            return room_id
        keys = await self.crypto.keys(user_id) if self.crypto.active else Keys.NONE
        self.direct_encryption.rechecks.asked(user_id, failed=keys is Keys.UNKNOWN)  # not due again at once
        if keys is Keys.UNKNOWN:
            if not self.crypto.failures.given_up(user_id):
                raise KeysUnknown(user_id)  # opened unencrypted on a guess, it would stay so until they can decrypt
            log.warning(
                "the devices of %s could not be asked for %.0f s: opening the direct chat unencrypted so the "
                "messages reach them (encryption is turned on once their keys can be read)",
                user_id,
                self.crypto.failures.failing_for(user_id),
            )
        elif self.crypto.active and keys is Keys.NONE:
            log.warning("%s has no device that can decrypt: opening the direct chat unencrypted", user_id)
        encrypted = keys is Keys.READABLE
        response = await self.client.room_create(
            is_direct=True,
            invite=[user_id],
            preset=RoomPreset.trusted_private_chat,
            name="KIWI",
            initial_state=[EnableEncryptionBuilder().as_dict()] if encrypted else [],
        )
        if not isinstance(response, RoomCreateResponse):
            raise DirectRoomError(f"cannot open a direct chat with {user_id}: {response.message}")
        if self.crypto.active:
            self._awaited_rooms.add(response.room_id)
        self.store.set_direct_room(user_id, response.room_id)
        log.info("opened %s direct chat with %s: %s", "an encrypted" if encrypted else "a", user_id, response.room_id)
        return str(response.room_id)

    async def _with_invitee(self, room_id: str, user_id: str) -> None:
        """Make nio count a person only invited to an encrypted direct chat as a member.

        The sync lazy-loads members, and nio shares a room's key only with the members it knows (`joined_members`
        leaves invitees out): without this, the first messages of a direct chat the bot opened encrypted would go
        to the person's devices without their key, unreadable once they join."""
        room = self.client.rooms.get(room_id)
        if room is None or not room.encrypted or user_id in room.users or self.client.olm is None:
            return
        state = await self.client.room_get_state_event(room_id, "m.room.member", user_id)
        if not isinstance(state, RoomGetStateEventResponse) or state.content.get("membership") != "invite":
            return
        room.add_member(user_id, state.content.get("displayname"), state.content.get("avatar_url"), invited=True)
        await self.crypto.keys(user_id)  # their devices, if nio does not follow them yet (after a restart)
        self.client.invalidate_outbound_session(room_id)  # a key shared before goes to them too
