"""Figures → one table: rows with the target beside them, the machine and the versions they came from."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
DEPENDENCIES = ("matrix-nio", "aiohttp", "apscheduler", "sqlite-utils", "pyyaml", "babel", "nh3", "matrix-synapse")


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table; `ok` is None for figures that only explain another row."""

    bench: str
    what: str
    measured: str
    target: str = ""
    ok: bool | None = None

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("pass" if self.ok else "**miss**")


def ms(seconds: float) -> str:
    """Milliseconds with as many digits as they deserve."""
    value = seconds * 1000
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def quantile(values: Sequence[float], q: float) -> float:
    """Nearest-rank quantile: an observed value, no interpolation beyond the data."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))
    return ordered[rank]


def spread(values: Sequence[float]) -> str:
    """'median 0.210 ms · p95 … · p99 …' in milliseconds."""
    if not values:
        return "no samples"
    med = statistics.median(values)
    return (
        f"median {ms(med)} ms · p95 {ms(quantile(values, 0.95))} · p99 {ms(quantile(values, 0.99))} (n={len(values)})"
    )


def markdown(rows: Sequence[Row]) -> str:
    lines = ["| id | what | measured | target | result |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {r.bench} | {r.what} | {r.measured} | {r.target} | {r.verdict} |" for r in rows]
    return "\n".join(lines)


def machine() -> str:
    """Cores, CPU, Python and the versions that produced the figures."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in ("kiwibot", *DEPENDENCIES):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return (
        f"- machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}\n"
        f"- Python {platform.python_version()} ({sys.implementation.name}), SQLite {sqlite3.sqlite_version}\n"
        f"- versions: {', '.join(versions)}"
    )


def document(rows: Sequence[Row], sizes: str, seconds: float) -> str:
    now = dt.datetime.now(dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return f"Run {now}, {sizes}, took {seconds / 60:.1f} min (`make bench`).\n\n{machine()}\n\n{markdown(rows)}\n"


def write_results(path: Path, text: str) -> None:
    """Replace the generated part of the results file; notes outside the markers (before/after) stay."""
    old = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmark results\n\n{BEGIN}\n{END}\n"
    if BEGIN not in old or END not in old:
        old = f"{old.rstrip()}\n\n{BEGIN}\n{END}\n"
    head, _, rest = old.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")
