"""`kiwibot check` and `kiwibot backup` as an admin runs them."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import World
from tests.integration.sessionkit import offer

pytestmark = pytest.mark.integration


async def run(*args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "kiwibot", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, out.decode()


async def test_check_passes_for_a_working_setup_and_names_what_is_wrong(world: World) -> None:
    app = await world.start_bot()
    await world.stop_bot(app)
    code, out = await run("check", "--config", str(world.config_file()))
    assert code == 0, out
    assert "OK   logged in" in out and "programme room" in out and "may pin the overview" in out
    assert "FAIL" not in out

    elsewhere = await world.host.create_room("Nicht eingeladen")
    code, out = await run("check", "--config", str(world.config_file(rooms={"digest": elsewhere})))
    assert code == 1
    assert "FAIL digest room" in out and "NOT joined" in out

    code, out = await run("check", "--config", str(world.config_file(homeserver="http://127.0.0.1:9")))
    assert code == 1 and "unreachable" in out


async def test_check_reports_missing_rights_to_pin(world: World) -> None:
    room = await world.host.create_room("Ohne Rechte", invite=[world.bot_id])
    app = await world.start_bot(rooms={"programme": room})
    await world.stop_bot(app)
    code, out = await run("check", "--config", str(world.config_file(rooms={"programme": room})))
    assert code == 1
    assert "FAIL programme room: may pin the overview (power level 0, needs 50)" in out


async def test_backup_while_the_bot_runs(world: World, tmp_path: Path) -> None:
    await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    await offer(world, giver, title="Gesichert")
    target = tmp_path / "copy" / "backup.db"
    code, out = await run("backup", "--config", str(world.config_file()), str(target))
    assert code == 0, out
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT title FROM sessions").fetchall() == [("Gesichert",)]
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
