"""Offers typed on one line (a single-line chat box): the known field names cut the line into fields, other
colons stay text, and the template reads as before, on its lines or joined into one."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.errors import UserError
from kiwibot.core.model import Format
from kiwibot.core.offer import OfferFields, offer_template, parse_offer
from kiwibot.core.offer.inline import split_inline

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
DEC3_14 = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)


def parse(text: str, html: str | None = None, *, partial: bool = False) -> OfferFields:
    return parse_offer(text, html, NOW, BERLIN, partial=partial)


def problems(text: str, *, partial: bool = False) -> list[str]:
    with pytest.raises(UserError) as caught:
        parse(text, partial=partial)
    return [problem.key for problem in caught.value.problems]


@pytest.mark.parametrize(
    "text",
    [
        "Titel: E-Akte Termin: 3.12.2026 14:00 Dauer: 60 Format: impuls",
        "Title: E-Akte When: 3.12.2026 14:00 Duration: 60 Format: talk",
        "titel: E-Akte termin: 3.12. 14 Uhr dauer: 60 min format: Impuls",
        "Titel: E-Akte, Termin: 3.12.2026 14:00, Dauer: 60, Format: impuls",
        "Titel: E-Akte | Termin: 3.12.2026 14:00 | Dauer: 60 | Format: impuls",
        "**Titel:** E-Akte **Termin:** 3.12.2026 14:00 **Dauer:** 60 **Format:** impuls",
        "Titel: E-Akte Termin: 3.12.2026 14-15 Uhr Format: impuls",  # the range gives the duration
    ],
)
def test_the_fields_on_one_line(text: str) -> None:
    offer = parse(text)
    assert (offer.title, offer.starts_at, offer.duration, offer.format) == ("E-Akte", DEC3_14, 60, Format.TALK)
    assert offer.description is None


def test_a_description_keeps_its_colons() -> None:
    offer = parse(
        "Titel: E-Akte Termin: 3.12.2026 14:00 Dauer: 60 Format: impuls Beschreibung: Wir lernen: Akten anlegen"
    )
    assert (offer.title, offer.format, offer.description) == ("E-Akte", Format.TALK, "Wir lernen: Akten anlegen")


def test_running_text_in_the_description_stays_there() -> None:
    """Field names the description may well use in its text ("Wunsch:", "Link:", "Termin:" given before) stay."""
    text = (
        "Titel: E-Akte Termin: 3.12.2026 14:00 Dauer: 60 Format: impuls Beschreibung: Mein Wunsch: mehr Praxis. "
        "Link: folgt. Zeit: 10 Minuten je Person, Termin: wie oben"
    )
    offer = parse(text)
    assert offer.description == ("Mein Wunsch: mehr Praxis. Link: folgt. Zeit: 10 Minuten je Person, Termin: wie oben")
    assert (offer.link, offer.wish, offer.starts_at) == (None, None, DEC3_14)


def test_a_description_first_then_the_required_fields() -> None:
    offer = parse(
        "Beschreibung: Wir lernen: Akten anlegen Titel: E-Akte Termin: 3.12.2026 14:00 Dauer: 60 Format: impuls"
    )
    assert (offer.title, offer.description, offer.duration) == ("E-Akte", "Wir lernen: Akten anlegen", 60)


def test_a_name_given_twice_counts_where_it_stands_last() -> None:
    offer = parse("Titel: Neues Format: Impuls-Reihe Termin: 3.12.2026 14:00 Dauer: 60 Format: impuls")
    assert (offer.title, offer.format) == ("Neues Format: Impuls-Reihe", Format.TALK)


def test_optional_fields_on_one_line() -> None:
    offer = parse(
        "Titel: E-Akte Termin: 3.12.2026 14:00 Dauer: 90 Format: werkstatt Link: https://meet.example.org/x "
        "Plätze: 12 Beschreibung: Bitte Laptop mitbringen."
    )
    assert (offer.duration, offer.format, offer.link, offer.seats) == (
        90,
        Format.WORKSHOP,
        "https://meet.example.org/x",
        12,
    )
    assert offer.description == "Bitte Laptop mitbringen."


def test_a_field_on_its_own_line_is_never_cut_out_of_another() -> None:
    """The title names "Format:", and Format has its own line: the title keeps its colon."""
    offer = parse("Titel: Das Format: Impuls-Reihe\nTermin: 3.12.2026 14:00 Dauer: 60\nFormat: impuls")
    assert (offer.title, offer.duration, offer.format) == ("Das Format: Impuls-Reihe", 60, Format.TALK)


def test_an_edit_on_one_line() -> None:
    offer = parse("Titel: Neu Dauer: 90", partial=True)
    assert (offer.title, offer.duration, offer.given) == ("Neu", 90, frozenset({"title", "duration"}))


def test_problems_on_one_line_are_named_as_on_lines() -> None:
    assert problems("Titel: E-Akte Termin: gestern 10 Uhr Dauer: 45 Format: impuls") == [
        "offer.when_past",
        "offer.bad_duration",
    ]
    assert problems("Titel: E-Akte Dauer: 60") == ["offer.missing_when", "offer.missing_format"]


def test_a_line_not_starting_with_a_field_is_not_cut() -> None:
    assert split_inline(["Wir lernen: Akten anlegen Termin: morgen"]) == (
        ["Wir lernen: Akten anlegen Termin: morgen"],
        False,
    )
    assert split_inline(["Titel: E-Akte Termin: morgen"]) == (["Titel: E-Akte", "Termin: morgen"], True)
    assert split_inline(["Link: https://x.example/a:b Plätze: 3"]) == (
        ["Link: https://x.example/a:b", "Plätze: 3"],
        True,
    )


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("joined", [False, True])
def test_the_template_filled_in_on_its_lines_or_on_one(language: str, joined: bool) -> None:
    lines = offer_template(language, "!", NOW, BERLIN).splitlines()[1:]
    filled = [
        line.replace("Titel deiner Session", "E-Akte").replace("Title of your session", "E-Akte") for line in lines
    ]
    filled[-1] = "Beschreibung: Wir lernen: Akten anlegen" if language == "de" else "Description: We learn: filing"
    offer = parse((" " if joined else "\n").join(filled))
    assert (offer.title, offer.duration, offer.format, offer.link, offer.seats, offer.cogivers) == (
        "E-Akte",
        60,
        Format.TALK,
        None,
        None,
        (),
    )
    assert offer.description == ("Wir lernen: Akten anlegen" if language == "de" else "We learn: filing")
