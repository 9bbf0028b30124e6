"""`kiwibot demo` end to end: own Synapse, walk-through transcript, nothing left running."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def test_demo_plays_the_walkthrough_and_leaves_nothing_running(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiwibot", "demo", "--dir", str(tmp_path / "demo"), "--no-wait"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Homeserver:  http://127.0.0.1:" in out
    assert "Benutzer/user 'demo'" in out
    assert re.search(r"programme page of 'demo':  http://127\.0\.0\.1:\d+/p/[\w-]{32}\n", out), out
    assert re.search(r"calendar feed of 'demo':        http://127\.0\.0\.1:\d+/feed/[\w-]{32}/mine\.ics", out)
    assert "[@demo:localhost] !hilfe" in out
    assert "Das kann ich" in out
    assert "Pong" in out
    assert "📣 KIWI-Session 1: Die E-Akte im Alltag" in out
    assert "[@kollegin:localhost] reagiert mit / reacts with 👍" in out
    assert "habe ich dir per Direktnachricht geschickt" in out  # the list is not for the whole room
    direct = out.split("direct chat with the bot ---")[1]
    assert "1. kollegin (`@kollegin:localhost`)" in direct
    assert "1 teilnehmende Person\n    Reagiere mit 👍" in out
    pid_file = tmp_path / "demo" / "synapse" / "homeserver.pid"
    if pid_file.exists():
        pid = int(pid_file.read_text())
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
