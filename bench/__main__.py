"""``python -m bench [--quick] [--only B1,B5] [--size b7_seconds=10] [--out FILE]``: run benchmarks, print a table."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path

from bench import report
from bench.report import Row

RESULTS = Path(__file__).with_name("results.md")


@dataclass(frozen=True, slots=True)
class Sizes:
    """How much each benchmark does; the quick sizes only prove the code still runs."""

    label: str
    b1_events: int = 10_000
    b2_sessions: int = 4  # per round
    b2_people: int = 20
    b2_rounds: int = 6
    b3_people: int = 100
    b3_sessions: int = 10
    b4_people: int = 100
    b4_sessions: int = 40
    b4_commands: int = 1_000
    b5_sessions: int = 100_000
    b5_upcoming: int = 10_000
    b5_signups: int = 1_000_000
    b6_rounds: int = 100
    b7_sessions: int = 10_000
    b7_clients: int = 200
    b7_seconds: float = 30.0
    b7_reactions: int = 60
    b8_people: int = 100
    b8_messages: int = 1_000
    b8_concurrency: tuple[int, ...] = (1, 4, 8, 16, 32)
    b9_participants: int = 1_000
    b9_sessions: int = 500


FULL = Sizes("full sizes")
QUICK = Sizes(
    "quick sizes (not comparable with the targets)",
    b1_events=300,
    b2_sessions=2,
    b2_people=5,
    b2_rounds=2,
    b3_people=10,
    b3_sessions=3,
    b4_people=10,
    b4_sessions=4,
    b4_commands=20,
    b5_sessions=2_000,
    b5_upcoming=200,
    b5_signups=10_000,
    b6_rounds=5,
    b7_sessions=300,
    b7_clients=10,
    b7_seconds=3.0,
    b7_reactions=4,
    b8_people=5,
    b8_messages=40,
    b8_concurrency=(1, 8),
    b9_participants=60,
    b9_sessions=20,
)
ALL = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9")


async def run(sizes: Sizes, only: tuple[str, ...], folder: Path) -> list[Row]:
    from bench import b1_event

    rows: list[Row] = []
    if "B1" in only:
        rows += await b1_event.run(folder / "b1", sizes.b1_events)
    if "B5" in only:
        from bench import b5_scale

        rows += await b5_scale.run(folder / "b5", sizes.b5_sessions, sizes.b5_upcoming, sizes.b5_signups)
    network = [b for b in ("B2", "B3", "B4", "B6", "B7", "B8", "B9") if b in only]
    if network:
        from bench.net import Network

        net = Network(folder / "net")
        await net.start()
        try:
            if "B2" in only:
                from bench import b2_end_to_end

                rows += await b2_end_to_end.run(net, sizes.b2_sessions, sizes.b2_people, sizes.b2_rounds)
            if "B3" in only:
                from bench import b3_burst

                rows += await b3_burst.run(net, sizes.b3_people, sizes.b3_sessions)
            if "B4" in only:
                from bench import b4_catchup

                rows += await b4_catchup.run(net, sizes.b4_people, sizes.b4_sessions, sizes.b4_commands)
            if "B6" in only:
                from bench import b6_commands

                rows += await b6_commands.run(net, sizes.b6_rounds)
            if "B7" in only:
                from bench import b7_web

                rows += await b7_web.run(net, sizes.b7_sessions, sizes.b7_clients, sizes.b7_seconds, sizes.b7_reactions)
            if "B8" in only:
                from bench import b8_drain

                rows += await b8_drain.run(net, sizes.b8_people, sizes.b8_messages, sizes.b8_concurrency)
            if "B9" in only:
                from bench import b9_fanout

                rows += await b9_fanout.run(net, sizes.b9_participants, sizes.b9_sessions)
        finally:
            await net.stop()
    order = {b: i for i, b in enumerate(ALL)}
    return sorted(rows, key=lambda r: order[r.bench])


def _override(sizes: Sizes, items: list[str]) -> Sizes:
    """`--size name=value`: one size changed for a partial run; the label says so."""
    known = {f.name: f.type for f in fields(Sizes) if f.name != "label"}
    changes: dict[str, float | int] = {}
    for item in items:
        name, _, value = item.partition("=")
        if name not in known or not value:
            raise SystemExit(f"--size: expected one of {', '.join(known)} as NAME=VALUE, not {item!r}")
        changes[name] = float(value) if known[name] in (float, "float") else int(value)
    label = f"{sizes.label}, changed: " + ", ".join(f"{k}={v}" for k, v in changes.items())
    return replace(sizes, label=label, **changes)  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute; figures mean nothing")
    parser.add_argument("--only", default=",".join(ALL), help="comma-separated ids, e.g. B1,B5")
    parser.add_argument(
        "--size",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one size for a partial run, e.g. b7_seconds=10 (repeatable; never for the results file)",
    )
    parser.add_argument("--out", type=Path, help=f"write the results here (default for full runs: {RESULTS})")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Each benchmark stops its bot, sometimes while the start-up digest is being posted; APScheduler reports
    # that cancellation as a failed job with a traceback, which would only bury the table.
    logging.getLogger("apscheduler.executors").setLevel(logging.CRITICAL)
    sizes = QUICK if args.quick else FULL
    if args.size:
        sizes = _override(sizes, args.size)
    only = tuple(part.strip().upper() for part in args.only.split(",") if part.strip())
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kiwibot-bench-") as tmp:
        rows = asyncio.run(run(sizes, only, Path(tmp)))
    seconds = time.monotonic() - began
    text = report.document(rows, sizes.label, seconds)
    print(text)
    out = args.out or (None if args.quick or args.size or only != ALL else RESULTS)
    if out is not None:
        report.write_results(out, text)
        print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
