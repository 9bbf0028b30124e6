"""Command line: `kiwibot run --config PATH`, `kiwibot check`, `kiwibot health`, `kiwibot demo`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys

from kiwibot.config import Config, ConfigError, load_config
from kiwibot.core.errors import StorageUnavailable
from kiwibot.storage import AlreadyRunning, DatabaseTooNew

EXIT_CONFIG = 2


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    # nio logs every retry and unknown event at WARNING/INFO; our own lines say what matters.
    logging.getLogger("nio").setLevel(logging.ERROR)


def _load(path: str) -> Config | None:
    """The config for every command that reads one; a bad one is printed, one problem per line."""
    try:
        return load_config(path)
    except ConfigError as err:
        print(f"kiwibot: the configuration {path} has problems:", file=sys.stderr)
        for problem in err.problems:
            print(f"  - {problem}", file=sys.stderr)
        return None


def _run(args: argparse.Namespace) -> int:
    config = _load(args.config)
    if config is None:
        return EXIT_CONFIG
    _setup_logging(config.log_level)
    from kiwibot.app import App  # after the config check: keeps `kiwibot run` with a bad config fast

    try:
        app = App(config)
    except (DatabaseTooNew, AlreadyRunning) as err:
        print(f"kiwibot: {err}", file=sys.stderr)
        return 1
    except (sqlite3.Error, StorageUnavailable, OSError) as err:
        print(
            f"kiwibot: cannot use the database {config.database}: {err} (is it read-only or the disk full?)",
            file=sys.stderr,
        )
        return 1
    from kiwibot.web.server import WebListenError

    try:
        asyncio.run(app.run_until_signal())
    except WebListenError as err:
        print(f"kiwibot: {err}", file=sys.stderr)
        return 1
    except SystemExit as err:
        if isinstance(err.code, str):
            logging.getLogger("kiwibot").error("%s", err.code)
            return 1
        raise
    return 0


def _check(args: argparse.Namespace) -> int:
    config = _load(args.config)
    if config is None:
        return EXIT_CONFIG
    from kiwibot.check import check

    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("nio").setLevel(logging.CRITICAL)
    report = asyncio.run(check(config))
    print(report.render())
    return 0 if report.ok else 1


def _health(args: argparse.Namespace) -> int:
    """For a container's HEALTHCHECK: 0 while the bot syncs, 1 otherwise (2 means something else to Docker)."""
    config = _load(args.config)
    if config is None:
        return 1
    from kiwibot.health import health

    result = health(config)
    print(result.text)
    return 0 if result.ok else 1


def _backup(args: argparse.Namespace) -> int:
    config = _load(args.config)
    if config is None:
        return EXIT_CONFIG
    from pathlib import Path

    from kiwibot.check import backup

    pages = backup(config, Path(args.out))
    print(f"kiwibot: database copied to {args.out} ({pages} pages)")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from kiwibot.demo import main as demo_main

    return demo_main(args.dir, stay=not args.no_wait)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiwibot", description="KIWI – Kollegiale Impulse, Wissenswerkstatt")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot in the foreground")
    run.add_argument("--config", required=True, help="path to the YAML configuration")
    run.set_defaults(func=_run)
    check = sub.add_parser("check", help="check config, homeserver, login, rooms and permissions")
    check.add_argument("--config", required=True)
    check.set_defaults(func=_check)
    health = sub.add_parser("health", help="is the running bot syncing? (exit 0) – for a container's health check")
    health.add_argument("--config", required=True)
    health.set_defaults(func=_health)
    backup = sub.add_parser("backup", help="consistent copy of the database (safe while the bot runs)")
    backup.add_argument("--config", required=True)
    backup.add_argument("out", help="file to write the copy to")
    backup.set_defaults(func=_backup)
    demo = sub.add_parser("demo", help="throwaway local homeserver + bot + scripted walk-through")
    demo.add_argument("--dir", default=".demo", help="folder for the demo's homeserver and database")
    demo.add_argument("--no-wait", action="store_true", help="stop after the walk-through (for tests)")
    demo.set_defaults(func=_demo)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
