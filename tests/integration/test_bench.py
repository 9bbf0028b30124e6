"""The benchmarks' code must not rot: run the quick sizes end to end. No timing is asserted here."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


async def test_quick_benchmarks_produce_every_row(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench",
        "--quick",
        "--out",
        str(out),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(proc.communicate(), timeout=600)
    text = output.decode()
    assert proc.returncode == 0, text[-3000:]
    written = out.read_text(encoding="utf-8")
    for bench in ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9"):
        assert f"| {bench} |" in written, f"no {bench} row:\n{written}"
    assert "Python" in written and "matrix-synapse" in written
    assert "| pass |" in written or "| **miss** |" in written
