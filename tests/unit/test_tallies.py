"""Headcounts from the tallies the triggers keep (migration of #15): exact after every kind of change, filled
for a database in use, and read without counting the signups (a reaction's waiting-list place was O(n))."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiwibot.core.model import Format, SessionDraft
from kiwibot.storage import Store
from kiwibot.storage.migrations import MIGRATIONS
from kiwibot.storage.times import from_iso, iso

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
TALLIES = 1 + next(i for i, steps in enumerate(MIGRATIONS) if any("signup_tallies" in s for s in steps))


def session(store: Store, title: str = "S") -> int:
    draft = SessionDraft("@giver:x", title, NOW + timedelta(days=3), 60, Format.TALK, seats=2)
    return store.create_session(draft, NOW).id


def counted(store: Store, session_id: int) -> int:
    return int(store.db.execute("SELECT COUNT(*) FROM signups WHERE session_id = ?", (session_id,)).fetchone()[0])


def test_tallies_follow_signups_sources_sign_offs_and_deleted_sessions(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    a, b = session(store, "A"), session(store, "B")
    for n in range(5):
        store.add_signup_source(a, f"@p{n}:x", f"$r{n}", "reaction", NOW)
    store.add_signup_source(a, "@p0:x", "$c0", "command", NOW)  # a second reason: still one person
    store.add_signup_source(b, "@p0:x", "$rb", "reaction", NOW)
    assert store.signup_counts([a, b]) == {a: 5, b: 1}
    store.remove_signup_source("$r0")  # the command keeps p0 in
    store.remove_signup_source("$r1")  # p1's only reason: out
    store.remove_signup(a, "@p2:x")
    assert store.signup_counts([a, b]) == {a: counted(store, a), b: 1} == {a: 3, b: 1}
    store.remove_signup_source("$rb")
    assert store.signup_counts([a, b]) == {a: 3}  # nobody left: left out, as before
    with store.transaction():
        store.db.execute("DELETE FROM sessions WHERE id = ?", (a,))
    assert store.signup_counts([a]) == {}


def test_a_database_in_use_gets_its_tallies_filled(tmp_path: Path) -> None:
    old = Store.open(tmp_path / "k.db", target=TALLIES - 1)
    a = session(old)
    for n in range(4):
        old.add_signup_source(a, f"@p{n}:x", f"$r{n}", "reaction", NOW)
    old.close()
    store = Store.open(tmp_path / "k.db")
    assert store.signup_counts([a]) == {a: 4}
    store.add_signup_source(a, "@p9:x", "$r9", "reaction", NOW)
    assert store.signup_counts([a]) == {a: 5}


def test_the_count_reads_one_row_not_every_signup(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT session_id, people FROM signup_tallies WHERE session_id IN (?) AND people > 0",
        (1,),
    ).fetchall()
    assert any("signup_tallies USING INTEGER PRIMARY KEY" in row[-1] for row in plan), plan
    store.add_signup_source(session(store), "@p:x", "$r", "reaction", NOW)
    steps: list[str] = []
    store.db.conn.set_trace_callback(steps.append)
    store.signup_counts([1])
    store.db.conn.set_trace_callback(None)
    assert steps and all("FROM signups" not in s for s in steps)


def test_stored_moments_read_back_exactly_and_only_as_utc() -> None:
    moment = datetime(2026, 3, 29, 1, 59, 59, 123456, tzinfo=UTC)
    assert from_iso(iso(moment)) == moment and from_iso(iso(moment)).tzinfo is UTC
    with pytest.raises(ValueError):
        from_iso("2026-03-29T01:59:59.123456+02:00")
