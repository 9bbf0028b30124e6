"""The learning loop's rules, pure: wish numbers (W7) never taken for session numbers, material links, wish texts,
search folding (the SQL of the index and the Python of the query agree), the archive's arguments."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from kiwibot.commands import loop
from kiwibot.commands.builtin import build_registry
from kiwibot.core.effects import WishEdit, WishPost
from kiwibot.core.errors import UserError
from kiwibot.core.learning import (
    JOINERS,
    MATERIAL_TEXT_MAX,
    SEARCH_MAX,
    WISH_TOPIC_MAX,
    fold,
    material_link,
    material_text,
    search_terms,
    topic_likeness,
    wish_text,
    without_joiners,
)
from kiwibot.core.offer import parse_offer
from kiwibot.core.wishnumbers import is_wish_number, wish_label, wish_number
from kiwibot.storage.archive import match_expression
from kiwibot.storage.folding import JOINERS as SQL_JOINERS
from kiwibot.storage.folding import folded, joined
from kiwibot.storage.purposes import purpose_columns, purpose_of

REG = build_registry("!")
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def refused(call: object, *args: object) -> UserError:
    with pytest.raises(UserError) as info:
        call(*args)  # type: ignore[operator]
    return info.value


# -- wish numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["W7", "w7", "W 7", "#W7", "W-7", "w.7", "Wunsch 7", "wish 7", "W7.", "7", "07"])
def test_wish_numbers_as_people_write_them(written: str) -> None:
    assert wish_number(written) == 7


@pytest.mark.parametrize("written", ["Nr. 7", "#7", "Session 7", "nr 7", "No. 7"])
def test_a_session_number_is_no_wish_number_and_says_so(written: str) -> None:
    error = refused(wish_number, written)
    assert error.key == "wish.session_number" and error.params["value"] == written


@pytest.mark.parametrize("written", ["W0", "0", "abc", "W", "W7a", "-", "W 1234567890"])
def test_bad_wish_numbers_are_refused(written: str) -> None:
    assert refused(wish_number, written).key == "wish.bad_number"


def test_wishes_are_shown_with_their_letter() -> None:
    assert wish_label(7) == "W7"
    assert is_wish_number("W7") and is_wish_number(" #w 12 ") and not is_wish_number("7")


@pytest.mark.parametrize("command", ["anmelden 7", "abmelden W7", "ändern W7\nTitel: x", "absagen W7", "material W7"])
def test_a_command_taking_a_session_number_says_w7_is_a_wish(command: str) -> None:
    word, _, text = command.partition(" ")
    found = REG.find(word)
    assert found is not None
    if "W7" not in text:
        assert REG.parse_args(found, text, "de")[0] in (7, (7,))
        return
    error = refused(REG.parse_args, found, text, "de")
    assert error.key == "error.wish_number" and error.params["value"] == "W7"


@pytest.mark.parametrize(
    ("line", "wish"), [("Wunsch: W7", 7), ("Wunsch: 7", 7), ("Wish: W12", 12), ("Wunschthema: w 3", 3)]
)
def test_an_offer_names_the_wish_it_fulfils(line: str, wish: int) -> None:
    text = f"Titel: Barrierefreie PDFs\nTermin: 3.12.2026 14:00\nDauer: 60\nFormat: impuls\n{line}"
    fields = parse_offer(text, None, NOW, UTC)
    assert fields.wish == wish and "wish" in fields.given


@pytest.mark.parametrize(("value", "key"), [("Nr. 7", "wish.session_number"), ("bald", "wish.bad_number")])
def test_an_offer_with_a_bad_wish_line_names_the_problem(value: str, key: str) -> None:
    text = f"Titel: PDFs\nTermin: 3.12.2026 14:00\nDauer: 60\nFormat: impuls\nWunsch: {value}"
    error = refused(parse_offer, text, None, NOW, UTC)
    assert [p.key for p in error.problems] == [key]


# -- materials --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("https://cloud.example.org/folien.pdf", "https://cloud.example.org/folien.pdf"),
        ("http://intranet.example/x?y=1#z", "http://intranet.example/x?y=1#z"),
        ("<https://example.org/a>", "https://example.org/a"),
        ("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG"),
        ("www.example.org/folien.pdf", "https://www.example.org/folien.pdf"),
        ("<WWW.example.org>", "https://WWW.example.org"),
        # the sentence around a link is not part of it, as linkifiers read it
        ("https://video.example.org/rec/123.", "https://video.example.org/rec/123"),
        ("https://example.org/a?b=1,", "https://example.org/a?b=1"),
        ("https://example.org/x!?", "https://example.org/x"),
        ("<https://example.org/a>.", "https://example.org/a"),
        ("(https://example.org/a).", "https://example.org/a"),
        ("„https://example.org/a“", "https://example.org/a"),
        ("https://de.wikipedia.org/wiki/Akte_(Verwaltung)", "https://de.wikipedia.org/wiki/Akte_(Verwaltung)"),
        ("(https://de.wikipedia.org/wiki/Akte_(Verwaltung)).", "https://de.wikipedia.org/wiki/Akte_(Verwaltung)"),
        ("[https://example.org/a]", "https://example.org/a"),
        ("https://example.org/a:", "https://example.org/a"),
    ],
)
def test_material_links_are_web_links(given: str, url: str) -> None:
    assert material_link(given) == url


@pytest.mark.parametrize(
    "given",
    [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "mailto:a@example.org",
        "data:text/html,<b>x</b>",
        "example.org/folien",
        "https://",
        'https://example.org/"onmouseover=x',
        "https://user@example.org/",
    ],
)
def test_other_links_are_refused_clearly(given: str) -> None:
    error = refused(material_link, given)
    assert error.key == "material.bad_link" and error.params["value"]


def test_a_material_description_is_one_clean_line_of_bounded_length() -> None:
    assert material_text("  Folien\u200b  (PDF)\u202e ") == "Folien (PDF)"
    assert material_text("") == ""
    assert refused(material_text, "x" * (MATERIAL_TEXT_MAX + 1)).key == "material.text_too_long"


# -- wish texts -------------------------------------------------------------------------------------


def test_a_wish_is_its_first_line_and_a_description_below() -> None:
    assert wish_text("  Barrierefreie  PDFs \nWie geht das?\n\nMit Word.  ") == (
        "Barrierefreie PDFs",
        "Wie geht das?\n\nMit Word.",
    )
    assert wish_text("E-Akte") == ("E-Akte", "")
    assert wish_text("5 Tipps für Excel") == ("5 Tipps für Excel", "")  # a number in a topic is fine


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("   ", "wish.empty"),
        ("\u200b", "wish.empty"),
        ("W7", "wish.number_as_topic"),
        ("7", "wish.session_number_as_topic"),
        ("Nr. 7", "wish.session_number_as_topic"),
        ("#7", "wish.session_number_as_topic"),
        ("7.", "wish.session_number_as_topic"),
        ("x" * (WISH_TOPIC_MAX + 1), "wish.topic_too_long"),
        ("Thema\n" + "x" * 1001, "wish.description_too_long"),
    ],
)
def test_empty_or_too_long_wishes_are_refused(text: str, key: str) -> None:
    assert refused(wish_text, text).key == key


# -- searching: folding, terms, the SQL twin --------------------------------------------------------


@pytest.mark.parametrize("word", ["Übung", "Ubung", "uebung", "UEBUNG", "ÜBUNG", "übung", "Uebung"])
def test_umlauts_their_spellings_and_case_fold_to_one(word: str) -> None:
    assert search_terms(word) == (("ubung",),)


def test_search_terms_are_the_words_each_once() -> None:
    assert search_terms("  E-Akte,  Straße  e-akte ") == (("e akte", "eakte"), ("strasse",))
    assert search_terms("Größe Maße") == (("grosse",), ("masse",))
    assert refused(search_terms, "!!! ???").key == "archive.query_empty"
    assert refused(search_terms, "x" * (SEARCH_MAX + 1)).key == "archive.query_too_long"


def test_a_search_is_a_prefix_match_of_every_word_quoted() -> None:
    assert match_expression((("ubung",), ('a"b',))) == '"ubung"* AND "a""b"*'
    assert match_expression((("e akte", "eakte"),)) == '("e akte"* OR "eakte"*)'


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("E-Akte", ("e akte", "eakte")),
        ("Einsteiger:innen", ("einsteiger innen", "einsteigerinnen")),
        ("Einsteiger*innen", ("einsteiger innen", "einsteigerinnen")),
        ("Einsteiger_innen", ("einsteiger innen", "einsteigerinnen")),
        ("Lehrer/innen", ("lehrer innen", "lehrerinnen")),
        ("EinsteigerInnen", ("einsteigerinnen",)),
        ("@gerd:localhost", ("gerd localhost", "gerdlocalhost")),
    ],
)
def test_a_search_word_with_joining_marks_is_also_searched_joined(word: str, forms: tuple[str, ...]) -> None:
    assert search_terms(word) == (forms,)


SAMPLES = [
    "Übung macht den Meister",
    "ÄRGER mit Ökonomie und Überstunden",
    "Straße, STRASSE, Maß, GROẞ",
    "Queue, AE, Oe, uE, aE",
    "Café Zoë naïve São Paulo",
    "Ελληνικά Кириллица",
    "🦜 emoji 👍🏽 and numbers 2026",
    "Michael Jäger-Müller (E-Akte)",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_index_folds_in_sql_exactly_as_the_query_folds_in_python(text: str) -> None:
    sql = sqlite3.connect(":memory:").execute(f"SELECT {folded('?')}", (text,)).fetchone()[0]
    assert sql == fold(text)


@pytest.mark.parametrize("text", [*SAMPLES, "Einsteiger:innen*_/innen·x\u2010y\u2011z"])
def test_the_index_joins_words_in_sql_exactly_as_the_query_joins_them_in_python(text: str) -> None:
    assert JOINERS == SQL_JOINERS
    sql = sqlite3.connect(":memory:").execute(f"SELECT {folded(joined('?'))}", (text,)).fetchone()[0]
    assert sql == fold(without_joiners(text))


# -- the archive's arguments, and the wish posts' outbox purposes -----------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [None, None]),
        ("2", [None, 2]),
        ("E-Akte", ["E-Akte", None]),
        ("E-Akte 2", ["E-Akte", 2]),
        ("Verwaltung digital 3", ["Verwaltung digital", 3]),
        ("Verwaltung digital", ["Verwaltung digital", None]),
        ("2026", ["2026", None]),  # a year, not page 2026
        ("E-Akte 2026", ["E-Akte 2026", None]),
        ("2026 2", ["2026", 2]),
        ("1999", [None, 1999]),
    ],
)
def test_archive_reads_search_words_then_a_page(text: str, expected: list[object]) -> None:
    found = REG.find("archiv")
    assert found is not None
    assert REG.parse_args(found, text, "de") == expected
    assert loop.take_search(text)[0] == (expected[0] or "")


@pytest.mark.parametrize(
    "written", ["https://example.org/rec.", "(https://example.org/rec)", "<https://example.org/rec>."]
)
def test_an_offers_link_leaves_the_sentence_around_it(written: str) -> None:
    text = f"Titel: PDFs\nTermin: 3.12.2026 14:00\nDauer: 60\nFormat: impuls\nLink: {written}"
    assert parse_offer(text, None, NOW, UTC).link == "https://example.org/rec"


@pytest.mark.parametrize(("line", "text"), [("!archiv E Akte", "E Akte"), ("!archiv e", "e"), ("!archive E", "E")])
def test_a_command_word_keeps_the_word_after_it_as_its_text(line: str, text: str) -> None:
    invocation = REG.match(line)
    assert invocation is not None and invocation.command is not None
    assert (invocation.command.name, invocation.text) == ("archive", text)


def test_two_words_written_apart_for_a_command_of_one_word_are_still_that_command() -> None:
    for line in ("!meine daten", "!my data"):
        invocation = REG.match(line)
        assert invocation is not None and invocation.command is not None
        assert (invocation.command.name, invocation.text) == ("mydata", ""), line


@pytest.mark.parametrize("purpose", [WishPost(7), WishEdit(7)])
def test_wish_post_purposes_are_read_back_as_queued(purpose: WishPost | WishEdit) -> None:
    assert purpose_of(*purpose_columns(purpose)) == purpose


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Pivot-Tabellen in Excel", "Excel Pivot-Tabelle"),  # other order, singular, a filler word
        ("Excel", "Excel für Fortgeschrittene"),  # every word of the shorter one
        ("Künstliche Intelligenz im Büro", "kuenstliche intelligenz"),  # umlauts spelt out, case
        ("Prompting für KI", "KI-Prompts schreiben"),  # a word's longer form, two of three shared
        ("Pivot-Tabellen in Excel", "pivottabellen in excel"),  # a hyphen left out
        ("Pivot-Tabelle", "Pivottabellen für Fortgeschrittene"),
        ("E-Akte für Einsteiger:innen", "eAkte für Einsteiger"),  # a gender form and the joined word
        ("Excel für Einsteiger*innen", "Excel für EinsteigerInnen"),
        ("Word für Einsteiger_innen", "Word für Einsteiger/innen"),
        ("Outlook für Kolleg:innen", "Outlook für Kollegen"),
    ],
)
def test_alike_topics_in_other_words_are_found(a: str, b: str) -> None:
    assert topic_likeness(a, b) >= 0.5 and topic_likeness(b, a) == topic_likeness(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Barrierefreie PDFs", "Agiles Arbeiten"),
        ("Datenschutz im Homeoffice", "Homeoffice ergonomisch einrichten mit Tipps"),  # one word of many
        ("Die Arbeit in der Verwaltung", "Das neue Jahr und die Verwaltung"),
        ("Offene Daten", "Datenschutz"),  # a word inside a longer one is another word
        ("und oder 2026", "Excel"),  # nothing but fillers and numbers: no topic to compare
    ],
)
def test_topics_sharing_little_are_not_alike(a: str, b: str) -> None:
    assert topic_likeness(a, b) < 0.5
