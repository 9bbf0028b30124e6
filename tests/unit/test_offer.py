"""Reading offers: fields in German and English, every problem at once, partial edits, HTML and the template."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.errors import UserError
from kiwibot.core.messages import Msg
from kiwibot.core.model import FORMAT_KEYWORD, FORMAT_WORDS, Format
from kiwibot.core.offer import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    OfferFields,
    offer_template,
    parse_offer,
    sanitize_html,
)
from kiwibot.i18n import de, en, offer_de, offer_en, placeholders
from kiwibot.matrix.content import strip_html_reply_fallback
from kiwibot.matrix.render import is_pill

BERLIN = ZoneInfo("Europe/Berlin")
# Saturday, 11:00 in Berlin (CET, UTC+1).
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
# 3 December 2026, 14:00 in Berlin.
DEC3_14 = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)

GERMAN = """
Titel: Einführung in die E-Akte
Termin: 3.12. 14:00
Dauer: 60
Format: impuls
Link: https://meet.example.org/kiwi-7
Plätze: 20
Beschreibung: Wir schauen uns gemeinsam an, wie …
zweite Zeile der Beschreibung …
"""

ENGLISH = """Title: Introduction to the e-file
When: 2026-12-03 14:00
Duration: 90 minutes
Format: Workshop
Link: https://meet.example.org/kiwi-8
Seats: 12
Description: Hands-on.
Bring a laptop."""

VALID_LINES = {
    "title": "Titel: Einführung in die E-Akte",
    "when": "Termin: 3.12. 14:00",
    "duration": "Dauer: 60",
    "format": "Format: impuls",
}


def parse(text: str, html: str | None = None, *, partial: bool = False, now: datetime = NOW) -> OfferFields:
    return parse_offer(text, html, now, BERLIN, partial=partial)


def problems_of(text: str, *, partial: bool = False, now: datetime = NOW) -> list[UserError]:
    with pytest.raises(UserError) as info:
        parse(text, partial=partial, now=now)
    assert info.value.key == "offer.invalid"
    assert info.value.problems, "offer.invalid must carry its problems"
    return list(info.value.problems)


def keys_of(text: str, *, partial: bool = False, now: datetime = NOW) -> list[str]:
    return [problem.key for problem in problems_of(text, partial=partial, now=now)]


def offer_with(**lines: str) -> str:
    """The valid minimal offer with some lines replaced (an empty string drops the line)."""
    merged = {**VALID_LINES, **lines}
    return "\n".join(line for line in merged.values() if line)


# -- valid offers -------------------------------------------------------------------------------


def test_full_german_offer() -> None:
    fields = parse(GERMAN)
    assert fields.title == "Einführung in die E-Akte"
    assert fields.starts_at == DEC3_14
    assert fields.starts_at.tzinfo is UTC
    assert fields.duration == 60
    assert fields.format is Format.TALK
    assert fields.link == "https://meet.example.org/kiwi-7"
    assert fields.seats == 20
    assert fields.description == "Wir schauen uns gemeinsam an, wie …\nzweite Zeile der Beschreibung …"
    assert fields.description_html is None
    assert fields.given == {"title", "when", "duration", "format", "link", "seats", "description"}


def test_full_english_offer() -> None:
    fields = parse(ENGLISH)
    assert fields.title == "Introduction to the e-file"
    assert fields.starts_at == DEC3_14
    assert fields.duration == 90
    assert fields.format is Format.WORKSHOP
    assert fields.link == "https://meet.example.org/kiwi-8"
    assert fields.seats == 12
    assert fields.description == "Hands-on.\nBring a laptop."
    assert fields.given == {"title", "when", "duration", "format", "link", "seats", "description"}


def test_summer_time_is_converted_to_utc() -> None:
    fields = parse(offer_with(when="Termin: 2.7.2027 14:00"))
    assert fields.starts_at == datetime(2027, 7, 2, 12, 0, tzinfo=UTC)


def test_minimal_offer_leaves_optional_fields_unset() -> None:
    fields = parse(offer_with())
    assert (fields.link, fields.seats, fields.description, fields.description_html) == (None, None, None, None)
    assert fields.given == {"title", "when", "duration", "format"}


def test_description_runs_over_lines_and_blank_lines_and_keeps_other_colon_lines() -> None:
    text = offer_with() + "\nBeschreibung:\n\nErster Absatz.\nZiel: mehr wissen\n\n  eingerückt  \n\n"
    fields = parse(text)
    assert fields.title == "Einführung in die E-Akte"
    assert fields.description == "Erster Absatz.\nZiel: mehr wissen\n\n  eingerückt"


# -- fields after the description -----------------------------------------------------------------

AFTER_DESCRIPTION = """Titel: E-Akte
Termin: 3.12. 14:00
Dauer: 60
Format: impuls
Beschreibung: Fragen zur E-Akte.
Link: https://meet.example.org/x
Plätze: 5"""


def test_field_lines_after_the_description_are_read_as_fields() -> None:
    fields = parse(AFTER_DESCRIPTION)
    assert fields.link == "https://meet.example.org/x"
    assert fields.seats == 5
    assert fields.description == "Fragen zur E-Akte."
    assert fields.given == {"title", "when", "duration", "format", "link", "seats", "description"}


def test_fields_after_the_description_in_any_case_and_language_and_markdown() -> None:
    text = offer_with() + (
        "\nDESCRIPTION: Hands-on.\nBring a laptop.\nlink: https://meet.example.org/y\nHinweis: Kamera an\n**SEATS:** 7"
    )
    fields = parse(text)
    assert (fields.link, fields.seats) == ("https://meet.example.org/y", 7)
    assert fields.description == "Hands-on.\nBring a laptop.\nHinweis: Kamera an"


@pytest.mark.parametrize("line", ["pLäTzE: 5", "Plaetze: 5", "- Plätze: 5", "Teilnehmerzahl: 5", "seats : 5"])
def test_seat_line_after_the_description_in_every_form(line: str) -> None:
    fields = parse(offer_with() + f"\nBeschreibung: Text\n{line}")
    assert (fields.seats, fields.description) == (5, "Text")


def test_the_description_may_stand_between_fields() -> None:
    text = "Titel: X\nBeschreibung: Eins\nZwei\nTermin: 3.12. 14:00\nDauer: 60\nDrei\nFormat: ama"
    fields = parse(text)
    assert (fields.starts_at, fields.duration, fields.format) == (DEC3_14, 60, Format.AMA)
    assert fields.description == "Eins\nZwei\nDrei"


def test_a_cut_field_line_leaves_no_double_blank_line() -> None:
    fields = parse(offer_with() + "\nBeschreibung: Absatz eins.\n\nLink: https://x.example.org\n\nAbsatz zwei.")
    assert fields.description == "Absatz eins.\n\nAbsatz zwei."
    fields = parse(offer_with() + "\nBeschreibung: Eins\nLink: https://x.example.org\nZwei\n\n\nDrei")
    assert fields.description == "Eins\nZwei\n\n\nDrei"  # the sender's own blank lines stay


def test_colon_lines_that_are_no_field_stay_in_the_description() -> None:
    lines = (
        "Ziel: Sicher mit der E-Akte arbeiten.\nHinweis: bitte Kamera an\nAgenda: 1. Intro\nhttps://wiki.example.org"
    )
    fields = parse(offer_with() + "\nBeschreibung: Worum es geht.\n" + lines)
    assert fields.description == "Worum es geht.\n" + lines


def test_a_field_before_and_after_the_description_is_named() -> None:
    [problem] = problems_of(
        offer_with() + "\nLink: https://a.example.org\nBeschreibung: x\nlink: https://b.example.org"
    )
    assert problem.key == "offer.duplicate_after_description"
    assert problem.params == {"line": "link: https://b.example.org", "field": "Link", "name": "link"}


def test_an_alias_after_the_description_names_the_field_given_above() -> None:
    [problem] = problems_of(offer_with() + "\nBeschreibung: Bitte pünktlich.\nZeit: ca. eine Stunde")
    assert problem.key == "offer.duplicate_after_description"
    assert problem.params == {"line": "Zeit: ca. eine Stunde", "field": "Termin", "name": "Zeit"}


def test_a_second_description_is_a_duplicate() -> None:
    [problem] = problems_of(offer_with() + "\nBeschreibung: a\nBeschreibung: b")
    assert problem.key == "offer.duplicate_after_description"
    assert problem.params["field"] == "Beschreibung"


def test_a_bad_value_after_the_description_is_not_ignored() -> None:
    assert keys_of(offer_with() + "\nBeschreibung: x\nPlätze: viele\nLink: meet.example.org") == [
        "offer.bad_seats",
        "offer.bad_link",
    ]


def test_fields_after_a_description_without_colon_still_count() -> None:
    text = "Titel: X\nBeschreibung\nText\nTermin: 3.12. 14:00\nDauer: 60\nFormat: ama"
    assert keys_of(text) == ["offer.missing_colon"]


def test_partial_edit_with_description_first() -> None:
    fields = parse("Beschreibung: Neu.\nPlätze: 9", partial=True)
    assert fields.given == {"description", "seats"}
    assert (fields.description, fields.seats) == ("Neu.", 9)


def test_description_may_come_first_line_after_the_command() -> None:
    fields = parse("Beschreibung: nur das", partial=True)
    assert fields.description == "nur das"
    assert fields.given == {"description"}


def test_keys_are_case_insensitive_with_spaces_around_the_colon() -> None:
    text = "TITEL :  Excel für Fortgeschrittene \ntermin:3.12. 14:00\nDAUER :60\nformat : AUSTAUSCH\nplätze :  5"
    fields = parse(text)
    assert fields.title == "Excel für Fortgeschrittene"
    assert fields.starts_at == DEC3_14
    assert fields.duration == 60
    assert fields.format is Format.EXCHANGE
    assert fields.seats == 5


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("Datum: 3.12. 14:00", "when"),
        ("date: 3.12. 14:00", "when"),
        ("Zeit: 3.12. 14:00", "when"),
        ("Videolink: https://x.example.org", "link"),
        ("Video-Link: https://x.example.org", "link"),
        ("URL: https://x.example.org", "link"),
        ("Plaetze: 3", "seats"),
        ("Platz: 3", "seats"),
        ("Teilnehmerzahl: 3", "seats"),
        ("seats: 3", "seats"),
        ("description: x", "description"),
    ],
)
def test_key_aliases(line: str, field: str) -> None:
    assert field in parse(line, partial=True).given


def test_markdown_bold_keys_and_list_bullets_are_understood() -> None:
    fields = parse("**Titel:** Fett\n- Dauer: 30\n__Format__: ama\n**Beschreibung:** Text", partial=True)
    assert (fields.title, fields.duration, fields.format, fields.description) == ("Fett", 30, Format.AMA, "Text")


@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        ("30", 30),
        ("60", 60),
        ("90", 90),
        ("60 min", 60),
        ("60 Min.", 60),
        ("60min", 60),
        ("90min", 90),
        ("60 Minuten", 60),
        ("30 minutes", 30),
        ("1 h", 60),
        ("1h", 60),
        ("1,5 h", 90),
        ("1.5 h", 90),
        ("1,5 Stunden", 90),
        ("1 Stunde", 60),
        ("1 hour", 60),
        ("1:30 h", 90),
        ("1h30", 90),
        ("60 (30, 60 oder 90 Minuten)", 60),
    ],
)
def test_duration_forms(value: str, minutes: int) -> None:
    assert parse(f"Dauer: {value}", partial=True).duration == minutes


@pytest.mark.parametrize("value", ["45", "120", "2 h", "0,75 h", "1,5", "eine Stunde", "60 Sekunden", "-60", "1:75"])
def test_duration_not_allowed(value: str) -> None:
    [problem] = problems_of(f"Dauer: {value}", partial=True)
    assert problem.key == "offer.bad_duration"
    assert problem.params["value"] == value


@pytest.mark.parametrize("word", sorted(FORMAT_WORDS))
def test_every_format_word(word: str) -> None:
    assert parse(f"Format:  {word.upper()}  ", partial=True).format is FORMAT_WORDS[word]


@pytest.mark.parametrize(
    ("value", "seats"),
    [
        ("20", 20),
        ("20 Plätze", 20),
        ("20 plaetze", 20),
        ("max. 20", 20),
        ("20 Teilnehmende", 20),
        ("20 seats", 20),
        ("1", 1),
        ("unbegrenzt", None),
        ("Unbegrenzt", None),
        ("unlimited", None),
        ("-", None),
        ("", None),
    ],
)
def test_seats_forms(value: str, seats: int | None) -> None:
    fields = parse(f"Plätze: {value}", partial=True)
    assert fields.seats == seats
    assert fields.given == {"seats"}  # "unbegrenzt" is a choice too: an edit removes the limit


@pytest.mark.parametrize("value", ["0", "-3", "zwanzig", "20,5", "1e3", "100000"])
def test_seats_not_allowed(value: str) -> None:
    [problem] = problems_of(f"Plätze: {value}", partial=True)
    assert problem.key == "offer.bad_seats"
    assert problem.params["value"] == value


@pytest.mark.parametrize(
    "value",
    [
        "https://meet.example.org/kiwi-7",
        "http://example.org",
        "https://example.org:8443/r?x=1#y",
        "HTTPS://EXAMPLE.ORG",
    ],
)
def test_links_accepted(value: str) -> None:
    assert parse(f"Link: {value}", partial=True).link == value


def test_a_link_from_the_address_bar_gets_its_scheme() -> None:
    assert parse("Link: www.example.org/kiwi", partial=True).link == "https://www.example.org/kiwi"
    assert parse("Link: <www.example.org>", partial=True).link == "https://www.example.org"


def test_link_in_angle_brackets_or_with_a_hint() -> None:
    assert parse("Link: <https://example.org/a>", partial=True).link == "https://example.org/a"
    assert parse("Link: https://example.org/a (Zoom)", partial=True).link == "https://example.org/a"


@pytest.mark.parametrize("value", ["-", "folgt", "", "(freiwillig)"])
def test_no_link_is_a_choice(value: str) -> None:
    fields = parse(f"Link: {value}", partial=True)
    assert fields.link is None
    assert fields.given == {"link"}


@pytest.mark.parametrize(
    "value",
    [
        "ftp://example.org",
        "javascript:alert(1)",
        "data:text/html,hi",
        "meet.example.org/kiwi",
        "https://",
        "https:///path",
        "https://exa mple.org",
        'https://example.org/"onmouseover',
        "https://user@evil.example.org",
        "https://example.org:99999",
        "mailto:kiwi@example.org",
    ],
)
def test_links_refused(value: str) -> None:
    [problem] = problems_of(f"Link: {value}", partial=True)
    assert problem.key == "offer.bad_link"


def test_title_is_cleaned_of_invisible_and_control_characters() -> None:
    fields = parse("Titel: \u200bExcel\u202e  für\tAlle\x07\u2060 ", partial=True)
    assert fields.title == "Excel für Alle"


EMOJI = ["👩\u200d💻", "🏳\ufe0f\u200d🌈", "👨\u200d👩\u200d👧", "❤\ufe0f\u200d🔥", "🧑🏽\u200d💻"]


@pytest.mark.parametrize("emoji", EMOJI)
def test_zwj_emoji_in_title_and_description_stay_whole(emoji: str) -> None:
    html = element_html(f"Beschreibung: <b>{emoji}</b> dabei")
    fields = parse(offer_with(title=f"Titel: {emoji} Coding-Café") + f"\nBeschreibung: {emoji} dabei", html)
    assert fields.title == f"{emoji} Coding-Café"
    assert fields.description == f"{emoji} dabei"
    assert fields.description_html == f"<b>{emoji}</b> dabei"


def test_zwj_outside_emoji_is_stripped_from_title_and_description() -> None:
    html = element_html("Beschreibung: ad\u200dmin\u200b \u200d👩\u200d💻\u200d")
    text = offer_with(title="Titel: \u200dad\u200dmin 👩\u200d💻\u200d") + "\nBeschreibung: ad\u200dmin\u200d"
    fields = parse(text, html)
    assert fields.title == "admin 👩\u200d💻"
    assert fields.description == "admin"
    assert fields.description_html == "admin 👩\u200d💻"


def test_title_at_the_limit_is_fine() -> None:
    assert parse("Titel: " + "x" * TITLE_MAX, partial=True).title == "x" * TITLE_MAX


def test_description_loses_bidi_and_control_characters_but_keeps_lines() -> None:
    fields = parse("Beschreibung: a\u202eb\x00c\n\td", partial=True)
    assert fields.description == "abc\n\td"


def test_a_date_one_year_ahead_is_still_fine() -> None:
    fields = parse(offer_with(when="Termin: 2027-11-21 11:00"))
    assert fields.starts_at == NOW + timedelta(days=365)


# -- problems, one at a time ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (offer_with(title=""), ["offer.missing_title"]),
        (offer_with(title="Titel:   "), ["offer.missing_title"]),
        (offer_with(when=""), ["offer.missing_when"]),
        (offer_with(duration=""), ["offer.missing_duration"]),
        (offer_with(format=""), ["offer.missing_format"]),
        (offer_with(when="Termin: 3.12.2025 14:00"), ["offer.when_past"]),
        (offer_with(when="Termin: heute 11:00"), ["offer.when_past"]),  # exactly now
        (offer_with(when="Termin: 1.12.2027 14:00"), ["offer.when_too_far"]),
        (offer_with(when="Termin: bald"), ["date.unknown"]),
        (offer_with(when="Termin: 3.12."), ["date.no_time"]),
        (offer_with(when="Termin: 14:00"), ["date.no_date"]),
        (offer_with(when="Termin: 28.3.2027 2:30"), ["date.nonexistent"]),
        (offer_with(duration="Dauer: 45"), ["offer.bad_duration"]),
        (offer_with(format="Format: Vortragsreihe"), ["offer.bad_format"]),
        (offer_with() + "\nLink: meet.example.org", ["offer.bad_link"]),
        (offer_with(title="Titel: " + "x" * (TITLE_MAX + 1)), ["offer.title_too_long"]),
        (offer_with() + "\nBeschreibung: " + "x" * (DESCRIPTION_MAX + 1), ["offer.description_too_long"]),
        (offer_with() + "\nPlätze: null", ["offer.bad_seats"]),
        (offer_with() + "\nDauer: 60", ["offer.duplicate"]),
        (offer_with() + "\nDatum: 4.12. 10:00", ["offer.duplicate"]),
        (offer_with() + "\nRaum: xyz", ["offer.unknown_field"]),
        ("Hallo zusammen!\n" + offer_with(), ["offer.not_a_field"]),
        (offer_with() + "\nhttps://meet.example.org/kiwi", ["offer.not_a_field"]),
        (offer_with(duration="Dauer 60"), ["offer.missing_colon", "offer.missing_duration"]),
        ("", ["offer.missing_title", "offer.missing_when", "offer.missing_duration", "offer.missing_format"]),
    ],
)
def test_single_problem(text: str, expected: list[str]) -> None:
    assert keys_of(text) == expected


def test_problem_parameters_show_what_was_written() -> None:
    by_key = {
        p.key: p
        for p in problems_of(
            "Titel: " + "t" * 250 + "\nDauer: 2 Stunden\nFormat: Podcast\nLink: ftp://x\nPlätze: viele\nRaum: 4\n"
            "Termin: 3.12.2025 14:00\nTermin: 4.12. 10:00\nsonst noch was\nBeschreibung: " + "d" * 4100
        )
    }
    assert by_key["offer.title_too_long"].params == {"length": 250, "max": TITLE_MAX}
    assert by_key["offer.bad_duration"].params == {"value": "2 Stunden"}
    assert by_key["offer.bad_format"].params["value"] == "Podcast"
    assert by_key["offer.bad_link"].params == {"value": "ftp://x"}
    assert by_key["offer.bad_seats"].params["value"] == "viele"
    assert by_key["offer.unknown_field"].params == {"field": "Raum"}
    assert by_key["offer.when_past"].params == {"value": datetime(2025, 12, 3, 13, 0, tzinfo=UTC)}
    assert by_key["offer.duplicate"].params == {"field": "Termin"}
    assert by_key["offer.not_a_field"].params == {"line": "sonst noch was"}
    assert by_key["offer.description_too_long"].params == {"length": 4100, "max": DESCRIPTION_MAX}


def test_unknown_format_lists_every_format_with_both_words_and_its_name() -> None:
    [problem] = problems_of("Format: Podcast", partial=True)
    choices = problem.params["formats"]
    assert [c.key for c in choices] == ["offer.format_choice"] * len(Format)
    assert [c.params["words"] for c in choices] == [
        "impuls/talk",
        "ama",
        "austausch/exchange",
        "werkstatt/workshop",
        "gruppe/group",
    ]
    assert [c.params["name"] for c in choices] == [Msg.of(f"format.{f.value}.name") for f in Format]


def test_long_values_are_shortened_in_problems() -> None:
    [problem] = problems_of("Format: " + "y" * 500, partial=True)
    assert len(problem.params["value"]) <= 80
    assert problem.params["value"].endswith("…")


def test_six_problems_are_reported_together_in_line_order() -> None:
    text = "\n".join(
        [
            "Titel: Excel",
            "Termin: 1.1.2020 10:00",
            "Dauer: 45",
            "Format: Podcast",
            "Link: ftp://files.example.org",
            "Plätze: 0",
            "Raum: 4.12",
        ]
    )
    assert keys_of(text) == [
        "offer.when_past",
        "offer.bad_duration",
        "offer.bad_format",
        "offer.bad_link",
        "offer.bad_seats",
        "offer.unknown_field",
    ]


def test_missing_fields_come_after_the_line_problems() -> None:
    assert keys_of("Dauer: 45\nRaum: 4") == [
        "offer.bad_duration",
        "offer.unknown_field",
        "offer.missing_title",
        "offer.missing_when",
        "offer.missing_format",
    ]


def test_free_text_is_one_problem_not_one_per_line() -> None:
    text = offer_with() + "\nWir schauen uns an,\nwie die E-Akte\nfunktioniert."
    problems = problems_of(text)
    assert [p.key for p in problems] == ["offer.not_a_field"]
    assert problems[0].params["line"] == "Wir schauen uns an,"


def test_missing_colon_after_a_known_key_is_named() -> None:
    [problem, missing] = problems_of(offer_with(format="Format impuls"))
    assert problem.key == "offer.missing_colon"
    assert problem.params["example"].text == "Format: impuls"
    assert missing.key == "offer.missing_format"


def test_description_without_colon_swallows_its_lines() -> None:
    assert keys_of(offer_with() + "\nBeschreibung\nZeile eins\nZeile zwei") == ["offer.missing_colon"]
    text = offer_with() + "\nBeschreibung\nZeile eins\nDauer: 30"
    assert keys_of(text) == ["offer.missing_colon", "offer.duplicate_after_description"]


def test_date_problem_keeps_the_date_module_parameters() -> None:
    [problem] = problems_of(offer_with(when="Termin: 31.2. 14:00"))
    assert problem.key == "date.unknown"
    assert problem.params == {"value": "31.2. 14:00"}


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_offer("Titel: x", None, datetime(2026, 11, 21, 10), BERLIN)  # noqa: DTZ001


# -- partial (edits) ------------------------------------------------------------------------------


def test_partial_only_link() -> None:
    fields = parse("Link: https://meet.example.org/neu", partial=True)
    assert fields.given == {"link"}
    assert fields.link == "https://meet.example.org/neu"
    assert fields.title is None and fields.starts_at is None


def test_partial_several_fields() -> None:
    fields = parse("Termin: 3.12. 14:00\nPlätze: unbegrenzt", partial=True)
    assert fields.given == {"when", "seats"}
    assert fields.starts_at == DEC3_14
    assert fields.seats is None


def test_partial_without_any_field_is_nothing_to_change() -> None:
    assert keys_of("", partial=True) == ["offer.nothing_to_change"]
    assert keys_of("   \n\n", partial=True) == ["offer.nothing_to_change"]


def test_partial_with_only_bad_lines_names_those() -> None:
    assert keys_of("Raum: 4", partial=True) == ["offer.unknown_field"]


def test_partial_still_checks_values() -> None:
    assert keys_of("Termin: 3.12.2025 14:00\nDauer: 45", partial=True) == ["offer.when_past", "offer.bad_duration"]


# -- HTML descriptions ----------------------------------------------------------------------------

PLAIN_WITH_DESCRIPTION = offer_with() + "\nBeschreibung: Wir schauen uns **gemeinsam** an.\nZweite Zeile"


def element_html(description_html: str) -> str:
    """Roughly what Element sends for a markdown message: lines joined by <br />."""
    lines = ["!anbieten", *VALID_LINES.values()]
    return "<br />\n".join([*lines, description_html])


def test_html_description_keeps_simple_formatting() -> None:
    html = element_html(
        "Beschreibung: Wir schauen uns <strong>gemeinsam</strong> <em>an</em>, "
        'siehe <a href="https://wiki.example.org/e-akte">Wiki</a>.<br />\nZweite Zeile'
    )
    fields = parse(PLAIN_WITH_DESCRIPTION, html)
    assert fields.description_html == (
        "Wir schauen uns <strong>gemeinsam</strong> <em>an</em>, siehe "
        '<a href="https://wiki.example.org/e-akte" rel="noopener noreferrer">Wiki</a>.<br>\nZweite Zeile'
    )
    assert fields.description == "Wir schauen uns **gemeinsam** an.\nZweite Zeile"


def test_html_description_is_stripped_of_anything_dangerous() -> None:
    html = element_html(
        'Beschreibung: Hallo <script>alert("x")</script><b onclick="steal()">fett</b>'
        '<img src="https://evil.example.org/t.png" onerror="x()"> '
        '<a href="javascript:alert(1)">klick</a> <a href="https://matrix.to/#/@boss:example.org">Chefin</a> '
        '<a href="https://matrix.to/#/!raum:example.org">Raum</a> <a href="https://matrix.to/#/%23kiwi:example.org">'
        "#kiwi</a> <iframe src='https://x'>drin</iframe><style>p{color:red}</style><!-- geheim -->"
        '<a href="data:text/html,x">daten</a><span style="color:red">rot</span>'
    )
    parsed = parse(PLAIN_WITH_DESCRIPTION, html).description_html
    assert parsed is not None
    got = sanitize_html(parsed, is_pill)  # as stored (Kiwi) and rendered (Renderer) for Matrix
    assert got == "Hallo <b>fett</b> klick Chefin Raum #kiwi datenrot"
    for banned in ("<script", "alert", "onclick", "<img", "onerror", "javascript:", "matrix.to", "<iframe", "drin"):
        assert banned not in got
    assert "<style" not in got and "geheim" not in got and "data:" not in got


def test_html_key_wrapped_in_strong() -> None:
    html = element_html("<strong>Beschreibung:</strong> Wir <em>schauen</em>.")
    assert parse(PLAIN_WITH_DESCRIPTION, html).description_html == "Wir <em>schauen</em>."


def test_html_key_bold_with_colon_outside() -> None:
    html = "<p><b>DESCRIPTION</b> : First <u>line</u></p><p>Second</p>"
    assert parse(PLAIN_WITH_DESCRIPTION, html).description_html == "<p>First <u>line</u></p><p>Second</p>"


def test_html_key_in_its_own_paragraph() -> None:
    html = "<p>!anbieten<br>Titel: x</p><p>Beschreibung:</p><ul><li>eins</li><li>zwei</li></ul>"
    assert parse(PLAIN_WITH_DESCRIPTION, html).description_html == "<ul><li>eins</li><li>zwei</li></ul>"


def test_html_paragraph_around_the_key_is_kept() -> None:
    html = "<p>!anbieten<br>Titel: Beschreibung: nein<br>Beschreibung: Erster</p><p>Zweiter</p>"
    assert parse(PLAIN_WITH_DESCRIPTION, html).description_html == "<p>Erster</p><p>Zweiter</p>"


def test_html_formatting_around_the_whole_description_is_kept() -> None:
    html = "<p>Titel: x</p><blockquote><em>Beschreibung: Zitat</em> weiter</blockquote>"
    assert parse(PLAIN_WITH_DESCRIPTION, html).description_html == "<blockquote><em>Zitat</em> weiter</blockquote>"


def test_html_key_on_the_command_line() -> None:
    html = "!anbieten Beschreibung: <code>kurz</code>"
    assert parse(PLAIN_WITH_DESCRIPTION, html).description_html == "<code>kurz</code>"


def test_html_reply_fallback_is_removed_by_the_adapter_before_the_core_reads_it() -> None:
    html = "<mx-reply><blockquote>Beschreibung: alt</blockquote></mx-reply>Beschreibung: <i>neu</i>"
    assert parse(PLAIN_WITH_DESCRIPTION, strip_html_reply_fallback(html)).description_html == "<i>neu</i>"


def test_html_without_description_key_gives_none() -> None:
    assert parse(PLAIN_WITH_DESCRIPTION, "<p>Titel: <b>x</b></p>").description_html is None


def test_html_is_ignored_when_the_plain_text_has_no_description() -> None:
    assert parse(offer_with(), element_html("Beschreibung: <b>x</b>")).description_html is None


def test_html_with_far_more_text_than_a_description_gives_none() -> None:
    html = "Beschreibung: " + "<b>x</b>" * (DESCRIPTION_MAX + 1)
    assert parse(PLAIN_WITH_DESCRIPTION, html).description_html is None


HTML_AFTER = AFTER_DESCRIPTION + "\nZweite Zeile"


def html_of(lines: list[str], joiner: str = "<br />\n") -> str:
    return joiner.join(["!anbieten", *lines])


def test_html_field_lines_after_the_description_are_cut_out() -> None:
    html = html_of(
        [
            *VALID_LINES.values(),
            "Beschreibung: Fragen zur <em>E-Akte</em>.",
            'Link: <a href="https://meet.example.org/x">https://meet.example.org/x</a>',
            "<strong>Plätze:</strong> 5",
            "Zweite <b>Zeile</b>",
        ]
    )
    fields = parse(HTML_AFTER, html)
    assert fields.description_html == "Fragen zur <em>E-Akte</em>.<br>\nZweite <b>Zeile</b>"
    assert fields.description == "Fragen zur E-Akte.\nZweite Zeile"
    assert (fields.link, fields.seats) == ("https://meet.example.org/x", 5)


def test_html_field_lines_as_paragraphs_and_list_items_are_cut_out() -> None:
    html = (
        "<p>!anbieten<br>Titel: E-Akte</p><p>Beschreibung: Fragen zur E-Akte.</p>"
        "<ul><li>Ziel: sicher arbeiten</li><li>LINK: https://meet.example.org/x</li></ul>"
        "<p>Plätze: 5<br>Zweite Zeile</p><p>seats: 5</p>"
    )
    got = parse(HTML_AFTER, html).description_html
    assert got == "<p>Fragen zur E-Akte.</p><ul><li>Ziel: sicher arbeiten</li></ul><p>Zweite Zeile</p>"


def test_html_consecutive_field_lines_leave_no_stray_break() -> None:
    html = "<p>Beschreibung: Eins<br>Link: https://x.example.org<br>Plätze: 5<br>Zwei</p>"
    assert parse(HTML_AFTER, html).description_html == "<p>Eins<br>Zwei</p>"
    html = "<p>Beschreibung: Eins</p><p>Link: https://x.example.org<br>Plätze: 5<br>Zwei</p>"
    assert parse(HTML_AFTER, html).description_html == "<p>Eins</p><p>Zwei</p>"


def test_html_the_key_line_itself_is_never_cut_but_a_field_on_the_next_line_is() -> None:
    html = "Beschreibung: Link: https://x.example.org<br>Text"
    assert parse(HTML_AFTER, html).description_html == "Link: https://x.example.org<br>Text"
    html = "<p>Beschreibung:</p><p>Link: https://x.example.org</p><p>Text</p>"
    assert parse(HTML_AFTER, html).description_html == "<p>Text</p>"
    html = "Beschreibung:<br>\nLink: https://x.example.org<br>\nText"
    assert parse(HTML_AFTER, html).description_html == "Text"


def test_html_inline_formatting_across_a_cut_line_stays_balanced() -> None:
    html = "Beschreibung: <em>Eins<br>Link: https://x.example.org</em><br>Zwei"
    assert parse(HTML_AFTER, html).description_html == "<em>Eins</em><br>Zwei"


def test_sanitize_html_is_idempotent_and_trims() -> None:
    dirty = '  <br><p></p><p onclick="x">a <a href="https://x.example.org/?a=1&b=2">b</a></p><br>\n '
    once = sanitize_html(dirty)
    assert once == '<p>a <a href="https://x.example.org/?a=1&amp;b=2" rel="noopener noreferrer">b</a></p>'
    assert sanitize_html(once) == once


@pytest.mark.parametrize(
    "href",
    [
        "https://matrix.to/#/@alice:example.org",
        "https://matrix.to/#/%40alice%3Aexample.org",
        "HTTPS://MATRIX.TO/#/@alice:example.org",
        "https://matrix.to/#/!room:example.org/$event",
        "https://matrix.to/#/#kiwi:example.org",
        "http://matrix.to/#/@alice:example.org",
        "matrix:u/alice:example.org",
        "/relative/link",
        "vbscript:x",
    ],
)
def test_sanitize_html_drops_pills_and_non_web_links_but_keeps_their_text(href: str) -> None:
    assert sanitize_html(f'vor <a href="{href}">Alice</a> nach', is_pill) == "vor Alice nach"


def test_which_web_links_are_mentions_is_the_platforms_word() -> None:
    html = 'vor <a href="https://chat.example/@alice">Alice</a> und <a href="https://matrix.to/#/@bob:x">Bob</a>'
    assert sanitize_html(html, lambda url: url.startswith("https://chat.example/@")) == (
        'vor Alice und <a href="https://matrix.to/#/@bob:x" rel="noopener noreferrer">Bob</a>'
    )
    assert "Alice</a>" in sanitize_html(html)  # the core alone knows no platform's mentions


def test_sanitize_html_keeps_allowed_tags() -> None:
    kept = (
        "<p><b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><s>s</s><del>d</del><code>c</code></p>"
        "<pre><code>x = 1</code></pre><ul><li>a</li></ul><ol><li>b</li></ol><blockquote>q</blockquote>"
    )
    assert sanitize_html(kept) == kept


def test_sanitize_html_unwraps_unknown_tags() -> None:
    assert sanitize_html('<h1>Groß</h1><font color="red">rot</font><table><tr><td>z</td></tr></table>') == "Großrotz"


# -- the template ---------------------------------------------------------------------------------


def filled(template: str, title: str = "Excel im Team", description: str = "Wir üben Pivot-Tabellen.") -> str:
    """The template as a person fills it in: title and description replaced, the rest (hints too) kept."""
    lines = template.splitlines()
    lines[1] = lines[1].split(":")[0] + ": " + title
    lines[-1] = lines[-1].split(":")[0] + ": " + description
    return "\n".join(lines)


@pytest.mark.parametrize(("language", "command"), [("de", "!anbieten"), ("en", "!offer")])
def test_template_filled_in_parses_back_as_a_valid_offer(language: str, command: str) -> None:
    template = offer_template(language, "!", NOW, BERLIN)
    first, _, rest = filled(template).partition("\n")
    assert first == command
    fields = parse(rest)
    assert fields.title == "Excel im Team"
    assert fields.starts_at == datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # NOW is a Saturday: the Monday after
    assert fields.duration == 60
    assert fields.format is Format.TALK
    assert fields.link is None and fields.seats is None
    assert fields.description == "Wir üben Pivot-Tabellen."


@pytest.mark.parametrize(
    ("today", "example"),
    [
        (datetime(2026, 11, 16, 9, 0, tzinfo=UTC), "23.11."),  # Monday: a week later, a Monday
        (datetime(2026, 11, 20, 9, 0, tzinfo=UTC), "27.11."),  # Friday
        (datetime(2026, 11, 21, 9, 0, tzinfo=UTC), "30.11."),  # Saturday: +7 is a Saturday, so the Monday after
        (datetime(2026, 11, 22, 9, 0, tzinfo=UTC), "30.11."),  # Sunday
        (datetime(2026, 11, 21, 23, 30, tzinfo=UTC), "30.11."),  # already Sunday in Berlin
    ],
)
def test_the_templates_example_date_is_a_working_day_a_week_or_so_ahead(today: datetime, example: str) -> None:
    assert f"Termin: {example} 14:00" in offer_template("de", "!", today, BERLIN)


@pytest.mark.parametrize(("language", "names"), [("de", ("Titel", "Beschreibung")), ("en", ("Title", "Description"))])
def test_template_sent_back_unchanged_is_refused_naming_the_fields(language: str, names: tuple[str, ...]) -> None:
    rest = offer_template(language, "!", NOW, BERLIN).partition("\n")[2]
    [problem] = problems_of(rest)
    assert problem.key == "offer.template_unfilled"
    assert problem.params == {"fields": names}


@pytest.mark.parametrize("language", ["de", "en"])
def test_template_partly_filled_names_what_is_left(language: str) -> None:
    template = offer_template(language, "!", NOW, BERLIN)
    lines = template.splitlines()
    title_only = "\n".join([*lines[1:-1], lines[-1]]).replace(lines[1], lines[1].split(":")[0] + ": Excel")
    [problem] = problems_of(title_only)
    assert problem.key == "offer.template_unfilled" and len(problem.params["fields"]) == 1
    assert problem.params["fields"][0] == lines[-1].split(":")[0]  # the description
    description_only = filled(template, title=lines[1].split(": ", 1)[1]).partition("\n")[2]
    [problem] = problems_of(description_only)
    assert problem.params["fields"] == (lines[1].split(":")[0],)  # the title


def test_template_questions_left_above_a_real_description_are_refused() -> None:
    template = offer_template("de", "!", NOW, BERLIN).partition("\n")[2]
    text = template.replace("Titel deiner Session", "Excel") + "\nWir üben Pivot-Tabellen."
    assert keys_of(text) == ["offer.template_unfilled"]


def test_template_title_in_other_spelling_is_still_the_placeholder() -> None:
    problems = problems_of(offer_with(title="titel:  TITEL DEINER SESSION"))
    assert [(p.key, p.params) for p in problems] == [("offer.template_unfilled", {"fields": ("titel",)})]
    assert keys_of("Title: Title of your session …", partial=True) == ["offer.template_unfilled"]


def test_the_template_description_hint_is_not_published() -> None:
    text = offer_with() + "\nBeschreibung: Wir üben Pivot-Tabellen. (Gern über mehrere Zeilen.)"
    html = element_html("Beschreibung: Wir üben <b>Pivot</b>-Tabellen. (Gern über mehrere Zeilen.)")
    fields = parse(text, html)
    assert fields.description == "Wir üben Pivot-Tabellen."
    assert fields.description_html == "Wir üben <b>Pivot</b>-Tabellen."


def test_a_real_description_that_only_starts_like_the_template_is_fine() -> None:
    fields = parse(offer_with() + "\nBeschreibung: Worum geht es? Um die E-Akte.")
    assert fields.description == "Worum geht es? Um die E-Akte."


@pytest.mark.parametrize(
    "wrap",
    [
        "!anbieten\n{t}",  # the command word pasted again
        "```\n!anbieten\n{t}\n```",  # the template in a code block
        "```text\n{t}\n```\n",
        "\n!anbieten\n\n!anbieten\n{t}",
        "{t}\n```",  # the end of a code block copied along
    ],
)
def test_template_pasted_with_fences_or_the_command_again(wrap: str) -> None:
    template = offer_template("de", "!", NOW, BERLIN)
    assert keys_of(wrap.format(t=template.partition("\n")[2])) == ["offer.template_unfilled"]
    fields = parse(wrap.format(t=filled(template).partition("\n")[2]), "<pre><code>Beschreibung: x</code></pre>")
    assert fields.title == "Excel im Team"
    assert fields.description == "Wir üben Pivot-Tabellen."
    assert "```" not in (fields.description or "")


def test_a_fenced_offer_has_no_html_description() -> None:
    html = "<p>!anbieten</p><pre><code>Titel: x\nBeschreibung: Text\n</code></pre>"
    assert parse("```\n" + offer_with() + "\nBeschreibung: Text\n```", html).description_html is None


def test_a_code_block_inside_the_description_stays() -> None:
    text = offer_with() + "\nBeschreibung: So geht es:\n```\n=SUMME(A1:A3)\n```\nUnd fertig."
    assert parse(text).description == "So geht es:\n```\n=SUMME(A1:A3)\n```\nUnd fertig."


def test_the_command_word_is_no_field_in_an_edit() -> None:
    assert keys_of("!anbieten\nPlätze: 3", partial=True) == ["offer.not_a_field"]


def test_template_in_german_uses_german_keys_and_lists_the_formats() -> None:
    lines = offer_template("de", "!", NOW, BERLIN).splitlines()
    assert [line.split(":")[0] for line in lines[1:]] == [
        "Titel",
        "Termin",
        "Dauer",
        "Format",
        "Link",
        "Plätze",
        "Co-Geber",  # "Co-Geber:in:", split at its first colon
        "Beschreibung",
    ]
    assert lines[2] == "Termin: 30.11. 14:00"  # a week after NOW (a Saturday) is a Saturday: the Monday after
    assert all(word in lines[4] for word in FORMAT_KEYWORD["de"].values())


def test_template_in_english_uses_english_keys() -> None:
    lines = offer_template("en", "?", NOW, BERLIN).splitlines()
    assert lines[0] == "?offer"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "Title",
        "When",
        "Duration",
        "Format",
        "Link",
        "Seats",
        "Co-host",
        "Description",
    ]
    assert all(word in lines[4] for word in FORMAT_KEYWORD["en"].values())


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 28, 22, 30, tzinfo=UTC),  # the next week is in the next year
        datetime(2027, 3, 25, 12, 0, tzinfo=UTC),  # summer time starts in between
        datetime(2026, 11, 21, 23, 30, tzinfo=UTC),  # already Sunday in Berlin
    ],
)
@pytest.mark.parametrize("language", ["de", "en"])
def test_template_is_valid_whenever_it_is_made(now: datetime, language: str) -> None:
    rest = filled(offer_template(language, "!", now, BERLIN)).partition("\n")[2]
    fields = parse(rest, now=now)
    assert fields.starts_at is not None
    assert timedelta(days=6) < fields.starts_at - now < timedelta(days=10)  # the working day at or after +7
    assert fields.starts_at.astimezone(BERLIN).weekday() < 5


# -- the catalogues -------------------------------------------------------------------------------


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    assert offer_de.MESSAGES.keys() == offer_en.MESSAGES.keys()
    for key, text in offer_de.MESSAGES.items():
        assert placeholders(offer_en.MESSAGES[key]) == placeholders(text), key


def test_catalogue_keys_do_not_collide_with_the_main_catalogue() -> None:
    assert not offer_de.MESSAGES.keys() & de.MESSAGES.keys()
    assert not offer_en.MESSAGES.keys() & en.MESSAGES.keys()


def test_every_format_has_a_name_and_an_explanation() -> None:
    for fmt in Format:
        for messages in (offer_de.MESSAGES, offer_en.MESSAGES):
            assert messages[f"format.{fmt.value}.name"]
            assert messages[f"format.{fmt.value}.about"]


def _problem_texts() -> list[str]:
    return [
        "",
        offer_with() + "\nDauer: 60\nRaum: 1\nhallo\nFormat impuls",
        "Titel: " + "x" * 300 + "\nTermin: 1.1.2020 10:00\nDauer: 45\nFormat: x\nLink: x\nPlätze: x",
        "Termin: 1.12.2027 10:00\nBeschreibung: " + "x" * 5000,
        "Termin: 3.12.",
        "Datum: 14:00",
        "Zeit: bald",
        "Termin: 28.3.2027 2:30",
        offer_template("de", "!", NOW, BERLIN),
        offer_with() + "\nBeschreibung: x\nDauer: 30",
        "Termin: 3.12. 14-15 Uhr\nDauer: 90",
    ]


def test_every_problem_key_and_its_parameters_are_in_both_catalogues() -> None:
    seen: set[str] = set()
    for text in _problem_texts():
        for partial in (False, True):
            with pytest.raises(UserError) as info:
                parse(text, partial=partial)
            assert info.value.key in offer_de.MESSAGES
            for problem in info.value.problems:
                seen.add(problem.key)
                for catalogue in (offer_de.MESSAGES | de.MESSAGES, offer_en.MESSAGES | en.MESSAGES):
                    assert placeholders(catalogue[problem.key]) == set(problem.params), problem.key
    offer_keys = {key for key in offer_de.MESSAGES if key.startswith("offer.") and "template." not in key}
    assert offer_keys - seen == {"offer.invalid", "offer.template", "offer.format_choice"}
    assert {"date.unknown", "date.no_time", "date.no_date", "date.nonexistent"} <= seen


@pytest.mark.parametrize(
    ("catalogue", "phrase", "joiner"),
    [(offer_de.MESSAGES, "Möglich sind: ", " und "), (offer_en.MESSAGES, "Available: ", " and ")],
)
def test_fields_listed_in_unknown_field_are_understood(catalogue: dict[str, str], phrase: str, joiner: str) -> None:
    listing = catalogue["offer.unknown_field"].split(phrase)[1].rstrip(".")
    names = listing.replace(joiner, ", ").split(", ")
    assert len(names) == 9
    for name in names:
        try:
            parse(f"{name}: x", partial=True)
        except UserError as error:  # "x" is no good value for most fields, but the field is known
            assert [p.key for p in error.problems] != ["offer.unknown_field"], name
