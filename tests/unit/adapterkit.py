"""The Matrix adapter offline: a homeserver in memory behind a fake nio client, event factories, a bot harness.

As python-telegram-bot tests its framework without the network: the bot is built through the same
composition root (`App`) on a real SQLite store with the real core; only the homeserver is replaced, by
`FakeServer`, which keeps the rooms' events, answers the few client calls the adapter makes and records
what the bot sent. Events are shaped as Element sends them. Nothing leaves the process: any other request
fails the test loudly.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import ClientConnectionError
from nio import (
    AsyncClient,
    Event,
    JoinResponse,
    KeysQueryError,
    KeysQueryResponse,
    LocalProtocolError,
    LoginResponse,
    ProfileGetError,
    ProfileGetResponse,
    RoomCreateResponse,
    RoomGetEventError,
    RoomGetEventResponse,
    RoomGetStateEventResponse,
    RoomLeaveResponse,
    RoomPutStateResponse,
    RoomSendError,
    RoomSendResponse,
    UploadError,
    UploadResponse,
    WhoamiError,
    WhoamiResponse,
)
from nio.api import MessageDirection, RelationshipType
from nio.crypto.attachments import encrypt_attachment

from kiwibot.app import App
from kiwibot.config import parse_config
from kiwibot.core.clock import FixedClock

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
ROOM, DIGEST, BOT, ADMIN, BOB, CAROL = "!prog:x", "!digest:x", "@kiwibot:x", "@admin:x", "@bob:x", "@carol:x"
OFFER = "!anbieten\nTitel: E-Akte\nTermin: 3.12.2026 14:00\nDauer: {minutes}\nFormat: impuls\nLink: https://meet.x/a"


# -- event factories (content as Element sends it) -----------------------------------------------


def pill(user: str, name: str) -> str:
    return f'<a href="https://matrix.to/#/{user}">{name}</a>'


def text(body: str, **extra: Any) -> dict[str, Any]:
    return {"msgtype": "m.text", "body": body, **extra}


def in_thread(root: str) -> dict[str, Any]:
    """The relation Element gives a message written in a thread."""
    return {"rel_type": "m.thread", "event_id": root, "is_falling_back": True, "m.in_reply_to": {"event_id": root}}


def element_reply(replied_to: str, replied_sender: str, body: str, html: str) -> dict[str, Any]:
    """A rich reply as Element sends it: fallback quote in body and <mx-reply>, the replied-to sender
    first in m.mentions."""
    quote = (
        f'<mx-reply><blockquote><a href="https://matrix.to/#/{ROOM}/{replied_to}?via=x">In reply to</a> '
        f"{pill(replied_sender, replied_sender)}<br>Hallo zusammen</blockquote></mx-reply>"
    )
    return {
        "msgtype": "m.text",
        "body": f"> <{replied_sender}> Hallo zusammen\n\n{body}",
        "format": "org.matrix.custom.html",
        "formatted_body": quote + html,
        "m.mentions": {"user_ids": [replied_sender, CAROL]},
        "m.relates_to": {"m.in_reply_to": {"event_id": replied_to}},
    }


def element_edit(original: str, new_body: str) -> dict[str, Any]:
    return {
        "msgtype": "m.text",
        "body": "* " + new_body,
        "m.new_content": {"msgtype": "m.text", "body": new_body},
        "m.relates_to": {"rel_type": "m.replace", "event_id": original},
    }


def reaction(target: str, key: str = "👍") -> dict[str, Any]:
    return {"m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": key}}


# -- the homeserver in memory ----------------------------------------------------------------------


@dataclass
class FakeServer:
    """Rooms' events in order, room state, what the bot sent; faults switched on by the test."""

    events: dict[str, dict[str, Any]] = field(default_factory=dict)  # event id → source, in order
    state: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (room, type) → content
    refuse: set[str] = field(default_factory=set)  # rooms where the bot may not send (M_FORBIDDEN)
    down: bool = False  # the network is gone: every send raises as aiohttp does
    created: list[tuple[str, list[str]]] = field(default_factory=list)  # rooms the bot opened: (id, invited)
    created_state: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # their initial state, by id
    tokens: dict[str, str] = field(default_factory=dict)  # valid access token → device
    media: dict[str, bytes] = field(default_factory=dict)  # mxc url → the bytes as uploaded (encrypted or not)
    max_upload: int = 1 << 20  # larger uploads are refused as Synapse does (413 M_TOO_LARGE)
    logins: int = 0
    profiles: dict[str, str | None] = field(default_factory=dict)  # display names; any account not in it exists too
    missing: set[str] = field(default_factory=set)  # accounts that do not exist (404 M_NOT_FOUND)
    latency: float = 0.0  # seconds a send takes at most (each a random share of it): sends overlap
    limit_every: int = 0  # > 0: every n-th send is refused as too many (429), as a rate-limited homeserver does
    retry_after_ms: int = 20
    device_keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # person → device id → signed device keys
    keys_error: str = ""  # a status ("502"): every keys query is answered with that error, as during a restart
    unreachable: set[str] = field(default_factory=set)  # homeservers that a keys query lists in its `failures`
    keys_queries: int = 0
    in_flight: int = 0
    most_in_flight: int = 0  # the most sends the bot had on their way at once
    refused_as_too_many: int = 0
    _sends: int = 0
    _txns: dict[str, str] = field(default_factory=dict)  # transaction id → event id (de-duplication)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add(self, room_id: str, sender: str, kind: str, content: dict[str, Any]) -> dict[str, Any]:
        event_id = f"$e{next(self._ids)}"
        source = {
            "type": kind,
            "event_id": event_id,
            "sender": sender,
            "room_id": room_id,
            "origin_server_ts": int(time.time() * 1000),
            "content": content,
        }
        if kind == "m.room.redaction":
            source["redacts"] = content["redacts"]
            if content["redacts"] in self.events:
                self.events[content["redacts"]]["content"] = {}  # what a redaction leaves of the event
        self.events[event_id] = source
        return source

    def sent(self, room_id: str | None = None) -> list[dict[str, Any]]:
        """What the bot sent, oldest first (in `room_id`, or everywhere)."""
        return [e for e in self.events.values() if e["sender"] == BOT and room_id in (None, e["room_id"])]

    def edits_of(self, event_id: str) -> list[dict[str, Any]]:
        """The bot's edits of one of its messages: their new content, oldest first."""
        return [
            e["content"]["m.new_content"]
            for e in self.sent()
            if (e["content"].get("m.relates_to") or {}).get("rel_type") == "m.replace"
            and e["content"]["m.relates_to"]["event_id"] == event_id
        ]


class FakeClient(AsyncClient):
    """nio's client with the calls the adapter makes answered by a FakeServer instead of the network."""

    def __init__(self, server: FakeServer, user_id: str = BOT) -> None:
        super().__init__("http://homeserver.invalid", user_id)
        self.user_id = user_id  # as after a login (nio sets it from the login's answer)
        self.server = server

    async def _send(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"the offline homeserver does not answer {args[1:3]}")

    async def get_profile(self, user_id: str | None = None) -> ProfileGetResponse | ProfileGetError:
        if user_id in self.server.missing:
            return ProfileGetError("Profile was not found", "M_NOT_FOUND")
        return ProfileGetResponse(self.server.profiles.get(user_id or self.user_id))

    async def whoami(self) -> WhoamiResponse | WhoamiError:  # type: ignore[override]
        device = self.server.tokens.get(self.access_token)
        if device is None:
            return WhoamiError("Unknown access token", "M_UNKNOWN_TOKEN")
        return WhoamiResponse(self.user_id, device, False)

    async def login(self, password: str = "", device_name: str = "", **_: Any) -> LoginResponse:  # type: ignore[override]
        self.server.logins += 1
        device = self.device_id or f"DEVICE{self.server.logins}"
        token = f"token-{self.server.logins}"
        self.server.tokens[token] = device
        self.device_id, self.access_token = device, token
        return LoginResponse(self.user_id, device, token)

    async def room_send(  # type: ignore[override]
        self,
        room_id: str,
        message_type: str,
        content: dict[str, Any],
        tx_id: str | None = None,
        ignore_unverified_devices: bool = False,
    ) -> RoomSendResponse | RoomSendError:
        server = self.server
        if server.latency:
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
            try:
                await asyncio.sleep(random.uniform(0, server.latency))
            finally:
                server.in_flight -= 1
        if server.down:
            raise ClientConnectionError("offline")
        server._sends += 1
        if server.limit_every and server._sends % server.limit_every == 0:
            server.refused_as_too_many += 1
            return RoomSendError("Too Many Requests", "M_LIMIT_EXCEEDED", server.retry_after_ms)
        if room_id in self.server.refuse:
            return RoomSendError("You are not allowed to send here", "M_FORBIDDEN")
        if tx_id is not None and tx_id in self.server._txns:
            return RoomSendResponse(self.server._txns[tx_id], room_id)  # a resend, as a homeserver de-duplicates
        event = self.server.add(room_id, self.user_id, message_type, content)
        if tx_id is not None:
            self.server._txns[tx_id] = event["event_id"]
        return RoomSendResponse(event["event_id"], room_id)

    async def keys_query(self) -> KeysQueryResponse | KeysQueryError:
        """Answered as Synapse does: an error for the whole query, or the devices of everyone asked for except
        those on an unreachable homeserver, which is listed in `failures`; nio learns the answer as from `_send`."""
        users = set(self.users_for_key_query)
        if not users:
            raise LocalProtocolError("No key query required.")
        server = self.server
        if server.down:
            raise ClientConnectionError("offline")
        server.keys_queries += 1
        response: KeysQueryResponse | KeysQueryError
        if server.keys_error:
            response = KeysQueryError("Bad Gateway", server.keys_error)
        else:
            away = {user.partition(":")[2] for user in users} & server.unreachable
            response = KeysQueryResponse.from_dict(  # type: ignore[assignment]
                {
                    "device_keys": {u: server.device_keys.get(u, {}) for u in users if u.partition(":")[2] not in away},
                    "failures": {name: {"status": 503, "message": "Not ready for retry"} for name in away},
                }
            )
        await self.receive_response(response)
        return response

    async def upload(  # type: ignore[override]
        self,
        data_provider: Any,
        content_type: str = "application/octet-stream",
        filename: str | None = None,
        encrypt: bool = False,
        monitor: Any = None,
        filesize: int | None = None,
    ) -> tuple[UploadResponse | UploadError, dict[str, Any] | None]:
        if self.server.down:
            raise ClientConnectionError("offline")
        data = data_provider.read()
        if len(data) > self.server.max_upload:
            return UploadError("Uploaded file is too large", "M_TOO_LARGE"), None  # Synapse: 413
        keys = None
        if encrypt:
            data, keys = encrypt_attachment(data)  # as nio does: AES-CTR, the keys for the event's `file`
        url = f"mxc://x/media{len(self.server.media) + 1}"
        self.server.media[url] = data
        return UploadResponse(url), keys

    async def room_get_event(self, room_id: str, event_id: str) -> RoomGetEventResponse | RoomGetEventError:  # type: ignore[override]
        source = self.server.events.get(event_id)
        if source is None or source["room_id"] != room_id:
            return RoomGetEventError("Event not found", "M_NOT_FOUND")
        response = RoomGetEventResponse()
        response.event = Event.parse_event(source)
        return response

    async def room_get_event_relations(  # type: ignore[override]
        self,
        room_id: str,
        event_id: str,
        rel_type: RelationshipType | None = None,
        event_type: str | None = None,
        direction: MessageDirection = MessageDirection.back,
        limit: int | None = None,
    ) -> AsyncIterator[Event]:
        for source in list(self.server.events.values()):
            relates = source["content"].get("m.relates_to") or {}
            if source["room_id"] != room_id or relates.get("event_id") != event_id:
                continue
            if rel_type is not None and relates.get("rel_type") != rel_type.value:
                continue
            if event_type is None or source["type"] == event_type:
                yield Event.parse_event(source)

    async def join(self, room_id: str) -> JoinResponse:  # type: ignore[override]
        return JoinResponse(room_id)

    async def room_leave(self, room_id: str) -> RoomLeaveResponse:  # type: ignore[override]
        return RoomLeaveResponse()

    async def room_create(  # type: ignore[override]
        self, *, invite: Any = (), initial_state: Any = (), **_: Any
    ) -> RoomCreateResponse:
        room_id = f"!dm{len(self.server.created) + 1}:x"
        self.server.created.append((room_id, list(invite)))
        self.server.created_state[room_id] = list(initial_state)
        return RoomCreateResponse(room_id)

    async def room_get_state_event(self, room_id: str, event_type: str, state_key: str = "") -> Any:  # type: ignore[override]
        return RoomGetStateEventResponse(self.server.state.get((room_id, event_type), {}), event_type, "", room_id)

    async def room_put_state(self, room_id: str, event_type: str, content: dict[str, Any], **_: Any) -> Any:  # type: ignore[override]
        self.server.state[(room_id, event_type)] = content
        return RoomPutStateResponse(f"$state{len(self.server.state)}", room_id)


# -- the bot on a real store, its homeserver in memory --------------------------------------------


class Bot:
    """One bot process on `tmp`'s database; a second one on the same directory and server is a restart.

    Queued messages go out when the test says so (`deliver`), so what is queued can be inspected first.
    """

    def __init__(self, tmp: Path, server: FakeServer, clock: FixedClock | None = None, **config: Any) -> None:
        data = {
            "homeserver": "http://homeserver.invalid",
            "user_id": BOT,
            "password": "pw",
            "database": str(tmp / "k.db"),
            "rooms": {"programme": ROOM, "digest": DIGEST},
            "roles": {"admins": [ADMIN]},
            **config,
        }
        self.server = server
        self.clock = clock or FixedClock(NOW)
        self.app = App(parse_config(data, tmp, {}), clock=self.clock, client=FakeClient(server))
        self.bot = self.app.bot
        self.bot.rooms.programme, self.bot.rooms.digest = ROOM, DIGEST
        self.bot.outbox.send_soon = lambda: None  # type: ignore[method-assign]

    async def event(self, sender: str, content: dict[str, Any], room: str = ROOM, kind: str = "m.room.message") -> str:
        """`sender` sends an event; the bot gets it from its sync. Returns its event id."""
        source = self.server.add(room, sender, kind, content)
        await self.bot.sync.on_event(room, source)
        return str(source["event_id"])

    async def react(self, sender: str, target: str, key: str = "👍") -> str:
        return await self.event(sender, reaction(target, key), kind="m.reaction")

    async def redact(self, sender: str, event_id: str) -> str:
        return await self.event(sender, {"redacts": event_id}, kind="m.room.redaction")

    async def redeliver(self, event_id: str, room: str = ROOM) -> None:
        await self.bot.sync.on_event(room, self.server.events[event_id])

    def answers(self) -> list[dict[str, Any]]:
        """Replies to commands still queued (not sent yet)."""
        return [item.content for item in self.app.store.pending_outbox() if item.purpose is None]

    async def deliver(self) -> list[dict[str, Any]]:
        """Send what is queued, as the background sender would; returns what reached the homeserver."""
        before = len(self.server.sent())
        await self.bot.outbox.flush()
        return self.server.sent()[before:]

    async def settle(self) -> None:
        """Wait for the debounced edits of the posts (and what they send) to be done."""
        while (task := self.bot.posts._task) is not None and not task.done():
            await asyncio.wait_for(asyncio.shield(task), timeout=10)

    async def offer(self, giver: str = BOB, minutes: int = 60, room: str = ROOM) -> tuple[int, str]:
        """A session offered and announced: (its number, its news post's event id)."""
        command = await self.event(giver, text(OFFER.format(minutes=minutes)), room=room)
        await self.deliver()
        record = self.app.store.command(command)
        assert record is not None and record.session_id is not None, f"{command} offered nothing: {self.answers()}"
        session = self.app.store.get_session(record.session_id)
        assert session is not None and session.news_event
        return session.id, session.news_event

    async def close(self) -> None:
        await self.bot.posts.stop()
        await self.bot.client.close()
        self.app.store.close()
        self.app.lock.release()
