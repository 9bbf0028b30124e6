"""Plural messages: every language has every form its CLDR rules need, and numbers choose them right."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.messages import Msg
from kiwibot.i18n import CATALOGUE, LANGUAGES, Plural, plural_categories
from kiwibot.matrix.render import Renderer

PLURAL_KEYS = sorted({key for lang in LANGUAGES for key, text in CATALOGUE[lang].items() if isinstance(text, Plural)})


def test_there_are_plural_messages() -> None:
    assert {"programme.no_page", "count.participants", "digest.free", "waitlist.demoted"} <= set(PLURAL_KEYS)


@pytest.mark.parametrize("key", PLURAL_KEYS)
def test_plural_messages_have_every_form_in_every_language(key: str) -> None:
    counts = set()
    for lang in LANGUAGES:
        entry = CATALOGUE[lang][key]
        assert isinstance(entry, Plural), f"{lang}:{key} is plural in one language only"
        assert set(entry.forms) == plural_categories(lang), f"{lang}:{key} forms {set(entry.forms)}"
        counts.add(entry.count)
        for text in entry.forms.values():
            assert "(n)" not in text and "(s)" not in text
    assert len(counts) == 1, f"{key}: languages count different parameters"


@pytest.mark.parametrize("text", [t for lang in LANGUAGES for t in CATALOGUE[lang].values() if isinstance(t, str)])
def test_no_message_writes_a_plural_in_brackets(text: str) -> None:
    assert "(n)" not in text and "(s)" not in text


RENDER = Renderer(ZoneInfo("Europe/Berlin"))


def said(key: str, language: str, **params: object) -> str:
    return RENDER.render(Msg.of(key, **params), language).body


@pytest.mark.parametrize(
    ("count", "de", "en"),
    [
        (0, "0 Teilnehmende", "0 participants"),
        (1, "1 teilnehmende Person", "1 participant"),
        (2, "2 Teilnehmende", "2 participants"),
        (21, "21 Teilnehmende", "21 participants"),
    ],
)
def test_participant_counts(count: int, de: str, en: str) -> None:
    assert said("count.participants", "de", count=count) == de
    assert said("count.participants", "en", count=count) == en


@pytest.mark.parametrize(
    ("pages", "de", "en"),
    [
        (1, "das Programm hat nur 1 Seite.", "the programme has only 1 page."),
        (2, "das Programm hat 2 Seiten.", "the programme has 2 pages."),
        (21, "das Programm hat 21 Seiten.", "the programme has 21 pages."),
    ],
)
def test_programme_pages(pages: int, de: str, en: str) -> None:
    assert said("programme.no_page", "de", page=99, pages=pages).endswith(de)
    assert said("programme.no_page", "en", page=99, pages=pages).endswith(en)


def test_seats_and_waiting_list_wording() -> None:
    assert "nur noch 1 Platz," in said("waitlist.demoted", "de", number=3, title="T", seats=1, position=1)
    assert "nur noch 2 Plätze," in said("waitlist.demoted", "de", number=3, title="T", seats=2, position=1)
    assert "only 1 seat," in said("waitlist.demoted", "en", number=3, title="T", seats=1, position=1)
    assert said("digest.free", "de", free=1) == "1 Platz frei"
    assert said("digest.free", "de", free=0) == "0 Plätze frei"
    assert said("digest.free", "en", free=1) == "1 seat free"
    one = said("reminder.still_waiting", "de", users="anna", count=1)
    many = said("reminder.still_waiting", "de", users="anna, ben", count=2)
    assert "Du stehst" in one and "Ihr" not in one
    assert "Ihr steht" in many


def test_a_count_inside_a_composed_message() -> None:
    text = said("count.with_waitlist", "de", count=Msg.of("count.participants", count=1), waiting=2)
    assert text == "1 teilnehmende Person · 2 auf der Warteliste"
