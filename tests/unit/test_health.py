"""`kiwibot health`: healthy only while the running bot's own syncs succeed, read beside it without writing."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from kiwibot.__main__ import main
from kiwibot.config import Config, parse_config
from kiwibot.health import STALE_AFTER, health, judge, process_start
from kiwibot.matrix.sync import HEARTBEAT_EVERY, SYNC_TIMEOUT_MS
from kiwibot.storage import InstanceLock, Store
from kiwibot.storage.peek import HEARTBEAT_KEY

NOW = 1_800_000_000.0


def ms(seconds: float) -> str:
    return str(int(seconds * 1000))


def test_a_fresh_heartbeat_is_healthy() -> None:
    result = judge(ms(NOW - 25), NOW, started=NOW - 600)
    assert result.ok and result.text == "syncing: the last successful sync was 25 s ago"


def test_no_heartbeat_is_not_syncing_yet() -> None:
    assert not judge(None, NOW).ok


def test_an_old_heartbeat_means_the_syncs_fail() -> None:
    result = judge(ms(NOW - STALE_AFTER - 1), NOW, started=NOW - 3600)
    assert not result.ok and "121 s ago" in result.text


def test_a_heartbeat_from_before_the_start_is_the_previous_runs() -> None:
    result = judge(ms(NOW - 5), NOW, started=NOW - 2)
    assert not result.ok and "since the start 2 s ago" in result.text


def test_a_heartbeat_that_is_no_number_is_not_healthy() -> None:
    assert not judge("soon", NOW).ok


def test_the_limit_leaves_room_for_several_long_polls() -> None:
    # An idle sync returns every SYNC_TIMEOUT_MS; heartbeats are written at most every HEARTBEAT_EVERY seconds.
    assert STALE_AFTER >= 3 * SYNC_TIMEOUT_MS / 1000 + HEARTBEAT_EVERY


def test_process_start_reads_proc(tmp_path: Path) -> None:
    (tmp_path / "stat").write_text("cpu  1 2 3\nbtime 1700000000\nprocesses 9\n")
    (tmp_path / "42").mkdir()
    fields = ["S", *["0"] * 18, str(250 * os.sysconf("SC_CLK_TCK"))]  # field 22: starttime in clock ticks
    (tmp_path / "42" / "stat").write_text(f"42 (kiwi bot) x) {' '.join(fields)} 0 0\n")
    assert process_start(42, tmp_path) == 1_700_000_250
    assert process_start(43, tmp_path) is None


def test_process_start_of_this_process_is_in_the_past() -> None:
    started = process_start(os.getpid())
    assert started is not None and time.time() - 3600 < started <= time.time()


def config_for(tmp_path: Path) -> Config:
    data = {
        "homeserver": "http://127.0.0.1:8008",
        "user_id": "@kiwibot:localhost",
        "password": "x",
        "rooms": {"programme": "!a:localhost", "digest": "!b:localhost"},
    }
    return parse_config(data, tmp_path, {})


def test_health_of_a_running_bot_that_synced(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    lock = InstanceLock(config.database)  # held by this process, as the bot holds it
    lock.acquire()
    store = Store.open(config.database)
    try:
        store.set_meta(HEARTBEAT_KEY, ms(time.time()))
        assert health(config).ok
        assert not health(config, now=time.time() + STALE_AFTER + 5).ok
    finally:
        store.close()
        lock.release()


def test_health_without_a_bot_or_without_a_sync(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    result = health(config)
    assert not result.ok and result.text.startswith("not running")
    lock = InstanceLock(config.database)
    lock.acquire()
    try:
        result = health(config)  # the bot holds its lock but has not synced: there is not even a database yet
        assert not result.ok and result.text.startswith("not syncing yet")
        assert not config.database.exists()  # looking never creates it
    finally:
        lock.release()


def test_health_when_the_bot_is_gone(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    store = Store.open(config.database)
    store.set_meta(HEARTBEAT_KEY, ms(time.time()))
    store.close()
    Path(f"{config.database}.lock").write_text("999999999")  # a pid no process has
    result = health(config)
    assert not result.ok and result.text.startswith("not running")


def test_the_command_exits_0_or_1_never_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"homeserver": "nope"}))
    assert main(["health", "--config", str(path)]) == 1  # Docker reserves 2
    config = config_for(tmp_path)
    path.write_text(
        yaml.safe_dump(
            {
                "homeserver": config.homeserver,
                "user_id": config.user_id,
                "password": "x",
                "rooms": {"programme": "!a:localhost", "digest": "!b:localhost"},
            }
        )
    )
    lock = InstanceLock(config.database)
    lock.acquire()
    store = Store.open(config.database)
    try:
        store.set_meta(HEARTBEAT_KEY, ms(time.time()))
        capsys.readouterr()
        assert main(["health", "--config", str(path)]) == 0
        assert capsys.readouterr().out.startswith("syncing:")
    finally:
        store.close()
        lock.release()


def test_an_unreadable_database_is_not_healthy(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    lock = InstanceLock(config.database)
    lock.acquire()
    try:
        config.database.write_bytes(b"not a database, but some bytes that fill a page " * 100)
        result = health(config)
        assert not result.ok and "cannot read" in result.text, result.text
    finally:
        lock.release()
