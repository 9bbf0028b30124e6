"""The container image run as README tells operators to run it, against the test Synapse on the host network.

`make image-test` builds the image and runs this file with ENGINE (docker or podman) and KIWIBOT_IMAGE set;
`make test` leaves it out (marker `container`). The steps follow README's "Docker / Podman" section: a config on
a mounted /data owned by the image's user, the password from KIWIBOT_PASSWORD, `run -d`, `exec … kiwibot check`,
`stop`, and a new container on the same /data.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sqlite3
import subprocess
import time
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.integration.conftest import World
from tests.integration.matrixkit import accept_direct_chat, body, replied_to

ENGINE = os.environ.get("ENGINE", "")
IMAGE = os.environ.get("KIWIBOT_IMAGE", "")
UID = 10001  # the image's user (Dockerfile)
STOP_WITHIN = 10.0
WEB_PORT = 8080  # EXPOSE 8080; on the host network a free port stands in when another process holds it

pytestmark = [
    pytest.mark.container,
    pytest.mark.skipif(not (ENGINE and IMAGE), reason="run by `make image-test`, which sets ENGINE and KIWIBOT_IMAGE"),
]

# Local traffic (the bot's web side) must never go through an http_proxy from the environment.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Result:
    code: int
    out: str


@dataclass
class Container:
    """One named container of the image, started and stopped as README says; its log is kept for failures."""

    name: str
    data: Path
    web: int
    timings: dict[str, float] = field(default_factory=dict)

    async def engine(self, *args: str, within: float = 60) -> Result:
        """`docker …` or `podman …`, with the bot's password in the environment as README's steps export it."""
        process = await asyncio.create_subprocess_exec(
            ENGINE, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, "KIWIBOT_PASSWORD": "pw-bot"},
        )  # fmt: skip
        out, _ = await asyncio.wait_for(process.communicate(), within)
        assert process.returncode is not None
        return Result(process.returncode, out.decode(errors="replace"))

    async def run(self) -> None:
        """`run -d` as in README, with the host network instead of `-p 127.0.0.1:8080:8080`: the test Synapse
        listens on the host's 127.0.0.1."""
        started = time.monotonic()
        result = await self.engine(
            "run", "-d", "--name", self.name, "--restart", "unless-stopped", "--network", "host",
            "-v", f"{self.data}:/data", "-e", "KIWIBOT_PASSWORD", IMAGE,
        )  # fmt: skip
        assert result.code == 0, result.out
        await self.until_healthy()
        self.timings.setdefault("start → healthy (first)", time.monotonic() - started)
        self.timings["start → healthy (last)"] = time.monotonic() - started

    async def health(self) -> Result:
        """The image's own HEALTHCHECK where the engine runs it on demand (podman), else its command."""
        if ENGINE == "podman":
            return await self.engine("healthcheck", "run", self.name)
        return await self.engine("exec", self.name, "kiwibot", "health", "--config", "/data/config.yaml")

    async def until_healthy(self, within: float = 90) -> None:
        deadline = time.monotonic() + within
        while True:
            result = await self.health()
            if result.code == 0:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"not healthy within {within} s: {result.out}\n{await self.logs()}")
            await asyncio.sleep(1)

    async def inspect(self, template: str) -> str:
        result = await self.engine("inspect", "--format", template, self.name)
        assert result.code == 0, result.out
        return result.out.strip()

    async def logs(self) -> str:
        return (await self.engine("logs", self.name)).out

    async def remove(self) -> None:
        await self.engine("rm", "-f", self.name)


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
        return True


def _any_free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_data(world: World, data: Path, web_port: int) -> None:
    """README's step: config.yaml in data/ (secrets from the environment, database beside it), owned by uid 10001."""
    config: dict[str, Any] = world.config_data()
    del config["password"]  # from KIWIBOT_PASSWORD, as README says
    config["database"] = "kiwibot.db"  # relative to the config file: /data/kiwibot.db
    # In a container the web side must listen on every interface, not the default 127.0.0.1.
    config["web"] = {"enabled": True, "listen": f"0.0.0.0:{web_port}", "base_url": f"http://127.0.0.1:{web_port}"}
    data.mkdir()
    (data / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    for path in (data, data / "config.yaml"):
        os.chown(path, UID, UID)


def meta(data: Path, key: str) -> str | None:
    with sqlite3.connect(f"{(data / 'kiwibot.db').as_uri()}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def bot_devices(world: World, token: str) -> list[str]:
    request = urllib.request.Request(
        f"{world.synapse.url}/_matrix/client/v3/devices", headers={"Authorization": f"Bearer {token}"}
    )
    with _opener.open(request, timeout=10) as response:
        return [d["device_id"] for d in json.load(response)["devices"]]


def process(pid: int) -> tuple[int, str]:
    """The real uid and the command line of a host process (rootful engines: the container's uid is the host's)."""
    status = Path(f"/proc/{pid}/status").read_text()
    uid = int(next(line.split()[1] for line in status.splitlines() if line.startswith("Uid:")))
    return uid, Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")


@pytest.fixture
async def container(world: World, tmp_path: Path) -> AsyncIterator[Container]:
    if os.geteuid() != 0:
        pytest.skip("the test gives /data to uid 10001 with chown and runs a rootful engine: run it as root")
    web = WEB_PORT if _port_free(WEB_PORT) else _any_free_port()
    box = Container(f"kiwibot-test-{world.tag}", tmp_path / "data", web)
    write_data(world, box.data, web)
    try:
        yield box
    finally:
        print(f"--- {ENGINE} logs of {box.name} ---\n{await box.logs()}")
        print("timings: " + ", ".join(f"{what} {seconds:.1f} s" for what, seconds in box.timings.items()))
        await box.remove()


async def ping(world: World, user: Any) -> str:
    """`!ping` from a real nio client; returns the ping's event id once the bot has answered it."""
    sent = await user.send(world.programme, "!ping")
    reply = await user.wait_reply(world.programme, sent, world.bot_id, within=60)
    assert body(reply).endswith("🏓 Pong! Ich bin da."), body(reply)
    return str(sent)


async def calendar_feed_answers(world: World, user: Any, box: Container) -> None:
    """`!kalender` sends the links by direct message; the personal feed answers over HTTP with a calendar."""
    sent = await user.send(world.programme, "!kalender")
    await user.wait_reply(world.programme, sent, world.bot_id, within=60)
    dm = await accept_direct_chat(user)
    message = await user.wait_for(dm, lambda e: e.get("sender") == world.bot_id and ".ics" in body(e), within=60)
    feeds = re.findall(r"https?://[^\s<>\"')]+\.ics", body(message))
    assert feeds, body(message)
    assert all(f":{box.web}/" in url for url in feeds), (feeds, box.web)
    with _opener.open(feeds[0], timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/calendar")
        assert response.read().decode().startswith("BEGIN:VCALENDAR")


def test_the_image_is_what_operators_are_promised() -> None:
    """User, volume, port, health check and labels as README describes them; no compiler, pip or build cache."""
    found = subprocess.run([ENGINE, "image", "inspect", IMAGE], capture_output=True, text=True, check=True)
    image = json.loads(found.stdout)[0]
    config = image["Config"]
    assert config["User"] == f"{UID}:{UID}"
    assert "/data" in config["Volumes"]
    assert "8080/tcp" in config["ExposedPorts"]
    assert config["Entrypoint"] == ["kiwibot"] and config["Cmd"] == ["run", "--config", "/data/config.yaml"]
    healthcheck = image.get("Healthcheck") or config.get("Healthcheck") or {}  # podman: top level; docker: Config
    assert healthcheck.get("Test") == ["CMD", "kiwibot", "health", "--config", "/data/config.yaml"]
    labels = config["Labels"]
    assert labels["org.opencontainers.image.licenses"] == "AGPL-3.0-or-later"
    assert labels["org.opencontainers.image.version"] == IMAGE.rsplit(":", 1)[1]
    assert "org.opencontainers.image.source" in labels
    inside = subprocess.run(
        [ENGINE, "run", "--rm", "--network", "host", "--entrypoint", "sh", IMAGE, "-c",
         "for tool in gcc cc make pip pip3; do command -v $tool; done; ls -d /root/.cache /opt/kiwibot/bin/pip*"
         " 2>/dev/null; id -u; grep -c 'GNU AFFERO GENERAL PUBLIC LICENSE' /usr/share/doc/kiwibot/LICENSE"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert inside.stdout.split() == [str(UID), "1"], inside.stdout  # the license travels with the image


def test_matplotlib_finds_its_font_cache_in_the_image_and_writes_nothing_to_data() -> None:
    """HOME is /data: matplotlib's cache belongs to the image (MPLCONFIGDIR), built there and writable by the user."""
    script = (
        "import os, matplotlib.font_manager as f, matplotlib as m; d = m.get_cachedir();"
        " print(d, os.access(d, os.W_OK), any(n.startswith('fontlist') for n in os.listdir(d)), os.listdir('/data'))"
    )
    found = subprocess.run(
        [ENGINE, "run", "--rm", "--network", "host", "--entrypoint", "python3", IMAGE, "-c", script],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert found.stdout.split() == ["/var/cache/kiwibot/matplotlib", "True", "True", "[]"], found.stdout + found.stderr


async def test_the_image_runs_the_bot_as_readme_says(world: World, container: Container) -> None:
    box = container
    await box.run()

    started = time.monotonic()
    check = await box.engine("exec", box.name, "kiwibot", "check", "--config", "/data/config.yaml")
    box.timings["kiwibot check"] = time.monotonic() - started
    lines = check.out.strip().splitlines()
    assert check.code == 0 and lines and all(line.startswith("OK ") for line in lines), check.out
    health = await box.engine("exec", box.name, "kiwibot", "health", "--config", "/data/config.yaml")
    assert health.code == 0 and health.out.startswith("syncing: the last successful sync was"), health.out

    alice = await world.user("alice", join=(world.programme,))
    first_ping = await ping(world, alice)

    pid = int(await box.inspect("{{.State.Pid}}"))
    uid, command = process(pid)
    assert uid == UID and "kiwibot run --config /data/config.yaml" in command, (uid, command)

    await calendar_feed_answers(world, alice, box)

    device, instance, token = (meta(box.data, key) for key in ("device_id", "instance_id", "access_token"))
    assert device and instance and token
    devices = bot_devices(world, token)
    assert device in devices

    started = time.monotonic()
    stop = await box.engine("stop", "-t", str(int(STOP_WITHIN)), box.name, within=STOP_WITHIN + 20)
    box.timings["stop"] = time.monotonic() - started
    assert stop.code == 0, stop.out
    assert box.timings["stop"] < STOP_WITHIN
    assert await box.inspect("{{.State.ExitCode}}") == "0"  # SIGTERM handled, not killed after the grace time
    assert "stopped" in await box.logs()

    # A new container on the same /data: an upgrade or a recreated container goes on where the old one stopped.
    removed = await box.engine("rm", box.name)
    assert removed.code == 0, removed.out
    restarted = time.time()
    await box.run()
    # healthy only once the new bot has synced, not on the heartbeat the old one left
    assert int(meta(box.data, "heartbeat_ms") or 0) / 1000 >= restarted
    assert meta(box.data, "device_id") == device
    assert meta(box.data, "instance_id") == instance
    assert meta(box.data, "access_token") == token
    assert bot_devices(world, token) == devices  # no new login, no new device
    await ping(world, alice)
    answers = [e for e in alice.events[world.programme] if replied_to(e) == first_ping]
    assert len(answers) == 1, "the ping from before the restart was answered again"
