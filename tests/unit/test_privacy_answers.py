"""What `!meinedaten` and `!vergessen` tell a person, read as that person would: the summary says what really
happens to each kind (wishes stay, without the name), in an order that reads well; the file names an ended session
"held", not "open", and is named in the person's language; after `!vergessen` the person hears that a new direct
chat opens and that a second confirmation is already done. A session's post stops inviting signups once it began."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Direct
from kiwibot.core.errors import UserError
from kiwibot.core.learning import Wish, WishStatus
from kiwibot.core.messages import Code
from kiwibot.core.model import Format, Headcount, Session, Status
from kiwibot.core.present import news_post
from kiwibot.core.privacy_export import export_data, export_file
from kiwibot.core.privacy_rules import FeedbackRecord, MaterialRecord, PersonRecord, SignupRecord, summary
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.matrix.render import Renderer
from kiwibot.storage import Store

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FORGET = Code("!vergessen")
ERIN = "@erin:x"


def session(number: int, starts: datetime, status: Status = Status.OPEN, seats: int | None = None) -> Session:
    return Session(
        number, "@g:x", f"Session {number}", starts, 60, Format.TALK, "", None, None, seats, status,
        None, None, None, None, None,
    )  # fmt: skip


def text(message: object, language: str = "de") -> str:
    return Renderer(BERLIN).render(message, language).body  # type: ignore[arg-type]


def person() -> PersonRecord:
    past = session(1, NOW - timedelta(days=3))
    return PersonRecord(
        ERIN,
        signups=(SignupRecord(past, NOW, ("command",)),),
        feedback=(FeedbackRecord(past, 4, "Gut", NOW),),
        wishes=(Wish(1, ERIN, "PDFs", "", WishStatus.OPEN, NOW, None, None, None),),
        materials=(MaterialRecord(past, "https://cloud.example.org/f.pdf", "Folien", NOW),),
        language="de",
        direct_chat=True,
        commands=(NOW,),
    )


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_summary_says_wishes_and_materials_stay_without_the_name_after_forgetting(language: str) -> None:
    said = text(summary(person(), NOW, 90, FORGET, "f.json"), language)
    wishes = next(line for line in said.splitlines() if "PDF" in line or "Themenwünsche" in line or "Topic" in line)
    assert ("bis du `!vergessen` nutzt" not in wishes) and ("until you use" not in wishes)
    assert "ohne deinen Namen" in wishes if language == "de" else "without your name" in wishes
    interest = next(line for line in said.splitlines() if "👍" in line)
    assert "gelöscht" in interest if language == "de" else "deleted" in interest


def test_the_summary_names_the_next_deletion_under_the_signups_and_feedback_it_is_about() -> None:
    lines = text(summary(person(), NOW, 90, FORGET, "f.json")).splitlines()
    order = [
        next(i for i, line in enumerate(lines) if marker in line)
        for marker in ("Anmeldungen:", "Rückmeldungen:", "lösche ich deinen Namen", "Themenwünsche", "Einstellungen")
    ]
    assert order == sorted(order) and order[2] == order[1] + 1
    assert lines[-2].startswith("• Technisch") and lines[-1].startswith("Alles löschen lassen")


def test_the_file_says_held_for_an_ended_session_running_for_one_under_way_open_for_one_to_come() -> None:
    record = PersonRecord(
        ERIN,
        signups=tuple(
            SignupRecord(s, NOW, ("command",))
            for s in (
                session(1, NOW - timedelta(days=2)),
                session(2, NOW - timedelta(minutes=30)),
                session(3, NOW + timedelta(days=2)),
                session(4, NOW - timedelta(days=2), Status.CANCELLED),
            )
        ),
    )
    data = export_data(record, NOW, 90, BERLIN, "de")
    signups = data["signups"]
    assert isinstance(signups, list)
    assert [s["status"] for s in signups] == ["held", "running", "open", "cancelled"]
    labels = data["value_labels"]
    assert isinstance(labels, dict) and labels["held"] == "hat stattgefunden"


def test_the_file_is_named_in_the_persons_language() -> None:
    assert export_file(PersonRecord(ERIN), NOW, 90, BERLIN, "de").filename == "kiwi-meine-daten.json"
    assert export_file(PersonRecord(ERIN), NOW, 90, BERLIN, "en").filename == "kiwi-my-data.json"
    said = text(summary(PersonRecord(ERIN), NOW, 90, FORGET, "kiwi-my-data.json"), "en")
    assert "`kiwi-my-data.json`" in said


@pytest.fixture
def kiwi(tmp_path: Path) -> Kiwi:
    return Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), Settings(timezone=BERLIN), MatrixPlatform())


def test_after_forgetting_the_person_hears_a_new_direct_chat_opens_and_a_second_confirmation_is_done(
    kiwi: Kiwi,
) -> None:
    assert text(kiwi.my_data(ERIN, False, FORGET, "de").reply) == (
        "Ich habe dir eine Direktnachricht mit deinen Daten geschickt."
    )
    kiwi.store.set_direct_room(ERIN, "!dm:x")
    kiwi.store.request_forget(ERIN, NOW)
    kiwi.forget(ERIN, FORGET, "", "")
    assert kiwi.store.direct_room(ERIN) is None
    outcome = kiwi.my_data(ERIN, False, FORGET, "de")
    assert [type(e) for e in outcome.effects] == [Direct]
    assert text(outcome.reply) == (
        "Ich habe dir deine Daten in einem neuen Direktchat geschickt (du bekommst eine Einladung von mir). "
        "Unseren früheren Direktchat habe ich mit `!vergessen` vergessen; du kannst ihn verlassen."
    )
    with pytest.raises(UserError) as again:
        kiwi.forget(ERIN, FORGET, "", "")
    assert text(again.value.as_msg()).startswith("Das ist schon erledigt: Ich habe dich bereits vergessen.")
    with pytest.raises(UserError) as never:
        kiwi.forget("@dan:x", FORGET, "", "")
    assert text(never.value.as_msg()).startswith("Es gibt nichts zu bestätigen")


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_started_session_post_invites_no_signups_and_shows_no_waiting_list(language: str) -> None:
    full = session(1, NOW - timedelta(hours=3), seats=2)
    count = Headcount(2, 1, 2)
    before = text(news_post(full, count, "!anmelden", "👍"), language)
    assert "`!anmelden 1`" in before and ("Warteliste" in before or "waiting list" in before)
    after = text(news_post(full, count, "!anmelden", "👍", started=True), language)
    assert "!anmelden" not in after and "👍" not in after
    assert "Warteliste" not in after and "waiting list" not in after
    assert ("2 Teilnehmende" in after and "anmelden geht nicht mehr" in after) if language == "de" else True
    cancelled = text(news_post(session(2, NOW, Status.CANCELLED), count, "!anmelden", "👍", started=True), language)
    assert "!anmelden" not in cancelled
