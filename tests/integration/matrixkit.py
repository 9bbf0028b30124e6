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

    async def create_room(self, name: str, invite: list[str] = (), encrypted: bool = False) -> str:  # type: ignore[assignment]
        response = await self.client.room_create(name=name, invite=list(invite), preset=RoomPreset.private_chat)
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
