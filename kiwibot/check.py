"""`kiwibot check` and `kiwibot backup`: an admin's tools, run beside (or instead of) the bot."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinedRoomsResponse,
    LoginResponse,
    RoomGetStateEventResponse,
    RoomResolveAliasResponse,
    WhoamiResponse,
)

from kiwibot.config import Config
from kiwibot.matrix.crypto import StoreState, inspect_store, server_has_device_keys
from kiwibot.matrix.network import NETWORK_ERRORS
from kiwibot.storage import Store


@dataclass
class Report:
    lines: list[tuple[bool, str]]

    def add(self, ok: bool, text: str) -> bool:
        self.lines.append((ok, text))
        return ok

    @property
    def ok(self) -> bool:
        return all(ok for ok, _ in self.lines)

    def render(self) -> str:
        return "\n".join(f"{'OK  ' if ok else 'FAIL'} {text}" for ok, text in self.lines)


def _level(levels: dict[str, Any], user_id: str) -> int:
    return int((levels.get("users") or {}).get(user_id, levels.get("users_default", 0)))


def _needed(levels: dict[str, Any], event_type: str, state: bool) -> int:
    default = levels.get("state_default", 50) if state else levels.get("events_default", 0)
    return int((levels.get("events") or {}).get(event_type, default))


async def check(config: Config) -> Report:
    """Can the bot do its work with this configuration? Each point says what is wrong and how to fix it."""
    report = Report([])
    report.add(True, f"configuration valid ({config.user_id} on {config.homeserver})")
    store = Store.open(config.database)
    token, device = config.access_token or store.get_meta("access_token"), store.get_meta("device_id")
    store.close()
    state, line = inspect_store(config, device)
    if state in (StoreState.MISSING, StoreState.CORRUPT):
        line += " – at the next start the bot logs in as a new device (README, 'Encryption': recovery)"
    crypto_line = len(report.lines)
    report.add(state not in (StoreState.MISSING, StoreState.CORRUPT), line)
    client = AsyncClient(
        config.homeserver, config.user_id, config=AsyncClientConfig(max_timeouts=0, encryption_enabled=False)
    )
    temporary_login = False
    try:
        try:
            versions = await client.send("GET", "/_matrix/client/versions")
            reachable = versions.status == 200
        except NETWORK_ERRORS as exc:
            reachable = False
            report.add(False, f"homeserver {config.homeserver} unreachable: {type(exc).__name__}")
        if not reachable:
            return report
        report.add(True, f"homeserver {config.homeserver} reachable")
        if token:
            client.user_id, client.device_id, client.access_token = config.user_id, device or "", token
        who = await client.whoami() if token else None
        if not isinstance(who, WhoamiResponse):
            if not config.password:
                report.add(
                    False, "not logged in: the stored/configured access token is refused and there is no password"
                )
                return report
            login = await client.login(config.password, device_name=f"{config.device_name} (check)")
            if not isinstance(login, LoginResponse):
                report.add(False, f"login as {config.user_id} failed: {login.message}")
                return report
            temporary_login = True
        report.add(True, f"logged in as {config.user_id}")
        if state is StoreState.MISSING and device and not await server_has_device_keys(client, config.user_id, device):
            # A device from before encryption was switched on: its store is simply created at the next start.
            report.lines[crypto_line] = (True, f"crypto store for device {device} will be created at the next start")
        joined = await client.joined_rooms()
        joined_ids = set(joined.rooms) if isinstance(joined, JoinedRoomsResponse) else set()
        for role, room in (("programme", config.rooms.programme), ("digest", config.rooms.digest)):
            room_id = room
            if room.startswith("#"):
                resolved = await client.room_resolve_alias(room)
                if not isinstance(resolved, RoomResolveAliasResponse):
                    report.add(False, f"{role} room {room}: alias cannot be resolved")
                    continue
                room_id = resolved.room_id
            if not report.add(
                room_id in joined_ids,
                f"{role} room {room}: {'joined' if room_id in joined_ids else 'NOT joined – invite the bot'}",
            ):
                continue
            state = await client.room_get_state_event(room_id, "m.room.power_levels")
            levels = state.content if isinstance(state, RoomGetStateEventResponse) else {}
            mine = _level(levels, config.user_id)
            wanted = [("send and edit messages", _needed(levels, "m.room.message", False))]
            if role == "programme":
                wanted += [
                    ("pin the overview", _needed(levels, "m.room.pinned_events", True)),
                    ("redact", int(levels.get("redact", 50))),
                ]
            for what, need in wanted:
                report.add(mine >= need, f"{role} room: may {what} (power level {mine}, needs {need})")
        return report
    finally:
        if temporary_login:
            await client.logout()
        await client.close()


def backup(config: Config, target: Path) -> int:
    """A consistent copy with SQLite's online backup, safe while the bot runs; returns the pages copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{config.database}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
        return int(destination.execute("PRAGMA page_count").fetchone()[0])
    finally:
        destination.close()
        source.close()
