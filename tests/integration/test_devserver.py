"""The throwaway Synapse every integration test relies on: start, users, restart with data kept."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from kiwibot.devserver import LocalSynapse

pytestmark = pytest.mark.integration


def _versions(url: str) -> dict[str, object]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{url}/_matrix/client/versions", timeout=5) as resp:
        assert resp.status == 200
        body: dict[str, object] = json.loads(resp.read())
        return body


def test_start_register_login_restart_keeps_data(tmp_path: Path) -> None:
    server = LocalSynapse(tmp_path / "hs")
    try:
        server.start()
        port = server.port
        assert port > 0
        assert server.url == f"http://127.0.0.1:{port}"
        assert "versions" in _versions(server.url)

        assert server.register("alice", "alice-pw") == "@alice:localhost"
        assert server.register("bob", "bob-pw", admin=True) == "@bob:localhost"
        token, device = server.login_token("alice", "alice-pw")
        assert token
        assert device
        key_path = tmp_path / "hs" / "localhost.signing.key"
        key = key_path.read_bytes()

        server.stop()
        assert not server.running
        server.stop()  # idempotent

        server.start()
        assert server.port == port
        assert "versions" in _versions(server.url)
        assert key_path.read_bytes() == key
        token2, device2 = server.login_token("alice", "alice-pw")
        assert token2 != token
        assert device2 != device
        with pytest.raises(RuntimeError, match="login of 'alice' failed"):
            server.login_token("alice", "wrong")
    finally:
        server.stop()
    assert not server.running


def test_register_same_username_twice_fails(tmp_path: Path) -> None:
    with LocalSynapse(tmp_path / "hs") as server:
        server.register("carol", "pw")
        with pytest.raises(RuntimeError, match="M_USER_IN_USE"):
            server.register("carol", "pw")
        # A second server on the same data dir is refused before it is even launched.
        with pytest.raises(RuntimeError, match="another Synapse"):
            LocalSynapse(tmp_path / "hs").start()
