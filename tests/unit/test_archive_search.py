"""The archive's search finds what people type on a real (temporary) SQLite store: words written with joining marks
also joined ("eakte" finds "E-Akte", "einsteigerinnen" finds "Einsteiger:innen"), the giver's whole Matrix id,
co-givers by theirs (and shown with the giver), and the sessions of a year; the index follows every change and is
rebuilt on upgrade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.messages import Mention, Msg
from kiwibot.core.model import Format, SessionDraft
from kiwibot.core.present_loop import archive_line
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.storage import Store
from kiwibot.storage.migrations import MIGRATIONS

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
GIVER, GERD, BEN = "@giver:x", "@gerd:localhost", "@ben.k:localhost"


def settings() -> Settings:
    return Settings(timezone=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def kiwi(tmp_path: Path) -> Kiwi:
    return Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), settings(), MatrixPlatform())


def past(kiwi: Kiwi, title: str, days_ago: float, giver: str = GIVER, name: str = "", **more: object) -> int:
    """A session that took place `days_ago` (stored directly: offers must lie in the future)."""
    start = NOW - timedelta(days=days_ago)
    draft = SessionDraft(giver, title, start, 60, Format.TALK, giver_name=name, **more)  # type: ignore[arg-type]
    return kiwi.store.create_session(draft, start - timedelta(days=7)).id


def found(kiwi: Kiwi, query: str) -> list[int]:
    return [s.id for s in kiwi.archive(query).sessions]


def index_is_sound(kiwi: Kiwi) -> bool:
    check = kiwi.store.db.execute("INSERT INTO session_search (session_search, rank) VALUES ('integrity-check', 1)")
    return check.fetchall() == []


def test_words_with_joining_marks_are_found_joined_and_in_parts(kiwi: Kiwi) -> None:
    akte = past(kiwi, "Übungen zur E-Akte", 5)
    colon = past(kiwi, "Excel für Einsteiger:innen", 4)
    star = past(kiwi, "Word für Einsteiger*innen", 3, description="Für Kolleg_innen und Lehrer/innen")
    capital = past(kiwi, "PDF für EinsteigerInnen", 2)
    joined = past(kiwi, "Die eAkte im Alltag", 1)
    for query, expected in [
        ("eakte", [joined, akte]),
        ("E-Akte", [joined, akte]),
        ("E Akte", [akte]),  # two words: "e" and "akte" each start a word
        ("einsteigerinnen", [capital, star, colon]),
        ("Einsteiger:innen", [capital, star, colon]),
        ("einsteiger", [capital, star, colon]),
        ("kolleginnen", [star]),
        ("lehrerinnen", [star]),
        ("Excel Einsteigerinnen", [colon]),
    ]:
        assert found(kiwi, query) == expected, query
    assert index_is_sound(kiwi)


def test_the_giver_is_found_by_the_whole_matrix_id_and_co_givers_by_theirs(kiwi: Kiwi) -> None:
    number = past(kiwi, "Haushalt", 3, giver=GERD, name="Gerd Mahler")
    other = past(kiwi, "Verkehr", 2, giver="@gerd:example.org")
    for query in ("@gerd:localhost", "gerd:localhost", "Gerd Mahler", "gerd localhost"):
        assert found(kiwi, query) == [number], query
    assert found(kiwi, "@gerd") == [other, number]
    assert found(kiwi, "@ben.k:localhost") == []
    kiwi.store.set_cogivers(number, [BEN], GERD, NOW)
    for query in ("@ben.k:localhost", "ben.k", "ben"):
        assert found(kiwi, query) == [number], query
    kiwi.store.set_cogivers(number, [], GERD, NOW)
    assert found(kiwi, "ben") == [] and found(kiwi, "@gerd:localhost") == [number]
    kiwi.store.update_session(number, NOW, title="Neuer Haushalt")
    assert found(kiwi, "neuer gerd") == [number]
    assert index_is_sound(kiwi)


def test_sessions_stored_before_the_new_index_are_found_by_every_new_form(tmp_path: Path) -> None:
    newest = len(MIGRATIONS)
    old = Store.open(tmp_path / "k.db", target=newest - 1)
    old.db.execute(
        "INSERT INTO sessions (giver, title, starts_at, ends_at, duration, format, description, created_at, "
        "updated_at) VALUES (?, 'Übungen zur E-Akte', '2026-11-01T13:00:00.000000Z', "
        "'2026-11-01T14:00:00.000000Z', 60, 'talk', 'für Einsteiger:innen', 'then', 'then')",
        (GERD,),
    )
    old.db.execute(
        "INSERT INTO cogivers (session_id, user_id, position, added_by, added_at) VALUES (1, ?, 1, ?, 'then')",
        (BEN, GERD),
    )
    old.close()
    kiwi = Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), settings(), MatrixPlatform())
    for query in ("uebung", "eakte", "einsteigerinnen", "@gerd:localhost", "@ben.k:localhost"):
        assert found(kiwi, query) == [1], query
    kiwi.store.db.execute("DELETE FROM sessions WHERE id = 1")
    assert found(kiwi, "uebung") == [] and index_is_sound(kiwi)


def test_a_year_finds_the_sessions_that_took_place_in_it_in_the_local_calendar(kiwi: Kiwi) -> None:
    this_year = past(kiwi, "E-Akte heute", 30)
    last_year = past(kiwi, "E-Akte damals", 400)
    # 1.1.2026 00:30 in Berlin, still 2025 in UTC: the year is the local one
    new_year = past(kiwi, "Neujahr", (NOW - datetime(2025, 12, 31, 23, 30, tzinfo=UTC)).total_seconds() / 86400)
    assert found(kiwi, "2026") == [this_year, new_year]
    assert found(kiwi, "2025") == [last_year]
    assert found(kiwi, "E-Akte 2025") == [last_year]
    assert found(kiwi, "2025 2026") == [this_year, new_year, last_year]
    assert found(kiwi, "2031") == [] and kiwi.archive("2026").total == 2


def test_an_archive_line_names_the_giver_with_the_co_givers(kiwi: Kiwi) -> None:
    number = past(kiwi, "Haushalt", 3, giver=GERD, name="Gerd Mahler")
    kiwi.store.set_cogivers(number, [BEN], GERD, NOW)
    page = kiwi.archive(None)
    line = archive_line(page.sessions[0], page.counts[number], [])
    assert isinstance(line, Msg)
    givers = line.params["giver"]
    assert isinstance(givers, Msg) and givers.key == "programme.givers"
    assert givers.params["giver"] == Mention(GERD, "Gerd Mahler") and givers.params["cogivers"] == (Mention(BEN),)


def test_a_year_also_finds_a_session_naming_it_and_is_a_page_only_if_there_are_that_many(kiwi: Kiwi) -> None:
    review = past(kiwi, "Rückblick 2025", 20)  # held in 2026, names 2025
    held = past(kiwi, "Haushalt", 400)  # held in 2025
    assert found(kiwi, "2025") == [review, held] and kiwi.archive("2025").query == "2025"
    assert found(kiwi, "Rückblick 2025") == [review]
    kiwi.store.db.execute(  # 2010 pages of 15 held in 2023: "2000" is the page, "2025" still a year
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30150) "
        "INSERT INTO sessions (giver, title, starts_at, ends_at, duration, format, description, created_at, "
        "updated_at) SELECT '@old:x', 'Alt ' || i, '2023-06-01T10:00:00.000000Z', '2023-06-01T11:00:00.000000Z', "
        "60, 'talk', '', 'then', 'then' FROM n"
    )
    page = kiwi.archive("2000")
    assert (page.page, page.query, page.pages) == (2000, "", 2011)
    assert kiwi.archive("2025").query == "2025" and kiwi.archive("2025").page == 1
    assert kiwi.archive("Alt 2000").page == 2000 and kiwi.archive("Alt 2000").query == "Alt"
