"""Real Matrix users for tests: nio clients on the local Synapse, with waits on events instead of sleeps."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinError,
    LoginResponse,
    RoomCreateError,
    RoomMessagesError,
    RoomSendResponse,
    SyncResponse,
)
from nio.api import MessageDirection, RoomPreset

from kiwibot.devserver import LocalSynapse

Event = dict[str, Any]


@dataclass
class User:
    client: AsyncClient
    user_id: str
    password: str
    events: dict[str, list[Event]] = field(default_factory=dict)
    _token: str | None = None

    async def create_room(
        self, name: str, invite: list[str] | tuple[str, ...] = (), power_users: dict[str, int] | None = None
    ) -> str:
        override = {"users": power_users} if power_users else None
        response = await self.client.room_create(
            name=name, invite=list(invite), preset=RoomPreset.private_chat, power_level_override=override
        )
        if isinstance(response, RoomCreateError):
            raise RuntimeError(f"room_create failed: {response.message}")
        return response.room_id

    async def join(self, room_id: str) -> None:
        response = await self.client.join(room_id)
        if isinstance(response, JoinError):
            raise RuntimeError(f"join failed: {response.message}")

    async def send(self, room_id: str, body: str, html: str | None = None, **extra: Any) -> str:
        content: dict[str, Any] = {"msgtype": "m.text", "body": body, **extra}
        if html is not None:
            content |= {"format": "org.matrix.custom.html", "formatted_body": html}
        return await self.send_event(room_id, "m.room.message", content)

    async def send_event(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        response = await self.client.room_send(room_id, event_type, content)
        if not isinstance(response, RoomSendResponse):
            raise RuntimeError(f"send failed: {response}")
        return response.event_id

    async def sync_once(self, timeout_ms: int = 1000) -> None:
        response = await self.client.sync(timeout=timeout_ms, since=self._token, full_state=self._token is None)
        if not isinstance(response, SyncResponse):
            raise RuntimeError(f"sync failed: {response}")
        self._token = response.next_batch
        for room_id, info in response.rooms.join.items():
            self.events.setdefault(room_id, []).extend(e.source for e in info.timeline.events)

    async def wait_for(self, room_id: str, predicate: Callable[[Event], bool], within: float = 30) -> Event:
        """The first event in the room matching `predicate`, syncing until it shows up."""
        deadline = time.monotonic() + within
        while True:
            for event in self.events.get(room_id, []):
                if predicate(event):
                    return event
            if time.monotonic() > deadline:
                seen = [(e.get("sender"), e.get("content", {}).get("body")) for e in self.events.get(room_id, [])]
                raise AssertionError(f"no matching event in {room_id} within {within} s; seen: {seen[-15:]}")
            await self.sync_once(timeout_ms=500)

    async def wait_reply(self, room_id: str, to_event: str, sender: str, within: float = 30) -> Event:
        return await self.wait_for(room_id, lambda e: e.get("sender") == sender and replied_to(e) == to_event, within)

    async def history(self, room_id: str) -> list[Event]:
        """Every event in the room, oldest first, from the server (not only what sync showed us)."""
        events: list[Event] = []
        token = ""
        while True:
            response = await self.client.room_messages(room_id, start=token, direction=MessageDirection.back, limit=500)
            if isinstance(response, RoomMessagesError):
                raise RuntimeError(response.message)
            events.extend(e.source for e in response.chunk)
            if not response.chunk or not response.end:
                return list(reversed(events))
            token = response.end

    async def close(self) -> None:
        await self.client.close()


def replied_to(event: Event) -> str | None:
    return (event.get("content", {}).get("m.relates_to") or {}).get("m.in_reply_to", {}).get("event_id")


def body(event: Event) -> str:
    return str(event.get("content", {}).get("body", ""))


async def make_user(server: LocalSynapse, name: str) -> User:
    password = f"pw-{name}"
    user_id = await asyncio.to_thread(server.register, name, password)
    client = AsyncClient(server.url, user_id, config=AsyncClientConfig(max_limit_exceeded=0, max_timeouts=2))
    response = await client.login(password, device_name=f"test-{name}")
    if not isinstance(response, LoginResponse):
        raise RuntimeError(f"login failed for {name}: {response}")
    user = User(client, user_id, password)
    await user.sync_once(timeout_ms=0)
    return user


async def react(user: User, room_id: str, event_id: str, key: str = "👍") -> str:
    content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
    return await user.send_event(room_id, "m.reaction", content)


async def redact(user: User, room_id: str, event_id: str) -> None:
    response = await user.client.room_redact(room_id, event_id)
    if not hasattr(response, "event_id"):
        raise RuntimeError(f"redaction failed: {response}")


async def current_content(user: User, room_id: str, event_id: str) -> dict[str, Any]:
    """What clients show for a message: its newest edit's m.new_content, or the original."""
    original = await user.client.room_get_event(room_id, event_id)
    content = original.event.source["content"]
    path = f"/_matrix/client/v1/rooms/{room_id}/relations/{event_id}/m.replace?limit=1000"
    edits = await _get_json(user, path)
    mine = [e for e in edits.get("chunk", []) if e["sender"] == original.event.sender]
    if not mine:
        return content
    newest = max(mine, key=lambda e: (e["origin_server_ts"], e["event_id"]))
    return newest["content"]["m.new_content"]


async def _get_json(user: User, path: str) -> dict[str, Any]:
    from urllib.parse import quote

    session = user.client.client_session
    assert session is not None
    url = user.client.homeserver + quote(path, safe="/?=&:")
    async with session.get(url, headers={"Authorization": f"Bearer {user.client.access_token}"}) as response:
        return await response.json()


def is_edit_of(event: Event, event_id: str) -> bool:
    relates = event.get("content", {}).get("m.relates_to") or {}
    return relates.get("rel_type") == "m.replace" and relates.get("event_id") == event_id


def in_thread_of(event: Event, root: str) -> bool:
    relates = event.get("content", {}).get("m.relates_to") or {}
    return relates.get("rel_type") == "m.thread" and relates.get("event_id") == root


def mentions(event: Event) -> list[str]:
    return sorted((event.get("content", {}).get("m.mentions") or {}).get("user_ids", []))


def membership(user_id: str, state: str) -> Callable[[Event], bool]:
    """Matches the member event that puts `user_id` in `state` (join, leave, invite)."""
    return lambda e: (
        e.get("type") == "m.room.member" and e.get("state_key") == user_id and e["content"].get("membership") == state
    )


async def accept_direct_chat(user: User) -> str:
    """Wait for the bot's direct-chat invite and join it, as a client would on a click (also one that came in a
    sync made while waiting for something else)."""
    for room_id in list(user.client.invited_rooms):
        await user.join(room_id)
        return room_id
    for _ in range(120):
        response = await user.client.sync(timeout=500, since=user._token)
        user._token = response.next_batch
        for room_id, info in response.rooms.join.items():
            user.events.setdefault(room_id, []).extend(e.source for e in info.timeline.events)
        for room_id in response.rooms.invite:
            await user.join(room_id)
            return room_id
    raise AssertionError("no direct chat invite from the bot")


async def download(user: User, mxc: str) -> bytes:
    """The bytes behind an mxc url, over the authenticated media API (Synapse serves new media only there)."""
    server, media_id = mxc.removeprefix("mxc://").split("/", 1)
    session = user.client.client_session
    assert session is not None
    url = f"{user.client.homeserver}/_matrix/client/v1/media/download/{server}/{media_id}"
    async with session.get(url, headers={"Authorization": f"Bearer {user.client.access_token}"}) as response:
        assert response.status == 200, f"download of {mxc}: {response.status}"
        return await response.read()
