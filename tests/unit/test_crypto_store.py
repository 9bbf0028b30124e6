"""The crypto store around sync: nio's per-sync write of "encrypted rooms seen" only when there are some (#15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from nio import SyncResponse
from nio.store import SqliteStore

from kiwibot.config import parse_config
from kiwibot.matrix.crypto import Crypto
from kiwibot.matrix.login import new_client

ROOM = "!room:localhost"


def sync_response(batch: str, encrypted: bool) -> SyncResponse:
    state = [
        {
            "type": "m.room.encryption",
            "state_key": "",
            "sender": "@a:localhost",
            "event_id": f"$enc{batch}",
            "origin_server_ts": 1,
            "content": {"algorithm": "m.megolm.v1.aes-sha2"},
        }
    ]
    room = {"timeline": {"events": [], "limited": False}, "state": {"events": state if encrypted else []}}
    response = SyncResponse.from_dict({"next_batch": batch, "rooms": {"join": {ROOM: room}}})
    assert isinstance(response, SyncResponse), response
    return response


async def test_a_sync_without_new_encrypted_rooms_writes_nothing_to_the_crypto_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved: list[set[str]] = []
    original = SqliteStore.save_encrypted_rooms

    def counting(self: SqliteStore, rooms: Any) -> None:
        saved.append(set(rooms))
        original(self, rooms)

    monkeypatch.setattr(SqliteStore, "save_encrypted_rooms", counting)
    config = parse_config(
        {
            "homeserver": "http://127.0.0.1:9",
            "user_id": "@kiwibot:localhost",
            "password": "unused",
            "database": str(tmp_path / "kiwibot.db"),
            "rooms": {"programme": ROOM, "digest": "!digest:localhost"},
        },
        tmp_path,
        {},
    )
    client = new_client(config)
    client.user_id, client.device_id, client.access_token = "@kiwibot:localhost", "DEVICE", "token"
    Crypto(config, client).load()
    for n in range(5):
        await client.receive_response(sync_response(f"s{n}", encrypted=False))
    assert saved == []
    await client.receive_response(sync_response("s9", encrypted=True))
    assert saved == [{ROOM}]
    assert ROOM in client.store.load_encrypted_rooms()
    await client.close()
