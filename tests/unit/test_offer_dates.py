"""The `Termin:` line of an offer or edit: new date forms, ranges that give the duration, past days."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.errors import UserError
from kiwibot.core.offer import OfferFields, parse_offer

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)  # Saturday, 11:00 in Berlin
DEC3_14 = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)  # Thursday 3 December 2026, 14:00 in Berlin


def offer(when: str, duration: str | None = "60") -> str:
    lines = ["Titel: E-Akte", f"Termin: {when}", "Format: impuls"]
    if duration is not None:
        lines.append(f"Dauer: {duration}")
    return "\n".join(lines)


def parse(text: str, *, partial: bool = False) -> OfferFields:
    return parse_offer(text, None, NOW, BERLIN, partial=partial)


def problems(text: str, *, partial: bool = False) -> list[tuple[str, dict[str, object]]]:
    with pytest.raises(UserError) as info:
        parse(text, partial=partial)
    return [(p.key, p.params) for p in info.value.problems]


@pytest.mark.parametrize("when", ["3. Dezember 2026 14 Uhr", "3. Dez. 14:00", "Do, 3. Dez., 14 Uhr", "Dec 3 2pm"])
def test_month_names_are_accepted_in_an_offer(when: str) -> None:
    fields = parse(offer(when))
    assert fields.starts_at == DEC3_14
    assert fields.duration == 60


@pytest.mark.parametrize(
    ("when", "minutes"),
    [("3.12.2026 14:00-15:00 Uhr", 60), ("Do, 3.12., 14 bis 15:30 Uhr", 90), ("3. Dez. 14:00-14:30", 30)],
)
def test_a_range_gives_the_duration(when: str, minutes: int) -> None:
    fields = parse(offer(when, duration=None))
    assert (fields.starts_at, fields.duration) == (DEC3_14, minutes)
    assert "duration" in fields.given


def test_a_range_and_an_agreeing_duration_line() -> None:
    assert parse(offer("3.12. 14-15 Uhr", duration="60 min")).duration == 60


def test_a_range_and_a_different_duration_line_are_refused() -> None:
    assert problems(offer("3.12. 14-15 Uhr", duration="90")) == [
        ("offer.duration_conflict", {"minutes": 60, "duration": 90})
    ]


def test_a_range_of_another_length_says_which_lengths_fit() -> None:
    assert problems(offer("3.12. 14-15:15 Uhr", duration=None)) == [
        ("date.range_length", {"value": "3.12. 14-15:15 Uhr", "minutes": 75}),
        ("offer.missing_duration", {}),
    ]


def test_an_edit_with_a_range_changes_start_and_duration() -> None:
    fields = parse("Termin: 3.12. 14:00-15:30", partial=True)
    assert (fields.starts_at, fields.duration, fields.given) == (DEC3_14, 90, frozenset({"when", "duration"}))


@pytest.mark.parametrize(
    "when",
    [
        "gestern 10 Uhr",
        "vorgestern 10 Uhr",
        "yesterday 10am",
        "heute 9 Uhr",
        "letzten Montag 14:00",
        "Fr 20.11. 10 Uhr",
        "3.1.2026 10:00",
    ],
)
@pytest.mark.parametrize("partial", [False, True])
def test_past_days_are_answered_as_past(when: str, partial: bool) -> None:
    found = problems(offer(when), partial=partial)
    assert [key for key, _ in found] == ["offer.when_past"]


def test_weekday_that_does_not_match_is_named_not_unknown() -> None:
    [(key, params)] = problems(offer("Di 30.11. 14 Uhr"))
    assert key == "date.wrong_weekday"
    assert params["value"] == "Di 30.11. 14 Uhr"
