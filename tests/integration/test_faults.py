"""Faults on purpose: the homeserver goes away, the database is locked, read-only or its disk full, the bot
is killed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiwibot.app import App
from kiwibot.config import parse_config
from kiwibot.core.clock import ShiftedClock
from kiwibot.devserver import LocalSynapse
from tests.integration.conftest import World
from tests.integration.matrixkit import (
    User,
    body,
    current_content,
    in_thread_of,
    is_edit_of,
    make_user,
    mentions,
    react,
    redact,
    replied_to,
)
from tests.integration.sessionkit import day, linked_post, offer, offer_text, participants

pytestmark = pytest.mark.integration
OUTAGE = 30.0


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []
        self.changed = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.changed.set()

    async def wait_for(self, predicate, within: float) -> None:
        async with asyncio.timeout(within):
            while not predicate(self.messages):
                self.changed.clear()
                await self.changed.wait()


@pytest.fixture
async def own_server(tmp_path: Path) -> AsyncIterator[LocalSynapse]:
    server = LocalSynapse(tmp_path / "hs")
    await asyncio.to_thread(server.start)
    try:
        yield server
    finally:
        await asyncio.to_thread(server.stop)


async def test_homeserver_outage_loses_nothing_and_reminds_once(own_server: LocalSynapse, tmp_path: Path) -> None:
    host = await make_user(own_server, "host")
    anna = await make_user(own_server, "anna")
    bot_id = own_server.register("kiwibot", "pw-bot")
    programme = await host.create_room("Programm", invite=[bot_id, anna.user_id], power_users={bot_id: 50})
    digest = await host.create_room("Tagesprogramm", invite=[bot_id])
    await anna.join(programme)
    config = parse_config(
        {
            "homeserver": own_server.url,
            "user_id": bot_id,
            "password": "pw-bot",
            "database": str(tmp_path / "k.db"),
            "rooms": {"programme": programme, "digest": digest},
            "reminders": [60],
            "web": {"enabled": False},  # not what this test is about; 8080 may be taken
        },
        tmp_path,
        {},
    )
    clock = ShiftedClock()
    log = Lines()
    logging.getLogger("kiwibot").addHandler(log)
    app = App(config, clock=clock)
    try:
        await app.start()
        sent = await host.send(programme, offer_text(when=day(2, "10:00")))
        answer = await host.wait_reply(programme, sent, bot_id)
        news = await linked_post(user=host, bot_id=bot_id, room=programme, answer=answer)
        session = app.store.get_session(1)
        await react(anna, programme, news)
        ping = await anna.send(programme, "!ping")
        await anna.wait_reply(programme, ping, bot_id)
        assert app.store.attendees(1) == [anna.user_id]

        await asyncio.to_thread(own_server.stop)
        down_at = time.monotonic()
        clock.set(session.starts_at - timedelta(minutes=59))  # the reminder falls due during the outage
        await log.wait_for(lambda lines: sum("unreachable" in m for m in lines) >= 5, within=60)
        await asyncio.sleep(max(0.0, OUTAGE - (time.monotonic() - down_at)))  # the fault itself lasts 30 s
        await asyncio.to_thread(own_server.start)
        await log.wait_for(lambda lines: any("reachable again" in m for m in lines), within=60)

        reminder = await anna.wait_for(
            programme, lambda e: in_thread_of(e, news) and "Erinnerung" in body(e), within=60
        )
        assert mentions(reminder) == sorted([host.user_id, anna.user_id])
        after = await anna.send(programme, "!anmelden 1")
        assert "schon angemeldet" in body(await anna.wait_reply(programme, after, bot_id))
        history = await anna.history(programme)
        assert sum(1 for e in history if in_thread_of(e, news) and "Erinnerung" in body(e)) == 1
        assert app.store.attendees(1) == [anna.user_id]
        assert [s for _, _, s in app.store.reminder_states(1)] == ["sent"]
        attempts = [m for m in log.messages if "unreachable" in m]
        assert "attempt 1" in attempts[0] and "attempt 5" in attempts[4]
    finally:
        logging.getLogger("kiwibot").removeHandler(log)
        await app.stop()
        for user in (host, anna):
            await user.close()


async def _storage_fault_round(
    world: World, app: App, title: str, break_it: Callable[[], None], fix_it: Callable[[], None], cause: str
) -> None:
    """While the database refuses writes an offer is answered "try again later" and the cause is logged;
    once it is fixed the same offer is handled exactly once, and nothing half-written stays behind."""
    giver = await world.user("giver", join=(world.programme,))
    log = Lines()
    logging.getLogger("kiwibot").addHandler(log)
    break_it()
    try:
        sent = await giver.send(world.programme, offer_text(title=title))
        told = await giver.wait_reply(world.programme, sent, world.bot_id, within=60)
        assert "versuche es in ein paar Minuten" in body(told)
        await log.wait_for(lambda lines: any(cause in line for line in lines), within=30)
        assert app._task is not None and not app._task.done()  # the bot keeps running
    finally:
        fix_it()
        logging.getLogger("kiwibot").removeHandler(log)
    confirmed = await giver.wait_for(
        world.programme,
        lambda e: e["sender"] == world.bot_id and "Nummer 1" in body(e),
        within=90,
    )
    assert confirmed
    ping = await giver.send(world.programme, "!ping")
    await giver.wait_reply(world.programme, ping, world.bot_id)
    assert [s.title for s in app.store.upcoming(world.clock.now())] == [title]
    # The answer's edit that links the post is no second answer.
    history = [e for e in await giver.history(world.programme) if "m.new_content" not in e["content"]]
    replies = [e for e in history if e["sender"] == world.bot_id and "Nummer" in body(e)]
    assert len(replies) == 1
    assert len(app.store.pending_outbox()) == 0


async def test_a_locked_database_gets_try_again_later_and_nothing_is_lost(world: World) -> None:
    """Another process holds the database: commands are answered "try again later", none is lost."""
    app = await world.start_bot()
    blocker = sqlite3.connect(world.tmp / "kiwibot.db", timeout=1)
    await _storage_fault_round(
        world,
        app,
        "Trotz Sperre",
        lambda: blocker.execute("BEGIN EXCLUSIVE"),
        lambda: (blocker.rollback(), blocker.close()),
        "locked by another process",
    )


def _chattr(flag: str, *paths: Path) -> None:
    subprocess.run(["chattr", flag, *map(str, paths)], check=True)


needs_chattr = pytest.mark.skipif(
    shutil.which("chattr") is None or os.geteuid() != 0,
    reason="making a file read-only for its owner needs root and chattr (root ignores file modes)",
)


@needs_chattr
async def test_a_read_only_database_file_gets_try_again_later_and_nothing_is_lost(world: World) -> None:
    """The database and its write-ahead log become immutable while the bot runs (a read-only file even
    for root): answered "try again later", logged, handled once the files are writable again."""
    app = await world.start_bot()
    files = [world.tmp / "kiwibot.db", world.tmp / "kiwibot.db-wal"]
    await _storage_fault_round(
        world,
        app,
        "Schreibgeschützt",
        lambda: _chattr("+i", *files),
        lambda: _chattr("-i", *files),
        "cannot be written",
    )


@needs_chattr
async def test_a_database_read_only_at_start_recovers_without_a_restart(world: World) -> None:
    """SQLite opens a file it may not write read-only and stays so: the bot reconnects once the file
    is writable again, so an administrator's fix needs no restart."""
    await world.stop_bot(await world.start_bot())
    db = world.tmp / "kiwibot.db"
    _chattr("+i", db)
    try:
        app = await world.start_bot()
    except BaseException:
        _chattr("-i", db)
        raise
    await _storage_fault_round(world, app, "Von Anfang an", lambda: None, lambda: _chattr("-i", db), "read-only")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 8 MB file system (tmpfs), so the disk really runs full under SQLite."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


async def test_a_full_disk_gets_try_again_later_and_nothing_is_lost(world: World, small_disk: Path) -> None:
    db = small_disk / "kiwibot.db"
    app = await world.start_bot(database=str(db))
    filler = small_disk / "filler"

    def fill() -> None:
        # Empty the write-ahead log first, so the next write must grow a file; give the shared-memory index
        # its pages now (SQLite maps it, and a page it cannot get there would be a SIGBUS, not an error).
        with sqlite3.connect(db, timeout=10) as outside:
            outside.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        subprocess.run(["fallocate", "-l", "32768", f"{db}-shm"], check=True)
        handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            for size in (65536, 1):  # big steps, then the last bytes
                with contextlib.suppress(OSError):
                    while os.write(handle, b"\0" * size):
                        pass
        finally:
            os.close(handle)
        assert shutil.disk_usage(small_disk).free == 0

    await _storage_fault_round(world, app, "Platte voll", fill, filler.unlink, "disk is full")


async def test_sigkill_at_random_points_during_signup_bursts(world: World) -> None:
    """Three bursts of reactions and withdrawals, the bot killed hard in the middle of each; then the
    stored signups equal the reactions in the room and the news post shows the exact count."""
    rng = random.Random(20261121)
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    _, news = await offer(world, giver)
    await world.stop_bot(app)
    people = await asyncio.gather(*(world.user(f"k{i}", join=(world.programme,)) for i in range(100)))
    reaction: dict[str, str | None] = {p.user_id: None for p in people}

    async def toggle(person: User) -> None:
        current = reaction[person.user_id]
        if current is None:
            reaction[person.user_id] = await react(person, world.programme, news)
        else:
            await redact(person, world.programme, current)
            reaction[person.user_id] = None

    config = world.config_file()
    for burst in range(3):
        bot = await world.spawn_bot(config)
        chosen = people if burst == 0 else rng.sample(people, 40)
        work = asyncio.gather(*(toggle(p) for p in chosen))
        await asyncio.sleep(rng.uniform(0.3, 2.0))  # the fault: a kill at a random moment of the burst
        bot.send_signal(signal.SIGKILL)
        await bot.wait()
        await work

    expected = sorted(user for user, event in reaction.items() if event is not None)
    bot = await world.spawn_bot(config)
    try:
        await giver.wait_for(
            world.programme,
            lambda e: is_edit_of(e, news) and participants(len(expected)) in e["content"]["m.new_content"]["body"],
            within=90,
        )
        ping = await giver.send(world.programme, "!ping")
        await giver.wait_reply(world.programme, ping, world.bot_id)
    finally:
        bot.send_signal(signal.SIGTERM)
        await bot.wait()
    stored = sqlite3.connect(world.tmp / "kiwibot.db")
    assert sorted(r[0] for r in stored.execute("SELECT user_id FROM signups WHERE session_id = 1")) == expected
    assert participants(len(expected)) in (await current_content(giver, world.programme, news))["body"]
    pongs = [e for e in await giver.history(world.programme) if replied_to(e) == ping]
    assert len(pongs) == 1
