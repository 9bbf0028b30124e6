"""The learning loop's decisions on a real (temporary) SQLite store with a fixed clock: materials (who may, the
limit, the notices), the archive (past only, newest first, pages, search), wishes (numbers, interest, fulfilling,
closing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import AnnounceWish, Direct, Notify, NotifyWish, Refresh, RefreshWish
from kiwibot.core.errors import UserError
from kiwibot.core.learning import ARCHIVE_PAGE, MATERIALS_MAX, OPEN_WISHES_MAX, WishStatus
from kiwibot.core.messages import Lines, Msg
from kiwibot.core.model import Format, Session, SessionDraft
from kiwibot.core.offer import OfferFields
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.storage import Store

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
GIVER, ADMIN, PATRON, ANNA, BERT, CARO = "@giver:x", "@admin:x", "@patron:x", "@anna:x", "@bert:x", "@caro:x"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def kiwi(tmp_path: Path, clock: FixedClock) -> Kiwi:
    settings = Settings(timezone=ZoneInfo("Europe/Berlin"), admins=frozenset({ADMIN}), patrons=frozenset({PATRON}))
    return Kiwi(Store.open(tmp_path / "k.db"), clock, settings, MatrixPlatform())


def fields(**overrides: object) -> OfferFields:
    values: dict[str, object] = {
        "title": "E-Akte",
        "starts_at": NOW + timedelta(days=3),
        "duration": 60,
        "format": Format.TALK,
        "given": frozenset({"title", "when", "duration", "format"}),
    }
    values.update(overrides)
    return OfferFields(**values)  # type: ignore[arg-type]


def past(kiwi: Kiwi, title: str, days_ago: float, giver: str = GIVER, name: str = "", **more: object) -> int:
    """A session that took place `days_ago` (stored directly: offers must lie in the future)."""
    start = NOW - timedelta(days=days_ago)
    draft = SessionDraft(giver, title, start, 60, Format.TALK, giver_name=name, **more)  # type: ignore[arg-type]
    return kiwi.store.create_session(draft, start - timedelta(days=7)).id


def key_of(call: object, *args: object) -> str:
    with pytest.raises(UserError) as info:
        call(*args)  # type: ignore[operator]
    return info.value.key


# -- materials ------------------------------------------------------------------------------------


def test_giver_patron_and_admin_share_materials_others_may_not(kiwi: Kiwi) -> None:
    number = past(kiwi, "E-Akte", 1)
    for who in (GIVER, PATRON, ADMIN):
        added = kiwi.add_material(who, number, f"https://example.org/{who}", "").reply
        assert added is not None and added.key == "material.added_nobody_yet"  # type: ignore[union-attr]  # no "0"
    assert key_of(kiwi.add_material, ANNA, number, "https://example.org/anna", "") == "material.forbidden"
    assert key_of(kiwi.remove_material, ANNA, number, 1) == "material.forbidden"
    assert [m.position for m in kiwi.materials_of(number)[1]] == [1, 2, 3]


def test_materials_after_the_session_tell_who_took_part_as_each_chose(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(seats=3), None, None)
    for person in (ANNA, BERT, CARO, "@dora:x"):
        kiwi.sign_up(person, 1, f"$r-{person}", "reaction")
    kiwi.set_reminder_pref(BERT, "dm")
    kiwi.set_reminder_pref(CARO, "aus")
    kiwi.clock.moment = NOW + timedelta(days=4)  # type: ignore[attr-defined]  # the session is over
    outcome = kiwi.add_material(GIVER, 1, "https://example.org/folien.pdf", "Folien (PDF)")
    assert outcome.effects[0] == Refresh(1)
    notices = [e for e in outcome.effects if isinstance(e, Notify)]
    assert [n.users for n in notices] == [(ANNA,)]  # in the thread; Dora waits, Caro chose "off"
    assert [e.user_id for e in outcome.effects if isinstance(e, Direct)] == [BERT]
    assert outcome.reply is not None and outcome.reply.key == "material.added"  # type: ignore[union-attr]
    assert outcome.reply.params["count"] == 3  # type: ignore[union-attr]


def test_at_most_ten_materials_no_doubles_and_removal_by_number(kiwi: Kiwi) -> None:
    number = past(kiwi, "E-Akte", 1)
    for n in range(MATERIALS_MAX):
        kiwi.add_material(GIVER, number, f"https://example.org/{n}", f"Teil {n}")
    assert key_of(kiwi.add_material, GIVER, number, "https://example.org/more", "") == "material.too_many"
    assert key_of(kiwi.add_material, GIVER, number, "https://example.org/3", "") == "material.duplicate"
    kiwi.remove_material(GIVER, number, 2)
    listed = kiwi.materials_of(number)[1]
    assert [m.description for m in listed[:2]] == ["Teil 0", "Teil 2"] and len(listed) == MATERIALS_MAX - 1
    assert key_of(kiwi.remove_material, GIVER, number, 10) == "material.no_such"
    assert key_of(kiwi.add_material, GIVER, number, "ftp://example.org/x", "") == "material.bad_link"
    assert key_of(kiwi.add_material, GIVER, 99, "https://example.org/x", "") == "session.unknown"


def test_no_materials_for_a_cancelled_session(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    kiwi.cancel(GIVER, 1, None)
    assert key_of(kiwi.add_material, GIVER, 1, "https://example.org/x", "") == "material.cancelled"


# -- the archive ----------------------------------------------------------------------------------


def test_the_archive_lists_ended_sessions_newest_first_without_cancelled_or_upcoming(kiwi: Kiwi) -> None:
    old, newer = past(kiwi, "Alt", 10), past(kiwi, "Neuer", 2)
    cancelled = past(kiwi, "Abgesagt", 3)
    kiwi.store.update_session(cancelled, NOW, status="cancelled")
    past(kiwi, "Läuft gerade", 0.01)  # began 15 minutes ago: not over yet
    kiwi.offer(GIVER, fields(), None, None)
    page = kiwi.archive(None)
    assert [s.id for s in page.sessions] == [newer, old] and (page.page, page.pages, page.total) == (1, 1, 2)


def test_archive_pages_of_fifteen_and_a_page_beyond_the_end(kiwi: Kiwi) -> None:
    for n in range(2 * ARCHIVE_PAGE + 1):
        past(kiwi, f"Session {n}", n + 1)
    pages = [kiwi.archive(None, p) for p in (1, 2, 3)]
    assert [len(p.sessions) for p in pages] == [ARCHIVE_PAGE, ARCHIVE_PAGE, 1]
    assert pages[0].sessions[0].title == "Session 0" and pages[2].sessions[0].title == f"Session {2 * ARCHIVE_PAGE}"
    assert key_of(kiwi.archive, None, 4) == "archive.no_page"
    assert key_of(kiwi.archive, "Session", 9) == "archive.no_page_search"
    assert key_of(kiwi.archive, None, 0) == "archive.no_page"


def test_archive_search_folds_umlauts_and_case_across_title_description_and_giver(kiwi: Kiwi) -> None:
    ubung = past(kiwi, "Übungen zur E-Akte", 5)
    street = past(kiwi, "Verkehr", 4, description="Die Straße der Zukunft")
    juergen = past(kiwi, "Haushalt", 3, giver="@jm:x", name="Jürgen Müller")
    for query, found in [
        ("Ubung", [ubung]),
        ("uebungen", [ubung]),
        ("ÜBUNG", [ubung]),
        ("e-akte", [ubung]),
        ("Akte Übung", [ubung]),
        ("strasse", [street]),
        ("Juergen", [juergen]),
        ("muller", [juergen]),
        ("jm", [juergen]),
        ("Zukunft Haushalt", []),
    ]:
        assert [s.id for s in kiwi.archive(query).sessions] == found, query
    assert kiwi.archive("nichts").total == 0 and kiwi.archive("nichts").sessions == ()


def test_a_changed_title_is_found_by_its_new_words_only(kiwi: Kiwi) -> None:
    number = past(kiwi, "Altes Thema", 2)
    kiwi.store.update_session(number, NOW, title="Neues Thema")
    assert kiwi.archive("Neues").total == 1 and kiwi.archive("Altes").total == 0
    check = kiwi.store.db.execute("INSERT INTO session_search (session_search, rank) VALUES ('integrity-check', 1)")
    assert check.fetchall() == []


def test_the_archive_brings_headcounts_and_materials_for_the_page(kiwi: Kiwi) -> None:
    number = past(kiwi, "E-Akte", 1)
    kiwi.store.add_signup_source(number, ANNA, "$a", "reaction", NOW)
    kiwi.add_material(GIVER, number, "https://example.org/f", "Folien")
    page = kiwi.archive(None)
    assert page.counts[number].confirmed == 1 and [m.url for m in page.materials[number]] == ["https://example.org/f"]


# -- wishes -----------------------------------------------------------------------------------------


def test_wishes_have_their_own_numbers_and_are_posted(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)  # session 1 exists; the first wish is still W1
    first = kiwi.make_wish(ANNA, "Barrierefreie PDFs\nWie geht das mit Word?")
    second = kiwi.make_wish(BERT, "Agiles Arbeiten")
    assert first.effects == (AnnounceWish(1),) and second.effects == (AnnounceWish(2),)
    assert kiwi.wish(1).description == "Wie geht das mit Word?"
    assert key_of(kiwi.make_wish, ANNA, "barrierefreie  pdfs") == "wish.already_wished"
    assert key_of(kiwi.make_wish, BERT, "Barrierefreie PDFs") == "wish.wished_by_others"  # one wish per topic
    assert key_of(kiwi.close_wish, ANNA, 9) == "wish.unknown"


def test_a_new_wish_names_similar_open_wishes_of_others_so_interest_can_add_up(kiwi: Kiwi) -> None:
    kiwi.make_wish(ANNA, "Pivot-Tabellen in Excel")
    kiwi.make_wish(BERT, "Agiles Arbeiten")
    kiwi.make_wish(CARO, "Excel-Formeln")  # her own alike wish is not offered back to her below
    reply = kiwi.make_wish(CARO, "Excel Pivot")
    assert isinstance(reply.reply, Lines) and reply.effects == (AnnounceWish(4),)  # made all the same
    keys = [(m.key, dict(m.params).get("wish")) for m in reply.reply.items if isinstance(m, Msg)]
    assert keys == [("wish.created", "W4"), ("wish.similar", "W4"), ("wish.similar_line", "W1")]
    alone = kiwi.make_wish(BERT, "Barrierefreie PDFs")
    assert isinstance(alone.reply, Msg) and alone.reply.key == "wish.created"


def test_open_wishes_per_person_are_limited(kiwi: Kiwi) -> None:
    for n in range(OPEN_WISHES_MAX):
        kiwi.make_wish(ANNA, f"Thema {n}")
    assert key_of(kiwi.make_wish, ANNA, "Noch eins") == "wish.too_many"
    kiwi.close_wish(ANNA, 1)
    kiwi.make_wish(ANNA, "Noch eins")


def test_interest_counts_each_person_once_not_the_wisher_and_withdraws(kiwi: Kiwi) -> None:
    kiwi.make_wish(ANNA, "PDFs")
    assert kiwi.show_interest(ANNA, 1, "$own").effects == ()
    assert kiwi.show_interest(BERT, 1, "$b1").effects == (RefreshWish(1),)
    assert kiwi.show_interest(BERT, 1, "$b2").effects == ()  # 👍🏽 after 👍: still one person
    assert kiwi.wish_post_facts(1)[1] == 2  # Anna and Bert
    assert kiwi.withdraw_interest("$b1").effects == ()  # the other 👍 still counts
    assert kiwi.withdraw_interest("$b2").effects == (RefreshWish(1),)
    assert kiwi.wish_post_facts(1)[1] == 1
    assert kiwi.withdraw_interest("$unknown").effects == ()


def test_wishes_are_listed_by_interest_then_age(kiwi: Kiwi, clock: FixedClock) -> None:
    for n, topic in enumerate(("Alt", "Mittel", "Neu")):
        clock.moment = NOW + timedelta(hours=n)
        kiwi.make_wish(ANNA, topic)
    kiwi.show_interest(BERT, 3, "$b")
    ranked, total = kiwi.open_wishes()
    assert [(w.topic, count) for w, count in ranked] == [("Neu", 2), ("Alt", 1), ("Mittel", 1)] and total == 3


def test_an_offer_naming_a_wish_fulfils_it_and_tells_who_wanted_it(kiwi: Kiwi) -> None:
    kiwi.make_wish(ANNA, "PDFs")
    for person, reaction in ((BERT, "$b"), (CARO, "$c"), ("@dora:x", "$d"), (GIVER, "$g")):
        kiwi.show_interest(person, 1, reaction)
    kiwi.set_reminder_pref(CARO, "dm")
    kiwi.set_reminder_pref("@dora:x", "aus")
    outcome = kiwi.offer(GIVER, fields(wish=1), None, None)
    wish = kiwi.wish(1)
    assert wish.status is WishStatus.FULFILLED and wish.session_id == 1
    assert outcome.effects[-1:] == (RefreshWish(1),)  # the wishers hear of it once its post (a link) is out
    kiwi.store.update_session(1, NOW, news_room="!programme:x", news_event="$news1")
    told = kiwi.wish_news(1)
    thread = [e for e in told if isinstance(e, NotifyWish)]
    assert [n.users for n in thread] == [(ANNA, BERT)]  # the giver is not told of their own session
    assert [e.user_id for e in told if isinstance(e, Direct)] == [CARO]
    assert key_of(kiwi.offer, GIVER, fields(wish=1, title="Noch einmal"), None, None) == "wish.already_fulfilled"
    assert key_of(kiwi.offer, GIVER, fields(wish=7, title="Anders"), None, None) == "wish.unknown"
    assert kiwi.store.get_session(2) is None  # a refused wish line makes no session


def session(kiwi: Kiwi, number: int) -> Session:
    found = kiwi.store.get_session(number)
    assert found is not None
    return found


def test_an_offer_alike_an_open_wish_is_told_how_to_name_it_unless_it_does(kiwi: Kiwi) -> None:
    kiwi.make_wish(ANNA, "Pivot-Tabellen in Excel")
    kiwi.make_wish(BERT, "Agiles Arbeiten")
    kiwi.offer(GIVER, fields(title="Excel: Pivot-Tabellen für Einsteiger:innen"), None, None)
    answer = kiwi.confirmation(session(kiwi, 1), "post")
    assert isinstance(answer, Lines)
    keys = [(m.key, dict(m.params).get("wish")) for m in answer.items if isinstance(m, Msg)]
    assert keys == [("offer.created", None), ("offer.alike_wishes", "W1"), ("offer.alike_wish", "W1")]
    kiwi.offer(GIVER, fields(title="Pivot in Excel", starts_at=NOW + timedelta(days=4), wish=1), None, None)
    named = kiwi.confirmation(session(kiwi, 2), "post")
    assert isinstance(named, Msg) and named.key == "offer.created"  # it names the wish: nothing to suggest
    kiwi.offer(GIVER, fields(title="E-Akte", starts_at=NOW + timedelta(days=5)), None, None)
    assert isinstance(kiwi.confirmation(session(kiwi, 3), "post"), Msg)


def test_a_change_may_name_the_wish_a_session_fulfils(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    kiwi.make_wish(ANNA, "PDFs")
    outcome = kiwi.edit(GIVER, 1, OfferFields(wish=1, given=frozenset({"wish"})))
    assert kiwi.wish(1).session_id == 1 and RefreshWish(1) in outcome.effects


def test_the_wisher_patrons_and_admins_close_a_wish_others_may_not(kiwi: Kiwi) -> None:
    for topic in ("A", "B", "C", "D"):
        kiwi.make_wish(ANNA, topic)
    assert key_of(kiwi.close_wish, BERT, 1) == "wish.close_forbidden"
    assert kiwi.close_wish(ANNA, 1).effects == (RefreshWish(1),)
    told = kiwi.close_wish(PATRON, 2).effects
    assert [e.user_id for e in told if isinstance(e, Direct)] == [ANNA]  # the wisher hears who closed it
    kiwi.close_wish(ADMIN, 3)
    assert key_of(kiwi.close_wish, ANNA, 1) == "wish.already_closed"
    assert key_of(kiwi.offer, GIVER, fields(wish=1), None, None) == "wish.already_closed"
    assert kiwi.show_interest(BERT, 1, "$late").effects == ()  # a closed wish counts no more
    assert [w.id for w, _ in kiwi.open_wishes()[0]] == [4]


def test_reconciling_interest_with_the_reactions_on_the_post(kiwi: Kiwi) -> None:
    kiwi.make_wish(ANNA, "PDFs")
    kiwi.show_interest(BERT, 1, "$b")
    added, removed, effects = kiwi.reconcile_interest(1, {"$c1": CARO, "$c2": CARO, "$a": ANNA})
    assert (added, removed) == ([CARO], [BERT]) and effects == [RefreshWish(1)]
    assert kiwi.store.interested(1) == [CARO] and kiwi.wish_post_facts(1)[1] == 2


# -- the migration --------------------------------------------------------------------------------


def test_sessions_stored_before_the_archive_existed_are_found_after_the_upgrade(tmp_path: Path) -> None:
    from kiwibot.storage.migrations import MIGRATIONS

    archive = next(n for n, steps in enumerate(MIGRATIONS, 1) if any("session_search" in s for s in steps))
    old = Store.open(tmp_path / "k.db", target=archive - 1)
    old.db.execute(
        "INSERT INTO sessions (giver, title, starts_at, ends_at, duration, format, description, created_at, "
        "updated_at) VALUES ('@g:x', 'Übungen zur E-Akte', '2026-11-01T13:00:00.000000Z', "
        "'2026-11-01T14:00:00.000000Z', 60, 'talk', 'alt', 'then', 'then')"
    )
    old.close()
    settings = Settings(timezone=ZoneInfo("Europe/Berlin"))
    kiwi = Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), settings, MatrixPlatform())
    assert [s.title for s in kiwi.archive("uebung").sessions] == ["Übungen zur E-Akte"]
    assert kiwi.session(1).giver_name == ""
