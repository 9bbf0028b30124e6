"""Statistics (#14.6–7): the period read as staff type it, the figures of a seeded database whose figures are known,
the same figures after the names are gone, the CSV number by number, the PNG of its stated size, the monthly
report once."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kiwibot.commands.builtin import build_registry
from kiwibot.commands.registry import Context
from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Outcome, Post
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code
from kiwibot.core.model import Format
from kiwibot.core.service import Kiwi, Settings
from kiwibot.core.statistics_period import Period, read_period
from kiwibot.core.statistics_text import summary
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.matrix.render import Renderer
from kiwibot.reports.chart import HEIGHT, WIDTH, render_chart
from kiwibot.reports.files import render_files
from kiwibot.reports.table import render_table
from kiwibot.storage import Store
from tests.unit.statskit import ANNA, ENGLISH, EVE, EXPECTED_DE, EXPECTED_EN, NOW, TZ, P, seed

TODAY = date(2026, 11, 21)
ADMIN, PATRON = "@admin:x", "@pat:x"
ROOT = Path(__file__).resolve().parents[2] / "kiwibot"


# -- the period ---------------------------------------------------------------------------------------


def months(first: str, last: str) -> Period:
    (y1, m1), (y2, m2) = (map(int, first.split("-")), map(int, last.split("-")))
    return Period(date(y1, m1, 1), date(y2, m2, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, months("2025-11", "2026-10")),  # the last 12 full months
        ("", months("2025-11", "2026-10")),
        ("2026", months("2026-01", "2026-11")),  # months not begun are left out
        ("2025", months("2025-01", "2025-12")),
        ("2025 2026", months("2025-01", "2026-11")),
        ("2026 2025", months("2025-01", "2026-11")),
        ("2025-2026", months("2025-01", "2026-11")),
        ("01.2026 06.2026", months("2026-01", "2026-06")),
        ("1.2026 - 6.2026", months("2026-01", "2026-06")),
        ("01/2026 bis 06/2026", months("2026-01", "2026-06")),
        ("2026-01 2026-06", months("2026-01", "2026-06")),
        ("2026-01 to 2026-06", months("2026-01", "2026-06")),
        ("Januar 2026 Juni 2026", months("2026-01", "2026-06")),
        ("Januar bis Juni 2026", months("2026-01", "2026-06")),
        ("von Jan. 2026 bis Jun. 2026", months("2026-01", "2026-06")),
        ("from January 2025 to June 2025", months("2025-01", "2025-06")),
        ("März 2026", months("2026-03", "2026-03")),
        ("Dezember 2025 – Februar 2026", months("2025-12", "2026-02")),
        ("2026-11", months("2026-11", "2026-11")),
        ("letztes Jahr", months("2025-01", "2025-12")),
        ("Last  year", months("2025-01", "2025-12")),
        ("dieses Jahr", months("2026-01", "2026-11")),
        ("letzter Monat", months("2026-10", "2026-10")),
        ("last month", months("2026-10", "2026-10")),
    ],
)
def test_periods_as_staff_write_them(text: str | None, expected: Period) -> None:
    assert read_period(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Quatsch", "stats.bad_period"),
        ("13.2026", "stats.bad_period"),
        ("2026-13", "stats.bad_period"),
        ("2024 2025 2026", "stats.bad_period"),
        ("Januar 2026 Juni", "stats.bad_period"),
        ("26", "stats.bad_period"),
        ("0000", "stats.bad_period"),
        ("01.0000", "stats.bad_period"),
        ("0000-01", "stats.bad_period"),
        ("2027", "stats.future"),
        ("12.2026", "stats.future"),
        ("2020 2026", "stats.too_long"),
    ],
)
def test_a_period_not_understood_is_refused_with_examples(text: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        read_period(text, TODAY)
    assert caught.value.key == key
    assert caught.value.params["examples"]


@given(st.text(max_size=60) | st.from_regex(r"[0-9./\- a-zäJMbis]{0,30}", fullmatch=True))
@settings(max_examples=500, deadline=None)
def test_no_text_makes_the_period_reader_crash(text: str) -> None:
    try:
        period = read_period(text, TODAY)
    except UserError as err:
        assert err.key in {"stats.bad_period", "stats.future", "stats.too_long"}
    else:
        assert period.first <= period.last <= date(2026, 11, 1) and len(period.months) <= 36


def test_the_last_twelve_months_in_january() -> None:
    assert read_period(None, date(2026, 1, 1)) == months("2025-01", "2025-12")


# -- a seeded database with known figures ---------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "k.db")
    seed(store)
    return store


def kiwi_of(store: Store, now: datetime = NOW, **settings: object) -> Kiwi:
    values = {"timezone": TZ, "admins": frozenset({ADMIN}), "patrons": frozenset({PATRON}), **settings}
    return Kiwi(store, FixedClock(now), Settings(**values), MatrixPlatform())  # type: ignore[arg-type]


def rows(data: bytes, separator: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=separator))


def test_the_csv_holds_the_known_figures_number_by_number(store: Store) -> None:
    stats = kiwi_of(store).statistics(ADMIN, "2026")
    table = rows(render_table(stats, "de"), ";")
    assert table[0][:5] == ["Jahr", "Monat", "Sessions gehalten", "Impuls", "Ask me Anything"]
    assert table[0][-2:] == ["Feedback-Durchschnitt (1–5)", "Anzahl Noten"]
    assert table[1:] == EXPECTED_DE


def test_english_csv_uses_commas_and_decimal_points(store: Store) -> None:
    stats = kiwi_of(store).statistics(ADMIN, "01.2026 02.2026")
    table = rows(render_table(stats, "en"), ",")
    assert table[0][:2] == ["Year", "Month"] and "Session givers" in table[0]
    assert table[1:] == EXPECTED_EN[:2]
    assert len(table) == 3


@pytest.mark.parametrize(("language", "separator"), [("de", ";"), ("en", ",")])
def test_no_month_cell_is_one_excel_takes_for_a_date(store: Store, language: str, separator: str) -> None:
    """Excel turns "2026-01", "01.2026", "1/2026", "Jan 2026" or "Januar 2026" into 1 January 2026 ("Jan 26"): the
    year is a bare number and the month a bare name, neither of which Excel reads as a date."""
    data = render_table(kiwi_of(store).statistics(ADMIN, "2026"), language)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    table = rows(data, separator)
    for year, month, *_ in table[1:]:
        assert re.fullmatch(r"20\d\d", year) and re.fullmatch(r"[^\W\d_]+", month), (year, month)
    assert [row[1] for row in table[1:4]] == (["Januar", "Februar", "März"] if language == "de" else ENGLISH[:3])
    if language == "de":  # the decimal comma and `;` stay
        assert table[1][12] == "100,0" and b";100,0;" in data


def test_the_whole_period(store: Store) -> None:
    total = kiwi_of(store).statistics(ADMIN, "2026").total
    assert (total.sessions, total.held[Format.TALK], total.held[Format.AMA], total.held[Format.GROUP]) == (5, 2, 1, 1)
    assert (total.participants, total.distinct_participants) == (13, 5)
    assert (total.seats, total.seated, total.fill_rate) == (19, 11, 57.9)
    assert (total.givers, total.first_time_givers, total.cancelled) == (5, 4, 1)
    assert (total.ratings, total.rating_average) == (3, 4.0)


def test_figures_stay_after_the_names_are_gone(store: Store) -> None:
    """Retention deletes the participant lists once it froze them; erasure cuts one person's link: same figures."""
    kiwi = kiwi_of(store)
    before = kiwi.statistics(ADMIN, "2025 2026")
    assert store.freeze_statistics(NOW) == 0  # the statistics froze everything held already
    with store.transaction():
        store.db.execute("DELETE FROM signups")
        store.db.execute("UPDATE feedback SET user_id = 'gone-' || rowid")
        store.db.execute("UPDATE sessions SET giver = 'former member'")
        store.db.execute("DELETE FROM cogivers")
    for person in [ANNA, P[0], P[1]]:
        store.anonymise_statistics(person)
    assert kiwi.statistics(ADMIN, "2025 2026") == before
    kept = [row for table in ("stats_sessions", "stats_people") for row in store.db.execute(f"SELECT * FROM {table}")]
    assert kept and not any("@" in str(value) for row in kept for value in row)  # no user id, only keys


def test_a_session_is_frozen_once_it_ended_and_only_then(store: Store) -> None:
    kiwi = kiwi_of(store)
    kiwi.statistics(ADMIN, None)
    frozen = {row[0] for row in store.db.execute("SELECT session_id FROM stats_sessions")}
    assert len(frozen) == 6  # every held session; not the cancelled one, not the one still to come
    later = kiwi_of(store, datetime(2026, 12, 2, 9, tzinfo=UTC))
    assert later.statistics(ADMIN, "11.2026").total.sessions == 1


def test_only_admins_and_patrons_see_statistics(store: Store) -> None:
    kiwi = kiwi_of(store)
    with pytest.raises(UserError) as caught:
        kiwi.statistics(P[0], "2026")
    assert caught.value.key == "stats.forbidden"
    assert kiwi.statistics(PATRON, "2026").total.sessions == 5


def rendered(message: object, language: str) -> str:
    return Renderer(TZ).render(message, language).body  # type: ignore[arg-type]


def test_the_text_says_everything_the_chart_shows(store: Store) -> None:
    stats = kiwi_of(store).statistics(ADMIN, "2026")
    text = rendered(summary(stats, TZ), "de")
    assert "KIWI-Statistik Januar 2026 – November 2026" in text
    january = next(line for line in text.splitlines() if line.startswith("Januar 2026:"))
    assert january == (
        "Januar 2026: 2 Sessions gehalten (Impuls 1, Werkstatt 1) · 5 Teilnahmen von 4 verschiedenen Personen · "
        "Auslastung 100,0 % der begrenzten Plätze · 3 Session-Geber:innen, davon 2 zum ersten Mal · 0 abgesagt · "
        "Durchschnittsnote 4,0 von 5 (3 Noten)"
    )
    assert "März 2026: 0 Sessions gehalten · 0 abgesagt" in text
    assert "\nMai bis September 2026: keine Sessions\n" in text and "Juni 2026" not in text
    assert "Februar 2026: 1 Session gehalten (Impuls 1) · 1 Teilnahme von 1 Person" in text
    assert "13 Teilnahmen von 5 verschiedenen Personen" in text and "Auslastung 57,9 %" in text
    one = rendered(summary(kiwi_of(store).statistics(ADMIN, "01.2026"), TZ), "de")
    assert "KIWI-Statistik Januar 2026\nIm Monat: 2 Sessions gehalten" in one and "Je Monat" not in one
    english = rendered(summary(stats, TZ), "en")
    assert "KIWI statistics January 2026 – November 2026" in english
    assert "\nMay to September 2026: no sessions\n" in english
    assert "October 2026: 1 session held (Ask me Anything 1) · 5 participations by 5 different people" in english


def test_the_chart_is_a_png_of_the_stated_size(store: Store) -> None:
    stats = kiwi_of(store).statistics(ADMIN, "2026")
    for language in ("de", "en"):
        image = Image.open(io.BytesIO(render_chart(stats, language)))
        assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (1200, 800)
        image.load()  # decodes the whole image: a broken file fails here


def test_the_files_are_an_image_and_a_table() -> None:
    store = Store.open(":memory:")
    seed(store)
    stats = kiwi_of(store).statistics(ADMIN, "01.2026 06.2026")
    png, table = asyncio.run(render_files(stats, "de"))
    assert (png.filename, png.mimetype, png.image_size) == (
        "kiwi-statistik-2026-01_2026-06.png",
        "image/png",
        (1200, 800),
    )
    assert (table.filename, table.mimetype, table.image_size) == (
        "kiwi-statistik-2026-01_2026-06.csv",
        "text/csv",
        None,
    )
    assert rows(table.data, ";")[1:] == EXPECTED_DE[:6]


def test_the_command_answers_with_text_and_files(store: Store) -> None:
    registry = build_registry("!", render=render_files)
    command = registry.find("stats")
    assert command is not None and command.slow and registry.find("statistik") is command
    ctx = Context(kiwi=kiwi_of(store), registry=registry, sender=ADMIN, room_id="!r:x", language="en", now=NOW)
    outcome = asyncio.run(command.handler(ctx, "2026"))
    assert isinstance(outcome, Outcome) and [f.mimetype for f in outcome.files] == ["image/png", "text/csv"]
    assert "The same figures follow as files" in rendered(outcome.reply, "en")
    with pytest.raises(UserError) as caught:
        asyncio.run(command.handler(replace(ctx, sender=P[0]), "2026"))
    assert caught.value.key == "stats.forbidden"


# -- the monthly report --------------------------------------------------------------------------------


def test_the_monthly_report_is_due_on_the_first_at_the_digest_time_and_posted_once(store: Store) -> None:
    first = datetime.combine(date(2026, 12, 1), time(8, 0), tzinfo=TZ)
    assert kiwi_of(store, NOW).next_monthly_report() is None  # off by default
    kiwi = kiwi_of(store, NOW, monthly_reports=True)
    assert kiwi.next_monthly_report() == NOW  # October's report was never posted: owed now, late
    store.record_monthly_report("2026-10", NOW)
    assert kiwi.monthly_statistics() is None and kiwi.next_monthly_report() == first
    early = kiwi_of(store, datetime(2026, 12, 1, 6, 59, tzinfo=UTC), monthly_reports=True)
    assert early.monthly_statistics() is None and early.next_monthly_report() == first
    due = kiwi_of(store, datetime(2026, 12, 1, 7, 0, 1, tzinfo=UTC), monthly_reports=True)
    assert due.next_monthly_report() == due.clock.now()
    stats = due.monthly_statistics()
    assert stats is not None and stats.period == months("2026-11", "2026-11")
    effects = due.monthly_report(stats, ())
    assert len(effects) == 1 and isinstance(effects[0], Post) and effects[0].room == "reports"
    assert due.monthly_report(stats, ()) == ()  # recorded with the post: never twice
    assert due.monthly_statistics() is None
    assert due.next_monthly_report() == datetime.combine(date(2027, 1, 1), time(8, 0), tzinfo=TZ)


# -- the chart's borders ---------------------------------------------------------------------------------


def test_no_module_uses_pyplot() -> None:
    """pyplot keeps global state and picks a display backend: the chart uses the object API on Agg only."""
    users = [p for p in ROOT.rglob("*.py") if "pyplot" in p.read_text(encoding="utf-8").replace("Never pyplot", "")]
    assert users == []


def test_the_retention_run_and_forgetting_keep_the_figures_without_asking_first(store: Store) -> None:
    """Nobody asked for statistics before the names went: the retention run and `!vergessen` freeze them first.
    (Without that, the pseudonyms per month would count a person once per month: 5 distinct would become more.)"""
    expected = kiwi_of(store).statistics(ADMIN, "12.2025 10.2026")
    with store.transaction():
        store.db.execute("DELETE FROM stats_people")
        store.db.execute("DELETE FROM stats_sessions")
    late = datetime(2027, 3, 1, 4, tzinfo=UTC)  # > 90 days after October's session
    kiwi = kiwi_of(store, late, retention_days=90)
    kiwi.retention()
    assert store.sessions_with_names(late - timedelta(days=90)) == []
    assert not any(row[0].startswith("@p") for row in store.db.execute("SELECT user_id FROM signups"))
    for person in (EVE, ANNA, P[0]):  # givers, and a participant of most sessions
        with store.transaction():
            kiwi.ask_to_forget(person, Code("!vergessen"), "!ändern {number}", "!absagen {number}")
            kiwi.forget(person, Code("!vergessen"), "!ändern {number}", "!absagen {number}")
    assert kiwi.statistics(ADMIN, "12.2025 10.2026") == expected
