"""`kiwibot demo`: a throwaway Synapse on 127.0.0.1, the bot, a demo user and a scripted walk-through.

Everything lives in one folder that is wiped at the next demo; Ctrl-C stops the bot and the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import signal
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from nio import AsyncClient, LoginResponse, RoomCreateResponse, RoomMessagesResponse, RoomSendResponse
from nio.api import MessageDirection, RoomPreset

from kiwibot.app import App
from kiwibot.config import load_config
from kiwibot.core.model import Session
from kiwibot.devserver import LocalSynapse

PREFERRED_PORT = 8008
PREFERRED_WEB_PORT = 8080


def _port(preferred: int) -> int:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
        except OSError:
            return 0
    return preferred


def _web_port() -> int:
    """8080 if free, else any free port: the demo's web side (feeds, programme page)."""
    if _port(PREFERRED_WEB_PORT):
        return PREFERRED_WEB_PORT
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Walkthrough:
    """The demo user, as a real Matrix client, trying the bot out."""

    def __init__(self, url: str, user_id: str, password: str, bot_id: str) -> None:
        self.client = AsyncClient(url, user_id)
        self.password = password
        self.bot_id = bot_id

    async def login(self) -> None:
        response = await self.client.login(self.password, device_name="demo-walkthrough")
        if not isinstance(response, LoginResponse):
            raise RuntimeError(f"demo user cannot log in: {response}")

    async def say(self, room_id: str, text: str) -> None:
        sent = await self.client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": text})
        if not isinstance(sent, RoomSendResponse):
            raise RuntimeError(f"demo user cannot send: {sent}")
        await self._wait_reply(room_id, sent.event_id)

    async def _wait_reply(self, room_id: str, event_id: str, within: float = 30) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while loop.time() < deadline:
            for event in await self.transcript_events(room_id, limit=20):
                relates = event.get("content", {}).get("m.relates_to") or {}
                if event.get("sender") == self.bot_id and relates.get("m.in_reply_to", {}).get("event_id") == event_id:
                    return
            await self.client.sync(timeout=1000)
        raise RuntimeError("the bot did not answer in time")

    async def send(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        sent = await self.client.room_send(room_id, event_type, content)
        if not isinstance(sent, RoomSendResponse):
            raise RuntimeError(f"demo user cannot send: {sent}")
        return str(sent.event_id)

    async def transcript_events(self, room_id: str, limit: int = 200) -> list[dict[str, Any]]:
        response = await self.client.room_messages(room_id, start="", direction=MessageDirection.back, limit=limit)
        if not isinstance(response, RoomMessagesResponse):
            return []
        wanted = ("m.room.message", "m.reaction")
        return [e.source for e in reversed(response.chunk) if e.source.get("type") in wanted]

    async def wait_transcript(self, room_id: str, text: str, within: float = 30) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while text not in await self.transcript(room_id) and loop.time() < deadline:
            await self.client.sync(timeout=1000)

    async def transcript(self, room_id: str) -> str:
        """The room as a person sees it: edited messages in their newest form, reactions as a line."""
        events = await self.transcript_events(room_id)
        latest: dict[str, dict[str, Any]] = {}
        for event in events:
            relates = event["content"].get("m.relates_to") or {}
            if relates.get("rel_type") == "m.replace":
                latest[relates["event_id"]] = event["content"].get("m.new_content", {})
        lines = []
        for event in events:
            who = "kiwibot" if event["sender"] == self.bot_id else event["sender"]
            relates = event["content"].get("m.relates_to") or {}
            if relates.get("rel_type") == "m.replace":
                continue
            if event["type"] == "m.reaction":
                lines.append(f"  [{who}] reagiert mit / reacts with {relates.get('key')}")
                continue
            content = latest.get(event["event_id"], event["content"])
            text = str(content.get("body", "")).replace("\n", "\n    ")
            lines.append(f"  [{who}] {text}")
        return "\n".join(lines)


def _demo_offer(app: App) -> str:
    when = (app.clock.now() + timedelta(days=2)).astimezone(app.config.timezone).strftime("%d.%m.%Y")
    return "\n".join(
        [
            "!anbieten",
            "Titel: Die E-Akte im Alltag – Tipps aus der Praxis",
            f"Termin: {when} 14:00",
            "Dauer: 60",
            "Format: impuls",
            "Link: https://meet.example.org/kiwi-e-akte",
            "Plätze: 12",
            "Beschreibung: Ich zeige in 20 Minuten, wie wir im Referat die E-Akte nutzen –",
            "danach Fragen und Austausch.",
        ]
    )


async def _create_rooms(url: str, organiser: str, password: str, invite: list[str], bot_id: str) -> tuple[str, str]:
    client = AsyncClient(url, organiser)
    try:
        await client.login(password, device_name="demo-setup")
        rooms = []
        for name, topic in (
            ("KIWI Programm", "Sessions anbieten und sich anmelden"),
            ("KIWI Tagesprogramm", "Das tägliche Programm"),
        ):
            response = await client.room_create(
                name=name,
                topic=topic,
                invite=invite,
                preset=RoomPreset.private_chat,
                power_level_override={"users": {bot_id: 50}},  # moderator: may pin the overview
            )
            if not isinstance(response, RoomCreateResponse):
                raise RuntimeError(f"cannot create the demo rooms: {response}")
            rooms.append(response.room_id)
        return rooms[0], rooms[1]
    finally:
        await client.close()


async def _demo(base: Path, stay: bool) -> None:
    server = LocalSynapse(base / "synapse", port=_port(PREFERRED_PORT))
    server.start()
    app: App | None = None
    demo_user: Walkthrough | None = None
    try:
        bot_password, demo_password, orga_password = (secrets.token_urlsafe(12) for _ in range(3))
        bot_id = server.register("kiwibot", bot_password)
        demo_id = server.register("demo", demo_password)
        orga_id = server.register("orga", orga_password, admin=True)
        colleague_password = secrets.token_urlsafe(12)
        colleague_id = server.register("kollegin", colleague_password)
        programme, digest = await _create_rooms(
            server.url, orga_id, orga_password, [bot_id, demo_id, colleague_id], bot_id
        )
        config_path = base / "config.yaml"
        web = f"127.0.0.1:{_web_port()}"
        config_path.write_text(
            yaml.safe_dump(
                {
                    "homeserver": server.url,
                    "user_id": bot_id,
                    "password": bot_password,
                    "database": "kiwibot.db",
                    "rooms": {"programme": programme, "digest": digest},
                    "roles": {"admins": [orga_id]},
                    "web": {"listen": web, "base_url": f"http://{web}"},
                },
                allow_unicode=True,
            )
        )
        app = App(load_config(config_path))
        await app.start()

        print("\n=== KIWI-Demo läuft / KIWI demo is running ===")
        print(f"Homeserver:  {server.url}   (in Element: 'Homeserver bearbeiten' / 'Edit homeserver')")
        print(f"Demo-Login:  Benutzer/user 'demo'  Passwort/password '{demo_password}'")
        print(f"Config:      {config_path}")
        if app.calendars is not None and app.calendars.links is not None:
            # What `!kalender` sends the demo user by direct message, made here so it can be printed.
            secret = app.calendars.issue(demo_id, renew=False)
            print(f"Programmseite / programme page of 'demo':  {app.calendars.links.page(secret)}")
            print(f"Kalender / calendar feed of 'demo':        {app.calendars.links.feed(secret)}")

        demo_user = Walkthrough(server.url, demo_id, demo_password, bot_id)
        await demo_user.login()
        await demo_user.client.join(programme)
        await demo_user.client.join(digest)
        colleague = Walkthrough(server.url, colleague_id, colleague_password, bot_id)
        await colleague.login()
        await colleague.client.join(programme)
        for text in ("!hilfe", "!ping", _demo_offer(app)):
            await demo_user.say(programme, text)
        news = await _news_posted(app)
        await colleague.send(
            programme,
            "m.reaction",
            {"m.relates_to": {"rel_type": "m.annotation", "event_id": news.news_event, "key": "👍"}},
        )
        for text in ("!teilnehmende 1", "!programm"):
            await demo_user.say(programme, text)
        await colleague.client.close()
        await demo_user.wait_transcript(programme, "1 Teilnehmende\n    Reagiere")  # the debounced edit
        print("\n--- Verlauf im Raum 'KIWI Programm' / transcript of the programme room ---")
        print(await demo_user.transcript(programme))
        direct = await _direct_chat(app, demo_id)  # the participants list is sent there, never in the room
        await demo_user.client.join(direct)
        await demo_user.wait_transcript(direct, "Teilnehmende von Session 1")
        print("--- Direktchat mit dem Bot / direct chat with the bot ---")
        print(await demo_user.transcript(direct))
        print("---")
        if stay:
            print("\nDer Bot läuft. Strg-C beendet Bot und Server. / The bot is running; Ctrl-C stops bot and server.")
            await _wait_for_signal()
    finally:
        if demo_user is not None:
            await demo_user.client.close()
        if app is not None:
            await app.stop()
        server.stop()
        print("Demo beendet, nichts läuft mehr. / Demo stopped, nothing left running.")


async def _direct_chat(app: App, user_id: str, within: float = 30.0) -> str:
    """The direct chat the bot opened with `user_id` (to send what is not for the room)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (room := app.store.direct_room(user_id)) is None:
        if loop.time() > deadline:
            raise RuntimeError("the bot opened no direct chat with the demo user")
        await asyncio.sleep(0.2)
    return room


async def _wait_for_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def _news_posted(app: App, within: float = 30.0) -> Session:
    """Session 1 once its news post is out: the offer's answer comes first, the post right after it."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        news = app.store.get_session(1)
        if news is not None and news.news_event:
            return news
        if asyncio.get_running_loop().time() > deadline:
            raise RuntimeError("the demo's news post did not appear")
        await asyncio.sleep(0.05)


def main(directory: str, stay: bool = True) -> int:
    base = Path(directory).resolve()
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    logging.getLogger("nio").setLevel(logging.ERROR)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_demo(base, stay))
    return 0
