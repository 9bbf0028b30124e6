"""The `!meinedaten` file speaks the person's language (explanations, labels) while its keys and fixed values stay the
same for every language, so a program reads every export alike."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.learning import Wish, WishStatus
from kiwibot.core.model import Format, Session, Status
from kiwibot.core.privacy_export import KEYS, VALUES, export_data, export_file
from kiwibot.core.privacy_rules import FeedbackRecord, InterestRecord, MaterialRecord, PersonRecord, SignupRecord

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# The keys a program reads (README, "Datenschutz / Privacy"): changing one breaks every reader of the format.
TOP_KEYS = [
    "format",
    "language",
    "about",
    "user_id",
    "exported_at",
    "retention_days",
    "deleted_after_null_means",
    "times_are",
    "sessions_given",
    "sessions_cogiven",
    "signups",
    "feedback",
    "wishes",
    "wish_interest",
    "materials",
    "preferences",
    "calendar_links",
    "direct_chat",
    "patron",
    "technical",
    "labels",
    "value_labels",
]


def session(number: int, status: Status = Status.OPEN) -> Session:
    return Session(
        number, "@g:x", f"Session {number}", NOW - timedelta(days=number), 60, Format.TALK, "", None, None, 1, status,
        None, None, None, None, None,
    )  # fmt: skip


def wish(number: int, status: WishStatus) -> Wish:
    return Wish(number, "@erin:x", f"Wunsch {number}", "", status, NOW, None, None, None)


def full() -> PersonRecord:
    """A person with something of every kind, and every fixed value somewhere."""
    return PersonRecord(
        "@erin:x",
        given=(session(1, Status.CANCELLED),),
        cogiven=(session(2),),
        signups=(SignupRecord(session(3), NOW, ("command", "reaction")), SignupRecord(session(4), NOW, (), True)),
        feedback=(FeedbackRecord(session(3), 4, "Gut erklärt", NOW),),
        wishes=(wish(1, WishStatus.OPEN), wish(2, WishStatus.FULFILLED), wish(3, WishStatus.CLOSED)),
        interest=(InterestRecord(wish(4, WishStatus.OPEN), NOW),),
        materials=(MaterialRecord(session(3), "https://cloud.example.org/f.pdf", "Folien", NOW),),
        language="de",
        reminders="dm",
        calendar_links=True,
        direct_chat=True,
        patron_since=NOW,
        commands=(NOW,),
        queued_messages=1,
        forget_requested=NOW,
    )


def keys_and_values(data: object, key: str = "") -> tuple[set[str], set[str]]:
    """Every key of the file, and every value that is a fixed word (lower case, no spaces; not a language code)."""
    if isinstance(data, dict):
        found = [keys_and_values(v, k) for k, v in data.items() if k not in ("labels", "value_labels")]
        return set(data).union(*(k for k, _ in found)), set().union(*(v for _, v in found))
    if isinstance(data, list):
        found = [keys_and_values(item, key) for item in data]
        return set().union(*(k for k, _ in found)), set().union(*(v for _, v in found))
    fixed = isinstance(data, str) and re.fullmatch(r"[a-z_]+", data) and key != "language"
    return set(), {data} if fixed else set()  # type: ignore[arg-type]


def shape(data: object) -> object:
    """The structure without the texts: keys, and the values that are not explanations."""
    if isinstance(data, dict):
        return {k: shape(v) for k, v in data.items() if k not in ("about", "deleted_after_null_means", "times_are")}
    if isinstance(data, list):
        return [shape(item) for item in data]
    return data


def test_a_german_reader_gets_german_explanations_and_labels() -> None:
    data = export_data(full(), NOW, 90, BERLIN, "de")
    assert data["language"] == "de"
    assert data["times_are"] == "Ortszeit Europe/Berlin, mit ihrem Abstand zu UTC"
    assert "bis du darum bittest, dich zu vergessen (!vergessen)" in str(data["deleted_after_null_means"])
    assert "Art. 15 DSGVO" in str(data["about"])
    feedback = data["feedback"]
    assert isinstance(feedback, list)
    assert feedback[0]["after_deletion"] == "Bewertung und Kommentar bleiben, ohne deinen Namen"
    labels, values = data["labels"], data["value_labels"]
    assert isinstance(labels, dict) and isinstance(values, dict)
    assert labels["signups"] == "deine Anmeldungen (fester Platz oder Warteliste)"
    assert values["waiting_list"] == "Warteliste" and values["seat"] == "fester Platz"


def test_who_chose_english_gets_english_explanations_and_the_same_keys() -> None:
    german = export_data(full(), NOW, 90, BERLIN, "de")
    english = export_data(full(), NOW, 90, BERLIN, "en")
    assert english["times_are"] == "local time in Europe/Berlin, with its offset from UTC"
    assert "Art. 15 GDPR" in str(english["about"])
    labels = english["labels"]
    assert isinstance(labels, dict) and labels["signups"] == "your signups (seat or waiting list)"
    # apart from the explanations, the two files are the same: the same keys, the same fixed values
    assert list(german) == list(english) == TOP_KEYS
    german_data = {k: v for k, v in german.items() if k not in ("language", "labels", "value_labels", "feedback")}
    english_data = {k: v for k, v in english.items() if k not in ("language", "labels", "value_labels", "feedback")}
    assert shape(german_data) == shape(english_data)
    assert list(german["labels"]) == list(labels)  # type: ignore[call-overload]


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_key_and_fixed_value_of_the_file_is_explained(language: str) -> None:
    data = export_data(full(), NOW, 90, BERLIN, language)
    keys, values = keys_and_values(data)
    assert keys <= set(KEYS)
    assert values <= set(VALUES)
    assert {"seat", "waiting_list", "giver", "cogiver", "reaction", "command", "cancelled", "fulfilled"} <= values
    labels, value_labels = data["labels"], data["value_labels"]
    assert isinstance(labels, dict) and isinstance(value_labels, dict)
    assert set(labels) == set(KEYS) and set(value_labels) == set(VALUES)
    assert all(
        isinstance(text, str) and text and "{" not in text for text in [*labels.values(), *value_labels.values()]
    )


def test_the_file_is_the_same_json_whatever_the_language_for_a_program() -> None:
    raw = export_file(full(), NOW, 90, BERLIN, "de").data.decode("utf-8")
    assert "„labels“" in raw and "Ortszeit" in raw  # readable German, not \\u escapes
    parsed = json.loads(raw)
    assert parsed["signups"][1]["place"] == "waiting_list" and parsed["sessions_given"][0]["status"] == "cancelled"
