"""The Dockerfile read as text: what the image promises that a wrong line would break only at an operator's."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def final_stage() -> list[str]:
    """The image's own instructions (after the last FROM), continuation lines joined, comments left out."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    instructions = [line.strip() for line in joined.splitlines() if line.strip()]
    last_from = max(n for n, line in enumerate(instructions) if line.startswith("FROM "))
    return instructions[last_from + 1 :]


def environment(stage: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in stage:
        if line.startswith("ENV "):
            for word in shlex.split(line[4:]):
                name, _, value = word.partition("=")
                found[name] = value
    return found


def test_matplotlib_keeps_its_cache_in_the_image_not_on_the_data_volume() -> None:
    """HOME is /data (the volume): without MPLCONFIGDIR matplotlib would write its font cache there."""
    stage = final_stage()
    home = re.search(r"--home-dir (\S+)", " ".join(stage))
    assert home is not None and home.group(1) == "/data"
    config_dir = environment(stage).get("MPLCONFIGDIR", "")
    assert config_dir.startswith("/") and not config_dir.startswith("/data")
    runs = " ".join(line for line in stage if line.startswith("RUN "))
    assert 'mkdir -p "$MPLCONFIGDIR"' in runs  # created in the image …
    owner = re.search(r"chown -R 10001:10001 (\S+)", runs)
    assert owner is not None and config_dir.startswith(owner.group(1))  # … and writable by the image's user
