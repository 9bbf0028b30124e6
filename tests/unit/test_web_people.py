"""How the web side names people: the giver and the co-givers on the programme page and in every calendar's
DESCRIPTION, by name (never a bare Matrix id when a name is known), in the reader's language, escaped."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from kiwibot.core.pseudonyms import former_member
from kiwibot.core.service import Kiwi
from kiwibot.storage import Store
from kiwibot.web.ical import IcalRenderer
from kiwibot.web.page import SessionView, build_view, programme_data, render_programme
from tests.unit.webkit import BERLIN, GIVER, ME, NOW, OTHERS, fields, local, make_kiwi

ANNA, BERT, CEM = OTHERS
NAMES = {GIVER: "Gerd Geber", ANNA: "Anna Beispiel", BERT: "Bert <b>Fett</b> & Co"}


def named(user_id: str) -> str:
    """The platform's names: Cem has none it knows, so the id's local part stands in."""
    return NAMES.get(user_id) or user_id.removeprefix("@").partition(":")[0]


@pytest.fixture
def kiwi(tmp_path: Path) -> Kiwi:
    return make_kiwi(Store.open(tmp_path / "kiwibot.db"))


def offer(kiwi: Kiwi, title: str, cogivers: tuple[str, ...] = (), giver_name: str = "") -> int:
    number = kiwi.offer(GIVER, fields(title, local(2, 10)), None, None, giver_name).reply
    session = kiwi.store.upcoming(NOW)[-1]
    assert session.title == title, number
    if cogivers:
        kiwi.store.set_cogivers(session.id, cogivers, GIVER, NOW)
    return session.id


def description(kiwi: Kiwi, number: int, language: str = "de") -> str:
    """The DESCRIPTION as a calendar app reads it: the rendered VEVENT parsed back by icalendar."""
    renderer = IcalRenderer(BERLIN, "https://kiwi.example.org", lambda room, event: "", named)
    entry = kiwi.store.calendar_entries([number])[number]
    calendar = renderer.calendar("KIWI", [renderer.event(entry, language)], (2026, 2026))
    (event,) = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    return str(event["DESCRIPTION"])


def shown(kiwi: Kiwi, number: int, language: str = "de") -> SessionView:
    if language != "de":
        kiwi.store.set_language(ME, language)
    view = build_view(programme_data(kiwi, ME), csrf="t", secret="s", names=named)
    return next(s for day in view.days for s in day.sessions if s.number == number)


def test_the_calendar_names_the_giver_and_co_givers_by_name_as_the_chat_does(kiwi: Kiwi) -> None:
    number = offer(kiwi, "Zu dritt", (ANNA, CEM))
    assert "Session-Geber:in: Gerd Geber mit Anna Beispiel, cem\n" in description(kiwi, number)
    assert "Session giver: Gerd Geber with Anna Beispiel, cem\n" in description(kiwi, number, "en")
    assert "@" not in description(kiwi, number).partition("Session-Geber:in:")[2].partition("\n")[0]


def test_without_co_givers_the_calendar_names_the_giver_alone_by_the_name_recorded_with_the_offer(kiwi: Kiwi) -> None:
    alone = offer(kiwi, "Allein", giver_name="Gerd aus dem Referat 3")
    assert "Session-Geber:in: Gerd aus dem Referat 3\n" in description(kiwi, alone)
    unnamed = offer(kiwi, "Ohne Namen")
    text = description(kiwi, unnamed)
    assert "Session-Geber:in: Gerd Geber\n" in text and GIVER not in text


def test_a_forgotten_co_giver_is_a_former_member_and_control_characters_do_not_reach_the_calendar(
    kiwi: Kiwi,
) -> None:
    number = offer(kiwi, "Mit Ehemaligen", (former_member(),), giver_name="Gerd\x07 Geber\x1b")
    assert "Session-Geber:in: Gerd Geber mit ehemaliges Mitglied\n" in description(kiwi, number)


def test_the_page_names_the_giver_with_the_co_givers_in_the_readers_language(kiwi: Kiwi) -> None:
    number = offer(kiwi, "Zu dritt", (ANNA, CEM))
    assert shown(kiwi, number).giver == "Gerd Geber mit Anna Beispiel, cem"
    assert shown(kiwi, number, "en").giver == "Gerd Geber with Anna Beispiel, cem"
    alone = offer(kiwi, "Allein", giver_name="Gerd aus dem Referat 3")
    assert shown(kiwi, alone).giver == "Gerd aus dem Referat 3"  # the name recorded with the offer comes first


def test_a_co_givers_name_is_escaped_on_the_page(kiwi: Kiwi) -> None:
    number = offer(kiwi, "Mit Markup im Namen", (BERT,))
    assert shown(kiwi, number).giver == "Gerd Geber mit Bert <b>Fett</b> & Co"
    html = render_programme(build_view(programme_data(kiwi, ME), csrf="t", secret="s", names=named))
    assert "<bdi>Gerd Geber mit Bert &lt;b&gt;Fett&lt;/b&gt; &amp; Co</bdi>" in html and "<b>Fett" not in html


def test_bidi_controls_in_names_do_not_reach_the_calendar(kiwi: Kiwi) -> None:
    """A name with U+202E (right-to-left override) would show reversed text in a calendar, which cannot isolate
    it as the page does: the calendars drop bidi controls as the page does."""
    NAMES[ANNA] = "Anna\u2067 \u202eBeispiel\u200f"
    try:
        number = offer(kiwi, "Mit Anna", (ANNA,), giver_name="Gerd\u202e Geber\u202c")
        text = description(kiwi, number)
    finally:
        NAMES[ANNA] = "Anna Beispiel"
    assert "Session-Geber:in: Gerd Geber mit Anna Beispiel\n" in text
    assert not any(ch in text for ch in "\u202e\u202c\u2067\u200f")
