"""Storage: migrations, transactions, handled events and the outbox on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kiwibot.core.effects import (
    Confirmation,
    Digest,
    NewsEdit,
    NewsPost,
    Notice,
    Overview,
    OverviewEdit,
    Purpose,
    Reminder,
)
from kiwibot.storage import CommandRecord, DatabaseTooNew, Store
from kiwibot.storage.migrations import LATEST

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def schema(store: Store) -> list[tuple[str, str, str]]:
    rows = store.db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    return [(t, n, " ".join((s or "").split())) for t, n, s in rows]


def test_fresh_database_equals_one_migrated_step_by_step(tmp_path: Path) -> None:
    fresh = Store.open(tmp_path / "fresh.db")
    stepwise_path = tmp_path / "stepwise.db"
    for version in range(1, LATEST + 1):
        step = Store.open(stepwise_path, target=version)
        assert step.schema_version() == version
        step.close()
    stepwise = Store.open(stepwise_path)
    assert schema(fresh) == schema(stepwise)
    assert fresh.schema_version() == stepwise.schema_version() == LATEST


def test_version_5_adds_command_records_to_a_database_in_use(tmp_path: Path) -> None:
    old = Store.open(tmp_path / "k.db", target=4)
    old.mark_handled("$before", NOW)
    old.close()
    store = Store.open(tmp_path / "k.db")
    assert store.schema_version() == LATEST >= 5 and store.is_handled("$before")
    assert store.command("$before") is None
    store.record_command("$c", "!r", "@a:x", "$root", False, None, NOW)
    store.record_command("$c", "!r", "@a:x", "$root", True, 7, NOW)  # corrected by an edit
    store.note_edit("$c")
    assert store.command("$c") == CommandRecord("$c", "!r", "@a:x", "$root", True, 7, True)


def test_wal_and_foreign_keys_are_on(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_database_from_a_newer_kiwibot_is_refused(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    store.db.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 'later')", (LATEST + 1,))
    store.close()
    with pytest.raises(DatabaseTooNew, match="update kiwibot"):
        Store.open(tmp_path / "k.db")


def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    with pytest.raises(RuntimeError), store.transaction():
        store.mark_handled("$a", NOW)
        store.enqueue("!room", {"body": "x"}, at=NOW)
        raise RuntimeError("boom")
    assert not store.is_handled("$a")
    assert store.pending_outbox() == []


def test_handled_events_survive_reopening_and_count_once(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    assert store.mark_handled("$e", NOW) is True
    assert store.mark_handled("$e", NOW) is False
    store.close()
    assert Store.open(tmp_path / "k.db").is_handled("$e")


def test_outbox_keeps_order_and_stable_transaction_ids(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    first = store.enqueue("!r", {"body": "eins"}, at=NOW)
    store.enqueue("!r", {"body": "zwei"}, at=NOW)
    items = store.pending_outbox()
    assert [i.content["body"] for i in items] == ["eins", "zwei"]
    assert items[0].txn_id == store.pending_outbox()[0].txn_id
    store.outbox_sent(first, "$sent")
    assert [i.content["body"] for i in store.pending_outbox()] == ["zwei"]


def test_language_preference_is_stored(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    assert store.get_language("@a:x") is None
    store.set_language("@a:x", "en")
    assert store.get_language("@a:x") == "en"


def test_an_upsert_changes_only_its_own_columns(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    store.set_language("@a:x", "en")
    store.set_reminder_pref("@a:x", "dm")
    store.set_language("@a:x", "de")
    assert store.get_language("@a:x") == "de" and store.reminder_prefs(["@a:x"]) == {"@a:x": "dm"}
    store.set_meta("k", "1")
    store.set_meta("k", "2")
    assert store.get_meta("k") == "2"
    store.set_direct_room("@a:x", "!one:x")
    store.set_direct_room("@a:x", "!two:x")
    assert store.direct_room("@a:x") == "!two:x"


START = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
EVERY_PURPOSE: list[Purpose | None] = [
    None,
    NewsPost(7),
    NewsEdit(7),
    Confirmation(),
    Notice(7),
    Reminder(7, 15, START),
    Reminder(7, 1440, START.replace(microsecond=123456)),
    Digest(date(2026, 12, 3)),
    Overview(),
    OverviewEdit(),
]


def test_every_purpose_is_read_back_as_it_was_queued(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    for purpose in EVERY_PURPOSE:
        store.enqueue("!r", {"body": "x"}, at=NOW, purpose=purpose)
    assert [item.purpose for item in store.pending_outbox()] == EVERY_PURPOSE


def test_queued_messages_are_counted_and_cancelled_by_their_exact_purpose(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    for purpose in (Reminder(7, 15, START), Reminder(7, 15, START), Reminder(7, 1440, START), NewsEdit(7), NewsEdit(8)):
        store.enqueue("!r", {"body": "x"}, at=NOW, purpose=purpose)
    assert store.pending_with_purpose(Reminder(7, 15, START)) == 2
    assert store.pending_with_purpose(Reminder(7, 15, START.replace(hour=14))) == 0  # moved: another reminder
    assert store.cancel_pending(NewsEdit(7)) == 1
    assert [item.purpose for item in store.pending_outbox()][-1] == NewsEdit(8)


# What kiwibot wrote into `purpose` up to schema version 5, and what it means.
OLD_PURPOSES: list[tuple[str | None, Purpose | None]] = [
    (None, None),
    ("news:7", NewsPost(7)),
    ("edit:7", NewsEdit(7)),
    ("confirm", Confirmation()),
    ("notify:7", Notice(7)),
    ("reminder:7:15:2026-12-03T13:00:00+00:00", Reminder(7, 15, START)),
    ("reminder:7:1440:2026-12-03T13:00:00.123456+00:00", Reminder(7, 1440, START.replace(microsecond=123456))),
    ("digest:2026-12-03", Digest(date(2026, 12, 3))),
    ("overview", Overview()),
    ("overview-edit", OverviewEdit()),
]


def test_version_6_turns_the_purposes_queued_before_into_typed_ones(tmp_path: Path) -> None:
    old = Store.open(tmp_path / "k.db", target=5)
    for purpose, _ in OLD_PURPOSES:
        old.db.execute(
            "INSERT INTO outbox (room_id, content, purpose, created_at) VALUES ('!r', '{}', ?, 'then')", (purpose,)
        )
    old.db.execute(  # a sent one keeps its meaning too (history, e.g. for the benchmarks' counts)
        "INSERT INTO outbox (room_id, content, purpose, created_at, state) "
        "VALUES ('!r', '{}', 'edit:8', 'then', 'sent')"
    )
    old.close()
    store = Store.open(tmp_path / "k.db")
    assert store.schema_version() == LATEST >= 6
    assert [item.purpose for item in store.pending_outbox()] == [meaning for _, meaning in OLD_PURPOSES]
    assert store.pending_with_purpose(Reminder(7, 15, START)) == 1  # the reminder is found by its new columns
    sent = store.db.execute("SELECT purpose, session_id FROM outbox WHERE state = 'sent'").fetchall()
    assert sent == [("news-edit", 8)]
