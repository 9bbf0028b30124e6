"""The command line as a person runs it: a bad config ends with exit code 2 and names the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiwibot", "run", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_bad_config_exits_2_and_names_each_key(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        'homeserver: "ftp://nope"\nuser_id: "kiwibot"\npassword: "x"\nreminders: [15, "bald"]\n'
        'rooms: {programme: "#kiwi:example.org"}\nremindrs: []\n'
    )
    result = run(config)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for key in ("homeserver", "user_id", "reminders[1]", "rooms.digest", '"remindrs"'):
        assert key in result.stderr, key


def test_missing_config_file_exits_2(tmp_path: Path) -> None:
    result = run(tmp_path / "nope.yaml")
    assert result.returncode == 2
    assert "nope.yaml" in result.stderr
