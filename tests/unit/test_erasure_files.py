"""Erased data leaves the database files, not only the tables: SQLite keeps deleted rows in free pages and old page
versions in the write-ahead log, so the bytes of `k.db` and `k.db-wal` are read here, after `!vergessen` and after
the nightly retention run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.messages import Code
from kiwibot.core.model import Format
from kiwibot.core.offer import OfferFields
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.storage import Store

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GIVER = "@giver:x"
ASK, CONFIRM = Code("!vergessen"), Code("!vergessen bestätigen")
HANDOVER, CANCEL = "!ändern {number} Co-Geber:in: {who}", "!absagen {number}"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "k.db")


@pytest.fixture
def kiwi(store: Store, clock: FixedClock) -> Kiwi:
    return Kiwi(store, clock, Settings(timezone=BERLIN), MatrixPlatform())


def on_disk(tmp_path: Path, marker: str) -> list[str]:
    """The files (database, write-ahead log) whose raw bytes hold `marker`."""
    needle = marker.encode("utf-8")
    return [
        path.name
        for path in (tmp_path / "k.db", tmp_path / "k.db-wal")
        if path.exists() and needle in path.read_bytes()
    ]


def offer(kiwi: Kiwi, start: datetime) -> int:
    fields = OfferFields(
        title="E-Akte",
        starts_at=start,
        duration=60,
        format=Format.TALK,
        link="https://meet.example/x",
        description="",
        seats=None,
        given=frozenset({"title", "when", "duration", "format", "link"}),
    )
    kiwi.offer(GIVER, fields, None, None)
    return max(s.id for s in kiwi.store.sessions_given_by(GIVER, NOW - timedelta(days=1)))


def test_a_forgotten_person_is_in_neither_the_database_file_nor_its_log(
    kiwi: Kiwi, store: Store, tmp_path: Path
) -> None:
    person = f"@marker-{uuid4().hex}:x"
    number = offer(kiwi, NOW + timedelta(days=3))
    kiwi.sign_up(person, number, "$r-person", "reaction")
    kiwi.set_language(person, "en")
    store.record_command("$cmd", "!r", person, None, True, None, NOW)
    store.enqueue("dm:" + person, {"body": f"Hallo {person}"}, at=NOW)
    kiwi.ask_to_forget(person, CONFIRM, HANDOVER, CANCEL)
    assert on_disk(tmp_path, person)  # the test can see it: written to the log (and the file) first
    with store.transaction():  # as the chat adapter runs a command: in one transaction with its answer
        kiwi.forget(person, ASK, HANDOVER, CANCEL)
    assert on_disk(tmp_path, person) == []
    assert (tmp_path / "k.db-wal").stat().st_size == 0  # the log was checkpointed and emptied
    assert store.attendees(number) == []  # and the database still works


def test_names_removed_by_the_retention_run_are_in_neither_file(kiwi: Kiwi, clock: FixedClock, tmp_path: Path) -> None:
    person = f"@marker-{uuid4().hex}:x"
    number = offer(kiwi, NOW + timedelta(days=1))
    kiwi.sign_up(person, number, "$r-person", "reaction")
    clock.moment = kiwi.session(number).ends_at + timedelta(days=91)
    assert on_disk(tmp_path, person)
    kiwi.retention()
    assert on_disk(tmp_path, person) == []
    assert kiwi.store.signup_counts([number]) == {number: 1}  # the count stays
