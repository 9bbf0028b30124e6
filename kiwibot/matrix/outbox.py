"""Sending what the outbox holds: in order, with a transaction id per row, encrypted where the room is.

A message is queued in the transaction that decided it and sent afterwards with a transaction id derived
from its outbox row, so a resend after a crash is de-duplicated by the homeserver. A network error stops
the flush; the next event or sync tries again. Outbox rows addressed to `dm:@user` go to the person's
direct chat, which is found or opened when the message is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Protocol

from nio import (
    AsyncClient,
    LocalProtocolError,
    OlmTrustError,
    RoomCreateResponse,
    RoomSendError,
    RoomSendResponse,
)
from nio.api import RoomPreset

from kiwibot.core.errors import StorageUnavailable
from kiwibot.matrix.crypto import Crypto
from kiwibot.matrix.network import NETWORK_ERRORS
from kiwibot.matrix.uploads import UploadRefused, with_upload
from kiwibot.storage import OutboxItem, Store
from kiwibot.tasks import spawn

log = logging.getLogger(__name__)

DIRECT = "dm:"  # outbox rooms of this form are a person's direct chat, found or created when sending


class Receipts(Protocol):
    """Told about each queued message once the homeserver answered, inside the transaction that marks it."""

    def on_sent(self, item: OutboxItem, event_id: str) -> None: ...

    def on_failed(self, item: OutboxItem) -> None: ...


class DirectRoomError(Exception):
    pass


class RoomNotReady(Exception):
    """nio has not seen the room in a sync yet, so it cannot know its members to encrypt for."""


class Outbox:
    def __init__(
        self, client: AsyncClient, store: Store, crypto: Crypto, synced: asyncio.Event, receipts: Receipts
    ) -> None:
        """`synced` is set after the first sync: only then does nio know the rooms it must encrypt for."""
        self.client = client
        self.store = store
        self.crypto = crypto
        self.synced = synced
        self.receipts = receipts
        self._lock = asyncio.Lock()
        self._sender: asyncio.Task[None] | None = None
        self._awaited_rooms: set[str] = set()  # rooms we created but sync has not shown yet

    def send_soon(self) -> None:
        """Send what was queued in the background: the next event never waits for the homeserver's answers
        (nor behind a batch of post edits). A running flush loops until the outbox is empty, so it also
        takes what was just queued."""
        if self._sender is None or self._sender.done():
            self._sender = spawn(
                self.flush(),
                name="kiwibot-outbox",
                log=log,
                failed="sending queued messages failed (the next event or sync tries again)",
            )

    async def flush(self) -> None:
        """Send queued messages in order; stop at a network error and try again after the next sync."""
        try:
            await self._flush_now()
        except StorageUnavailable as exc:
            # A message sent but not marked is sent again later with the same transaction id: no duplicate.
            log.error("database unavailable while sending queued messages (will retry): %s", exc)

    async def stop(self) -> None:
        """Cancel a background flush; what it did not send stays queued for the next start."""
        if self._sender is not None:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender

    async def _flush_now(self) -> None:
        async with self._lock:
            while items := self.store.pending_outbox():
                for item in items:
                    room_id = item.room_id
                    try:
                        if room_id.startswith(DIRECT):
                            room_id = await self._direct_room(room_id.removeprefix(DIRECT))
                        content = await with_upload(self.client, self.store, item, room_id, self.crypto.active)
                        response = await self.room_send(room_id, item.event_type, content, tx_id=item.txn_id)
                    except NETWORK_ERRORS as exc:
                        log.warning("sending message %d postponed: %s", item.id, type(exc).__name__)
                        return
                    except RoomNotReady:
                        return  # a room we just created: sent after the sync that shows it to nio
                    except (DirectRoomError, LocalProtocolError, OlmTrustError, UploadRefused) as exc:
                        response = RoomSendError(str(exc) or type(exc).__name__, "M_UNKNOWN")
                    with self.store.transaction():
                        if isinstance(response, RoomSendResponse):
                            self.store.outbox_sent(item.id, response.event_id)
                            self.receipts.on_sent(item, response.event_id)
                        else:
                            log.error("message %d to %s refused: %s", item.id, room_id, response.message)
                            self.store.outbox_failed(item.id, f"{response.status_code} {response.message}")
                            self.receipts.on_failed(item)

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
        return str(response.room_id)
