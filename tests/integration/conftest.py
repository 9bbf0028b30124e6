"""One Synapse per test session; every test gets its own users, rooms and bot account."""

from __future__ import annotations

import asyncio
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kiwibot.app import App
from kiwibot.config import Config, parse_config
from kiwibot.core.clock import ShiftedClock
from kiwibot.devserver import LocalSynapse
from tests.integration.matrixkit import User, make_user


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSynapse]:
    server = LocalSynapse(tmp_path_factory.mktemp("synapse"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def free_port() -> int:
    """A port nothing listens on now (the bot's web side binds it a moment later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]


@dataclass
class World:
    """A test's own little network: a host who owns the rooms, the bot's account and config, users."""

    synapse: LocalSynapse
    tmp: Path
    tag: str
    host: User
    bot_id: str
    programme: str
    digest: str
    clock: ShiftedClock = field(default_factory=ShiftedClock)
    users: list[User] = field(default_factory=list)
    apps: list[App] = field(default_factory=list)
    web_port: int = field(default_factory=free_port)  # each test's bot serves its web side on a port of its own

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def config_data(self, **overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "homeserver": self.synapse.url,
            "user_id": self.bot_id,
            "password": "pw-bot",
            "database": str(self.tmp / "kiwibot.db"),
            "rooms": {"programme": self.programme, "digest": self.digest},
            "web": {"listen": f"127.0.0.1:{self.web_port}", "base_url": self.web_url},
        }
        for key, value in overrides.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return data

    def config(self, **overrides: Any) -> Config:
        return parse_config(self.config_data(**overrides), self.tmp, {})

    def config_file(self, **overrides: Any) -> Path:
        import yaml

        path = self.tmp / "config.yaml"
        path.write_text(yaml.safe_dump(self.config_data(**overrides), allow_unicode=True))
        return path

    async def spawn_bot(self, config: Path | None = None, *, output: bool = False) -> asyncio.subprocess.Process:
        """The bot as its own process (`kiwibot run`), for signals and kills; `output` captures its log."""
        sink = asyncio.subprocess.PIPE if output else asyncio.subprocess.DEVNULL
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "kiwibot",
            "run",
            "--config",
            str(config or self.config_file()),
            stdout=sink,
            stderr=asyncio.subprocess.STDOUT if output else asyncio.subprocess.DEVNULL,
        )

    async def start_bot(self, **overrides: Any) -> App:
        app = App(self.config(**overrides), clock=self.clock)
        self.apps.append(app)
        await app.start()
        return app

    async def stop_bot(self, app: App) -> None:
        await app.stop()
        self.apps.remove(app)

    async def user(self, name: str, join: tuple[str, ...] = ()) -> User:
        user = await make_user(self.synapse, f"{name}-{self.tag}")
        self.users.append(user)
        for room in join:
            await self.host.client.room_invite(room, user.user_id)
            await user.join(room)
        return user


@pytest.fixture
async def world(synapse: LocalSynapse, tmp_path: Path, unique: str) -> AsyncIterator[World]:
    host = await make_user(synapse, f"host-{unique}")
    bot_id = synapse.register(f"kiwibot-{unique}", "pw-bot")
    # Admins make the bot a moderator of the programme room so it can pin the overview.
    programme = await host.create_room(f"KIWI Programm {unique}", invite=[bot_id], power_users={bot_id: 50})
    digest = await host.create_room(f"KIWI Tagesprogramm {unique}", invite=[bot_id])
    w = World(synapse, tmp_path, unique, host, bot_id, programme, digest)
    try:
        yield w
    finally:
        for app in list(w.apps):
            await app.stop()
        for user in [host, *w.users]:
            await user.close()
