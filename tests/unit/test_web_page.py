"""The programme page's view builder and template, on a real store with the real core (no HTTP)."""

from __future__ import annotations

import fnmatch
import tomllib
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.messages import Code, Link, Mention, Moment, Msg
from kiwibot.core.service import Kiwi
from kiwibot.storage import Store
from kiwibot.web.page import (
    PAGE_SIZE,
    Notice,
    ProgrammeView,
    SessionView,
    Words,
    build_view,
    programme_data,
    render_programme,
)
from tests.unit.webkit import (
    BERLIN,
    GIVER,
    HOSTILE_TEXT,
    HOSTILE_TITLE,
    ME,
    NOW,
    Seeded,
    fields,
    local,
    make_kiwi,
    seed,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kiwi(tmp_path: Path) -> Kiwi:
    return make_kiwi(Store.open(tmp_path / "k.db"))


@pytest.fixture
def seeded(kiwi: Kiwi) -> Seeded:
    return seed(kiwi)


class Tags(HTMLParser):
    """The tags and attributes a browser would see, and the text it would show."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


def view_of(kiwi: Kiwi, user: str = ME, page: int = 1, **extra: object) -> ProgrammeView:
    return build_view(programme_data(kiwi, user, page), csrf="token", secret="geheim", **extra)  # type: ignore[arg-type]


def sessions(view: ProgrammeView) -> dict[int, SessionView]:
    return {s.number: s for day in view.days for s in day.sessions}


def test_sessions_are_grouped_by_their_day_in_the_configured_zone(kiwi: Kiwi) -> None:
    late = local(3, 23, 30)  # 22:30 UTC: still that day in Berlin
    after_midnight = local(4, 0, 30)  # 23:30 UTC the day before: the next day in Berlin
    for title, at in (("Spät", late), ("Nach Mitternacht", after_midnight)):
        kiwi.offer(GIVER, fields(title, at), None, None)
    view = view_of(kiwi)
    assert [(d.day, d.label, [s.title for s in d.sessions]) for d in view.days] == [
        ("2026-11-24", "Dienstag, 24. November 2026", ["Spät"]),
        ("2026-11-25", "Mittwoch, 25. November 2026", ["Nach Mitternacht"]),
    ]
    first = view.days[0].sessions[0]
    assert (first.starts, first.time, first.duration) == ("2026-11-24T23:30+01:00", "23:30 Uhr", "60 Minuten")


def test_each_session_says_where_the_person_stands_and_offers_the_fitting_button(kiwi: Kiwi, seeded: Seeded) -> None:
    words = Words("de", BERLIN).t
    shown = sessions(view_of(kiwi))
    intro, full, waiting = shown[seeded.intro], shown[seeded.full], shown[seeded.waiting]
    cancelled, mine, joined = shown[seeded.cancelled], shown[seeded.mine], shown[seeded.joined]
    assert (intro.standing, intro.action, intro.action_label) == ("none", "sign_up", "Anmelden")
    assert intro.seats == "unbegrenzt" and intro.participants == "2 Teilnehmende"
    assert (full.full, full.action, full.action_label) == (True, "sign_up", "Auf die Warteliste")
    assert full.seats == "2 von 2 Plätzen belegt"
    assert full.participants == "2 Teilnehmende · 1 auf der Warteliste"
    assert (waiting.standing, waiting.action) == ("waiting", "sign_off")
    assert waiting.action_label == "Von der Warteliste abmelden"
    assert waiting.standing_text == "Du stehst auf Platz 1 der Warteliste."
    assert (cancelled.cancelled, cancelled.action, cancelled.standing_text) == (True, None, "")
    assert cancelled.cancel_reason == "Grund: Die Referentin ist krank." and not cancelled.full
    assert (mine.standing, mine.action, mine.standing_text) == ("giver", None, "Das ist deine Session.")
    assert (joined.standing, joined.action, joined.standing_text) == ("confirmed", "sign_off", "Du bist angemeldet.")
    assert (joined.format_name, joined.format_about) == (words("format.group.name"), words("format.group.about"))
    assert intro.giver == "gerd"  # without a better name, the user id's local part


def test_my_sessions_and_my_signups(kiwi: Kiwi, seeded: Seeded) -> None:
    view = view_of(kiwi)
    assert [(m.number, m.state) for m in view.given] == [(seeded.mine, "")]
    assert [(m.number, m.state) for m in view.joined] == [
        (seeded.waiting, "(Warteliste, Platz 1)"),
        (seeded.cancelled, "(abgesagt)"),
        (seeded.joined, ""),
    ]
    assert all(m.anchor == f"s-{m.number}" for m in view.joined)


def test_a_cancelled_session_is_listed_for_those_it_concerns_only(kiwi: Kiwi, seeded: Seeded) -> None:
    assert seeded.cancelled in sessions(view_of(kiwi, ME))
    assert seeded.cancelled in sessions(view_of(kiwi, GIVER))
    assert seeded.cancelled not in sessions(view_of(kiwi, "@other:kiwi.test"))


def test_a_session_that_has_begun_offers_no_button(tmp_path: Path) -> None:
    kiwi = make_kiwi(Store.open(tmp_path / "k.db"))
    kiwi.offer(GIVER, fields("Läuft", NOW + timedelta(minutes=30)), None, None)
    kiwi.sign_up(ME, 1, "$r", "reaction")
    assert isinstance(kiwi.clock, FixedClock)
    kiwi.clock.moment = NOW + timedelta(minutes=45)
    running = sessions(view_of(kiwi))[1]
    assert running.begun and running.action is None
    assert "Hat schon begonnen" in render_programme(view_of(kiwi))


def test_a_full_session_that_has_begun_does_not_promise_a_waiting_list(tmp_path: Path) -> None:
    kiwi = make_kiwi(Store.open(tmp_path / "k.db"))
    kiwi.offer(GIVER, fields("Voll und läuft", NOW + timedelta(minutes=30), seats=1), None, None)
    kiwi.sign_up(ME, 1, "$r", "reaction")
    assert isinstance(kiwi.clock, FixedClock)
    kiwi.clock.moment = NOW + timedelta(minutes=45)
    running = sessions(view_of(kiwi, GIVER))[1]
    html = render_programme(view_of(kiwi, GIVER))
    assert running.begun and not running.full
    assert "Hat schon begonnen" in html and "Ausgebucht" not in html and "Warteliste" not in html


def test_english_for_those_who_chose_it(kiwi: Kiwi, seeded: Seeded) -> None:
    kiwi.set_language(ME, "en")
    view = view_of(kiwi)
    shown = sessions(view)
    assert view.language == "en"
    assert shown[seeded.full].action_label == "Join the waiting list"
    assert shown[seeded.waiting].standing_text == "You are number 1 on the waiting list."
    assert shown[seeded.intro].duration == "60 minutes"
    page = render_programme(view)
    assert '<html lang="en">' in page and "My signups" in page and "Meine" not in page


def test_long_programmes_have_pages(kiwi: Kiwi) -> None:
    for n in range(PAGE_SIZE + 10):
        kiwi.offer(f"@giver{n}:kiwi.test", fields(f"Session {n}", local(2, 8) + timedelta(minutes=n)), None, None)
    first, second = view_of(kiwi), view_of(kiwi, page=2)
    assert len(sessions(first)) == PAGE_SIZE and len(sessions(second)) == 10
    assert (first.pages, first.previous, first.next and first.next.href) == (2, None, "geheim?seite=2")
    assert second.previous is not None and second.previous.href == "geheim" and second.next is None
    assert view_of(kiwi, page=99).page == 2  # past the end: the last page
    assert 'name="seite" value="2"' in render_programme(second)


def test_hostile_text_is_escaped_and_the_page_has_no_script_or_inline_style(kiwi: Kiwi, seeded: Seeded) -> None:
    view = view_of(kiwi, notice=Notice(f"Angemeldet: {HOSTILE_TITLE}", ok=True))
    hostile = sessions(view)[seeded.hostile]
    assert hostile.link is None and hostile.link_text == "javascript:alert(1)"  # not a link
    page = render_programme(view)
    assert HOSTILE_TITLE not in page and HOSTILE_TEXT.splitlines()[0] not in page
    assert "&lt;script&gt;window.kiwiPwned = 1&lt;/script&gt;" in page
    tags = Tags()
    tags.feed(page)
    assert {"script", "img", "b", "style", "iframe"}.isdisjoint(tag for tag, _ in tags.found)
    attributes = {name for _, attrs in tags.found for name, _ in attrs}
    assert "style" not in attributes and not [name for name in attributes if name.startswith("on")]
    assert not [value for _, attrs in tags.found for _, value in attrs if value and "javascript:" in value]
    assert HOSTILE_TITLE in tags.text and "Angemeldet: " + HOSTILE_TITLE in tags.text


def test_invisible_and_reordering_characters_are_dropped_from_user_text(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields("Ad\u202emin\u200b-Tipps", local(2, 9), description="a\u2066b\x07c"), None, None)
    shown = sessions(view_of(kiwi))[1]
    assert (shown.title, shown.description) == ("Admin-Tipps", "abc")


def test_messages_become_plain_text_in_the_readers_language() -> None:
    words = Words("de", BERLIN, names=lambda user: "Gerd Geber")
    assert words.t("signoff.own", number=5, title="X") == (
        "Session 5 „X“ ist deine eigene. Wenn sie nicht stattfinden kann, sag sie mit !absagen 5 ab."
    )
    assert words(Msg.of("news.giver", giver=Mention(GIVER))) == "Session-Geber:in: Gerd Geber"
    assert words(Moment(local(2, 9), "datetime")) == "Mo., 23. Nov. 2026, 09:00 Uhr"
    assert words(Link("https://x.example", "Link")) == "Link (https://x.example)"
    assert words(Code("!anmelden 3")) == "!anmelden 3"
    assert Words("en", BERLIN).t("web.minutes", minutes=1) == "1 minute"


def test_the_templates_and_the_stylesheet_are_installed_with_the_package() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = data["tool"]["setuptools"]["package-data"]["kiwibot"]
    files = [p for folder in ("templates", "static") for p in (ROOT / "kiwibot" / "web" / folder).iterdir()]
    assert files
    for path in files:
        relative = path.relative_to(ROOT / "kiwibot").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), f"{relative} would not be installed"
