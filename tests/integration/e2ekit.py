"""Users with end-to-end encryption: nio clients with their own crypto store that decrypt what they sync."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    LoginResponse,
    RoomCreateError,
    RoomSendResponse,
)
from nio.api import Api, RoomPreset
from nio.crypto.sessions import OutboundGroupSession
from nio.store import SqliteStore

from tests.integration.conftest import World
from tests.integration.matrixkit import User

MEGOLM = "m.megolm.v1.aes-sha2"
ENCRYPTION_STATE = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}}


@dataclass
class CryptoUser(User):
    """A person on an encryption-capable client: keys are kept up after each sync, rooms are sent to encrypted."""

    async def sync_once(self, timeout_ms: int = 1000) -> None:
        await super().sync_once(timeout_ms)  # nio decrypts what it can while handling the sync
        await self.upkeep()

    async def upkeep(self) -> None:
        client = self.client
        if client.outgoing_to_device_messages:
            await client.send_to_device_messages()
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())

    async def send_event(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        if room_id not in self.client.rooms:
            await self.sync_once(timeout_ms=0)
        response = await self.client.room_send(room_id, event_type, content, ignore_unverified_devices=True)
        if not isinstance(response, RoomSendResponse):
            raise RuntimeError(f"send failed: {response}")
        return response.event_id

    async def send_raw(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        """Send exactly this content, not encrypted again by nio (for hand-made encrypted events)."""
        method, path, data = Api.room_send(self.client.access_token, room_id, event_type, content, uuid.uuid4())
        response = await self.client.send(method, path, data, headers={"Content-Type": "application/json"})
        body = await response.json()
        if "event_id" not in body:
            raise RuntimeError(f"send failed: {body}")
        return str(body["event_id"])

    async def create_encrypted_room(self, name: str, invite: list[str], direct: bool = False) -> str:
        response = await self.client.room_create(
            name=name,
            invite=invite,
            is_direct=direct,
            preset=RoomPreset.trusted_private_chat if direct else RoomPreset.private_chat,
            initial_state=[ENCRYPTION_STATE],
        )
        if isinstance(response, RoomCreateError):
            raise RuntimeError(f"room_create failed: {response.message}")
        await self.sync_once(timeout_ms=0)
        return response.room_id


class _KeyFromTheStart(OutboundGroupSession):
    """A room key that is shared as it was at its first message, so a late share still opens that message."""

    def __init__(self) -> None:
        super().__init__()
        self.first_key = super().session_key

    @property
    def session_key(self) -> str:
        return self.first_key


async def send_before_key(user: CryptoUser, room_id: str, body: str) -> tuple[str, str]:
    """A message in a new room-key session whose key is not sent yet, as when a key is delayed.

    Returns (event id, session id); `user.client.share_group_session(room_id, …)` delivers the key later.
    """
    olm = user.client.olm
    assert olm is not None
    session = _KeyFromTheStart()
    olm.outbound_group_sessions[room_id] = session
    keys = olm.account.identity_keys
    olm.create_group_session(keys["curve25519"], keys["ed25519"], room_id, session.id, session.session_key)
    session.shared = True
    event_type, content = user.client.encrypt(room_id, "m.room.message", {"msgtype": "m.text", "body": body})
    session.shared = False
    return await user.send_raw(room_id, event_type, content), session.id


async def crypto_user(world: World, name: str, join: tuple[str, ...] = ()) -> CryptoUser:
    """A registered user with an encryption-capable client (its crypto store in the test's folder)."""
    localpart = f"{name}-{world.tag}"
    password = f"pw-{localpart}"
    user_id = await asyncio.to_thread(world.synapse.register, localpart, password)
    user = await crypto_login(world, user_id, password)
    for room in join:
        await world.host.client.room_invite(room, user.user_id)
        await user.join(room)
    await user.sync_once(timeout_ms=0)
    return user


async def crypto_login(world: World, user_id: str, password: str) -> CryptoUser:
    """A new encryption-capable client (device) of an existing account, as when a person signs in with one."""
    localpart = user_id.removeprefix("@").split(":")[0]
    store = world.tmp / f"crypto-{localpart}-{len(world.users)}"
    store.mkdir()
    client = AsyncClient(
        world.synapse.url,
        user_id,
        store_path=str(store),
        config=AsyncClientConfig(
            max_limit_exceeded=0, max_timeouts=2, encryption_enabled=True, store=SqliteStore, store_sync_tokens=False
        ),
    )
    response = await client.login(password, device_name=f"test-{localpart}")
    if not isinstance(response, LoginResponse):
        raise RuntimeError(f"login failed for {localpart}: {response}")
    user = CryptoUser(client, user_id, password)
    world.users.append(user)
    await user.upkeep()
    await user.sync_once(timeout_ms=0)
    return user


async def encrypt_room(world: World, room_id: str) -> None:
    """The host switches a room to encryption (before the bot starts, as an admin would)."""
    response = await world.host.client.room_put_state(room_id, "m.room.encryption", {"algorithm": MEGOLM})
    if not hasattr(response, "event_id"):
        raise RuntimeError(f"cannot encrypt {room_id}: {response}")
