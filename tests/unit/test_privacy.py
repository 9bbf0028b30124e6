"""Privacy in the core, on a real (temporary) store with a clock the test moves: `!vergessen` refused while the
person still gives a session, the 10 minutes of the confirmation, the retention period on both sides of its last
day, what stays for statistics, technical records pruned; the export's JSON; the setting."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiwibot.commands.builtin import build_registry
from kiwibot.commands.privacy import is_confirmation
from kiwibot.config import ConfigError, parse_config
from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Announce, Direct, Notify, Refresh
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code, Mention, Msg
from kiwibot.core.model import Format
from kiwibot.core.offer import OfferFields
from kiwibot.core.privacy_export import export_data, export_file
from kiwibot.core.privacy_rules import PersonRecord, stamp, summary
from kiwibot.core.pseudonyms import ANONYMOUS, is_pseudonym
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.matrix.render import Renderer
from kiwibot.storage import Store
from kiwibot.web.ical import IcalRenderer

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GIVER, ERIN, CAROL = "@giver:x", "@erin:x", "@carol:x"
ASK, CONFIRM = Code("!vergessen"), Code("!vergessen bestätigen")
HANDOVER, CANCEL = "!ändern {number} Co-Geber:in: {who}", "!absagen {number}"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def kiwi(tmp_path: Path, clock: FixedClock) -> Kiwi:
    return Kiwi(Store.open(tmp_path / "k.db"), clock, Settings(timezone=BERLIN), MatrixPlatform())


def offer(kiwi: Kiwi, giver: str, start: datetime, seats: int | None = None, title: str = "E-Akte") -> int:
    fields = OfferFields(
        title=title,
        starts_at=start,
        duration=60,
        format=Format.TALK,
        link="https://meet.example/x",
        description="",
        seats=seats,
        given=frozenset({"title", "when", "duration", "format", "link"}),
    )
    outcome = kiwi.offer(giver, fields, None, None)
    return next(e.session_id for e in outcome.effects if isinstance(e, Announce))


def text(message: object, language: str = "de") -> str:
    return Renderer(BERLIN).render(message, language).body  # type: ignore[arg-type]


# -- forgetting ----------------------------------------------------------------------------------------------


def test_forgetting_is_refused_while_the_person_gives_a_future_session(kiwi: Kiwi, clock: FixedClock) -> None:
    offer(kiwi, ERIN, NOW + timedelta(days=3), title="Erins Runde")
    with pytest.raises(UserError) as refused:
        kiwi.ask_to_forget(ERIN, CONFIRM, HANDOVER, CANCEL)
    said = text(refused.value.as_msg())
    assert "Nr. 1 „Erins Runde“" in said and "`!ändern 1 Co-Geber:in: @name`" in said and "`!absagen 1`" in said
    kiwi.cancel(ERIN, 1, None)
    assert "Soll ich dich vergessen?" in text(kiwi.ask_to_forget(ERIN, CONFIRM, HANDOVER, CANCEL).reply)


def test_co_giving_a_future_session_refuses_too_and_names_each(kiwi: Kiwi) -> None:
    offer(kiwi, GIVER, NOW + timedelta(days=3), title="Eins")
    offer(kiwi, GIVER, NOW + timedelta(days=4), title="Zwei")
    for number in (1, 2):
        kiwi.store.set_cogivers(number, [ERIN], GIVER, NOW)
    kiwi.store.request_forget(ERIN, NOW)
    with pytest.raises(UserError) as refused:
        kiwi.forget(ERIN, ASK, HANDOVER, CANCEL)  # also when confirming: it may have changed since the ask
    said = text(refused.value.as_msg())
    assert "Co-Geber:in dieser 2 Sessions" in said and "Nr. 1 „Eins“" in said and "Nr. 2 „Zwei“" in said
    # a co-giver is told to take themselves off, not to name a co-giver for a session someone else gives
    assert "`!ändern 1 Co-Geber:in: -`" in said and "@name" not in said and "absagen" not in said


def test_a_co_giver_beside_others_is_shown_the_edit_that_keeps_the_others(kiwi: Kiwi) -> None:
    offer(kiwi, GIVER, NOW + timedelta(days=3), title="Zu dritt")
    offer(kiwi, ERIN, NOW + timedelta(days=4), title="Erins Runde")
    kiwi.store.set_cogivers(1, [CAROL, ERIN], GIVER, NOW)
    with pytest.raises(UserError) as refused:
        kiwi.ask_to_forget(ERIN, CONFIRM, HANDOVER, CANCEL)
    said = text(refused.value.as_msg())
    assert said == (
        "Vergessen geht erst, wenn niemand mehr auf dich als Session-Geber:in oder Co-Geber:in wartet.\n"
        "Du gibst noch diese Session:\n• Nr. 2 „Erins Runde“\n"
        "Nenne eine Co-Geber:in (`!ändern 2 Co-Geber:in: @name`; sie übernimmt die Session, wenn ich dich vergesse) "
        "oder sag sie ab (`!absagen 2`).\n"
        "Du bist noch Co-Geber:in dieser Session:\n• Nr. 1 „Zu dritt“\n"
        "Trag dich dort aus (`!ändern 1 Co-Geber:in: @carol:x`); die Session-Geber:in gibt sie dann ohne dich.\n"
        "Dann versuch es bitte noch einmal."
    )


def test_a_session_given_with_a_co_giver_goes_to_them(kiwi: Kiwi) -> None:
    offer(kiwi, ERIN, NOW + timedelta(days=3), title="Zu zweit")
    kiwi.store.set_cogivers(1, [CAROL, GIVER], ERIN, NOW)
    kiwi.ask_to_forget(ERIN, CONFIRM, HANDOVER, CANCEL)
    outcome = kiwi.forget(ERIN, ASK, HANDOVER, CANCEL)
    session = kiwi.session(1)
    assert session.giver == CAROL and session.cogivers == (GIVER,) and Refresh(1) in outcome.effects
    assert "1 Session gibt jetzt deine Co-Geber:in" in text(outcome.reply)
    (told,) = [e for e in outcome.effects if isinstance(e, Direct)]
    assert told.user_id == CAROL and "Du bist jetzt Session-Geber:in von Session 1 „Zu zweit“" in text(told.message)


def test_the_confirmation_holds_ten_minutes(kiwi: Kiwi, clock: FixedClock) -> None:
    with pytest.raises(UserError) as nothing:
        kiwi.forget(ERIN, ASK, HANDOVER, CANCEL)
    assert nothing.value.key == "forget.nothing_to_confirm"
    kiwi.ask_to_forget(ERIN, CONFIRM, HANDOVER, CANCEL)
    clock.moment = NOW + timedelta(minutes=10, seconds=1)
    with pytest.raises(UserError) as late:
        kiwi.forget(ERIN, ASK, HANDOVER, CANCEL)
    assert late.value.key == "forget.expired" and "10 Minuten" in text(late.value.as_msg())
    with pytest.raises(UserError) as again:
        kiwi.forget(ERIN, ASK, HANDOVER, CANCEL)  # the late one used the ask up
    assert again.value.key == "forget.nothing_to_confirm"
    kiwi.ask_to_forget(ERIN, CONFIRM, HANDOVER, CANCEL)
    clock.moment += timedelta(minutes=10)
    assert text(kiwi.forget(ERIN, ASK, HANDOVER, CANCEL).reply) == "Erledigt: Ich habe dich vergessen.\nMach's gut!"


def test_forgetting_frees_future_places_and_the_next_one_moves_up(kiwi: Kiwi) -> None:
    offer(kiwi, GIVER, NOW + timedelta(days=3), seats=1)
    kiwi.sign_up(ERIN, 1, "$r-erin", "reaction")
    kiwi.sign_up(CAROL, 1, "$r-carol", "reaction")
    kiwi.ask_to_forget(ERIN, CONFIRM, HANDOVER, CANCEL)
    outcome = kiwi.forget(ERIN, ASK, HANDOVER, CANCEL)
    assert kiwi.store.attendees(1) == [CAROL] and Refresh(1) in outcome.effects
    assert [e.users for e in outcome.effects if isinstance(e, Notify)] == [(CAROL,)]
    assert kiwi.store.is_withdrawn("$r-erin")  # her 👍 still on the post never counts again
    assert kiwi.reconcile(1, {"$r-erin": ERIN, "$r-carol": CAROL})[0] == []


def test_past_places_stay_counted_under_a_pseudonym_nobody_is_told(kiwi: Kiwi, clock: FixedClock) -> None:
    offer(kiwi, GIVER, NOW + timedelta(days=1))
    kiwi.sign_up(ERIN, 1, "$r", "reaction")
    clock.moment = NOW + timedelta(days=2)
    kiwi.give_feedback(ERIN, 1, "4 gut", private=True)
    kiwi.ask_to_forget(ERIN, CONFIRM, HANDOVER, CANCEL)
    kiwi.forget(ERIN, ASK, HANDOVER, CANCEL)
    (former,) = kiwi.store.attendees(1)
    assert is_pseudonym(former) and kiwi.store.feedback_of(1) == [(4, "gut")]
    assert kiwi._personal_notices(kiwi.session(1), [former], Msg.of("ping.pong")) == []


# -- the retention period ---------------------------------------------------------------------------------


def seed_past(kiwi: Kiwi, clock: FixedClock) -> None:
    """Two sessions in March (Erin in both), one in April (Erin again); each with feedback."""
    for start in (NOW + timedelta(days=1), NOW + timedelta(days=2), NOW + timedelta(days=31)):
        number = offer(kiwi, GIVER, start)
        kiwi.sign_up(ERIN, number, f"$e{number}", "reaction")
        kiwi.sign_up(CAROL, number, f"$c{number}", "command")
    for number in (1, 2, 3):
        clock.moment = kiwi.session(number).ends_at + timedelta(hours=1)
        kiwi.give_feedback(ERIN, number, "5 prima", private=True)


def test_day_n_keeps_the_names_day_n_plus_one_removes_them(kiwi: Kiwi, clock: FixedClock) -> None:
    seed_past(kiwi, clock)
    ended = kiwi.session(1).ends_at  # 2026-03-03 10:00 UTC
    clock.moment = ended + timedelta(days=90) - timedelta(minutes=1)  # day 90: not more than 90 days ago
    kiwi.retention()
    assert kiwi.store.attendees(1) == [ERIN, CAROL]
    clock.moment = ended + timedelta(days=90, minutes=1)  # day 91
    kiwi.retention()
    names = kiwi.store.attendees(1)
    assert len(names) == 2 and all(name.startswith(ANONYMOUS) for name in names)
    assert kiwi.store.signup_counts([1]) == {1: 2}  # the count stays
    assert kiwi.store.feedback_of(1) == [(5, "prima")]  # the text stays, without the name
    assert not kiwi.store.has_feedback(1, ERIN)
    assert kiwi.store.attendees(2) == [ERIN, CAROL]  # a day later it is its turn
    assert kiwi.store.person_record(ERIN).signups[0].session.id == 2


def test_a_person_keeps_one_pseudonym_within_a_month_and_none_across(kiwi: Kiwi, clock: FixedClock) -> None:
    seed_past(kiwi, clock)
    clock.moment = kiwi.session(3).ends_at + timedelta(days=91)
    kiwi.retention()
    march_1, march_2, april = (kiwi.store.attendees(n) for n in (1, 2, 3))
    assert march_1 == march_2  # distinct participants of March still countable: 2
    assert not set(march_1) & set(april)
    months = "SELECT month FROM month_keys"
    assert [row[0] for row in kiwi.store.db.execute(months)] == ["2026-04"]  # April may have more sessions to do
    clock.moment = datetime(2026, 5, 1, tzinfo=BERLIN) + timedelta(days=91)
    kiwi.retention()
    assert [row[0] for row in kiwi.store.db.execute(months)] == []  # without its key, a pseudonym leads nowhere


def test_the_retention_run_logs_counts_never_names(
    kiwi: Kiwi, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    seed_past(kiwi, clock)
    clock.moment = kiwi.session(2).ends_at + timedelta(days=91)
    with caplog.at_level("INFO", logger="kiwibot.core.retention"):
        kiwi.retention()
    assert "names removed in 2 sessions (4 participants, 2 feedback answers)" in caplog.text
    assert ERIN not in caplog.text and "prima" not in caplog.text


def test_the_job_is_due_at_once_then_each_night(kiwi: Kiwi, clock: FixedClock) -> None:
    assert kiwi.next_retention() == NOW
    kiwi.retention()
    assert kiwi.next_retention() == datetime(2026, 3, 3, 2, 30, tzinfo=UTC)  # 03:30 in Berlin


def test_technical_records_go_once_they_can_no_longer_matter(kiwi: Kiwi, clock: FixedClock) -> None:
    store = kiwi.store
    old, recent = NOW - timedelta(days=31), NOW - timedelta(days=29)
    store.mark_handled("$old", old, int(old.timestamp() * 1000))
    store.mark_handled("$recent", recent, int(recent.timestamp() * 1000))
    store.record_command("$cmd-old", "!r", ERIN, None, True, None, old)
    store.record_command("$cmd-new", "!r", ERIN, None, True, None, recent)
    sent = store.enqueue("!r", {"body": "x"}, at=old)
    store.outbox_sent(sent, "$sent")
    waiting = store.enqueue("!r", {"body": "y"}, at=old)
    store.request_forget(CAROL, NOW - timedelta(days=1, minutes=1))  # long expired
    store.request_forget(ERIN, NOW - timedelta(minutes=11))  # expired, kept: a late confirmation hears "too late"
    kiwi.retention()
    assert not store.is_handled("$old") and store.is_handled("$recent")
    assert store.events_horizon_ms() == int((NOW - timedelta(days=30)).timestamp() * 1000)
    assert store.command("$cmd-old") is None and store.command("$cmd-new") is not None
    assert [item.id for item in store.pending_outbox()] == [waiting]  # a message still to send stays
    assert store.db.execute("SELECT COUNT(*) FROM outbox WHERE id = ?", (sent,)).fetchone()[0] == 0
    assert store.forget_requested(CAROL) is None and store.forget_requested(ERIN) is not None


def test_a_bot_that_was_away_keeps_the_ids_of_what_it_catches_up_on(kiwi: Kiwi) -> None:
    """Pruning counts from the newest event the bot handled, not only from the clock."""
    store = kiwi.store
    away = NOW - timedelta(days=40)
    store.mark_handled("$before-away", away, int(away.timestamp() * 1000))
    store.set_meta("last_event_ts", str(int(away.timestamp() * 1000)))
    kiwi.retention()
    assert store.is_handled("$before-away")


# -- the export -----------------------------------------------------------------------------------------


def test_the_export_of_a_person_without_data_names_every_kind() -> None:
    data = export_data(PersonRecord("@dan:x"), NOW, 90, BERLIN, "en")
    assert data["exported_at"] == "2026-03-02T10:00:00+01:00" and data["user_id"] == "@dan:x"
    for kind in ("sessions_given", "sessions_cogiven", "signups", "feedback", "wishes", "wish_interest", "materials"):
        assert data[kind] == []
    assert data["calendar_links"] == {"exist": False, "deleted_after": None}
    assert data["preferences"] == {"language": None, "reminders": None, "deleted_after": None}
    file = export_file(PersonRecord("@dän:x"), NOW, 90, BERLIN, "de")
    assert file.mimetype == "application/json" and file.filename.endswith(".json")
    assert json.loads(file.data.decode("utf-8"))["user_id"] == "@dän:x" and b"\n  " in file.data


def test_times_are_the_clock_time_people_saw_with_its_offset() -> None:
    """A data-protection officer reads "09:00" for a session announced for 09:00, not "08:00Z"."""
    assert stamp(datetime(2026, 7, 1, 12, 0, 30, 123456, tzinfo=UTC), BERLIN) == "2026-07-01T14:00:30+02:00"
    assert stamp(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), BERLIN) == "2026-11-23T09:00:00+01:00"
    data = export_data(PersonRecord("@dan:x"), NOW, 90, BERLIN, "en")
    assert data["times_are"] == "local time in Europe/Berlin, with its offset from UTC"


def test_the_summary_of_a_person_with_only_the_direct_chat_says_nothing_else_is_kept() -> None:
    """The summary is read in the direct chat, so that record exists whenever it is read: it alone is no data of
    every kind with zeros, and it is named."""
    said = text(summary(PersonRecord("@dan:x", direct_chat=True), NOW, 90, Code("!vergessen"), "kiwi-meine-daten.json"))
    assert "keine Anmeldungen, Sessions, Rückmeldungen, Wünsche oder Einstellungen gespeichert" in said
    assert "nur, dass es diesen Direktchat mit dir gibt" in said and "Anmeldungen: 0" not in said


def test_asked_in_a_room_the_export_already_counts_the_direct_chat_it_opens(kiwi: Kiwi) -> None:
    outcome = kiwi.my_data(ERIN, False, Code("!vergessen"), "de")
    (sent,) = [e for e in outcome.effects if isinstance(e, Direct)]
    assert json.loads(sent.files[0].data)["direct_chat"]["exists"] is True


@pytest.mark.parametrize("word", ["bestätigen", "Bestätigen!", "bestaetigen.", "CONFIRM", "confirm!"])
def test_the_confirmation_is_understood_with_a_closing_mark(word: str) -> None:
    assert is_confirmation(word)


@pytest.mark.parametrize("word", ["ja", "yes", "bestätigen?", "!"])
def test_other_words_do_not_confirm(word: str) -> None:
    assert not is_confirmation(word)


# -- the setting and the help ------------------------------------------------------------------------------


def test_retention_days_default_to_90_and_must_be_at_least_one(tmp_path: Path) -> None:
    base = {"homeserver": "https://m.x", "user_id": "@kiwibot:x", "rooms": {"programme": "!a:x", "digest": "!b:x"}}
    assert parse_config(base, tmp_path, {"KIWIBOT_PASSWORD": "x"}).privacy.retention_days == 90
    assert parse_config({**base, "privacy": {"retention_days": 1}}, tmp_path, {"KIWIBOT_PASSWORD": "x"})
    for bad in (0, -5, "90", 1.5):
        with pytest.raises(ConfigError) as error:
            parse_config({**base, "privacy": {"retention_days": bad}}, tmp_path, {"KIWIBOT_PASSWORD": "x"})
        assert any(p.startswith("privacy.retention_days:") for p in error.value.problems), error.value.problems


@pytest.mark.parametrize(("language", "words"), [("de", ("!meinedaten", "!vergessen")), ("en", ("!mydata", "!forget"))])
def test_help_lists_the_new_commands(language: str, words: tuple[str, ...]) -> None:
    shown = text(build_registry("!").help(language), language)
    assert all(f"`{word}" in shown for word in words), shown
    registry = build_registry("!")
    assert registry.find("meine-daten") is registry.find("my-data") is registry.find("mydata")


def test_a_former_member_is_shown_as_such_never_as_a_pill_or_a_ping() -> None:
    renderer = Renderer(BERLIN)
    message = Msg.of("notice.to", users=(Mention("~former-0a1b2c", ping=True),), text="x")
    content = renderer.render(message, "de").content()
    assert "ehemaliges Mitglied" in content["body"] and "matrix.to" not in content["formatted_body"]
    assert content.get("m.mentions", {}).get("user_ids", []) == []
    assert text(Mention("~anon-0a1b2c"), "en") == "name deleted"


def test_a_calendar_file_names_a_forgotten_giver_as_a_former_member(kiwi: Kiwi) -> None:
    offer(kiwi, ERIN, NOW + timedelta(days=1))
    kiwi.cancel(ERIN, 1, None)
    kiwi.ask_to_forget(ERIN, CONFIRM, HANDOVER, CANCEL)
    kiwi.forget(ERIN, ASK, HANDOVER, CANCEL)
    store = kiwi.store
    assert isinstance(store, Store)
    entry = store.calendar_entries([1])[1]
    event = IcalRenderer(BERLIN, "https://kiwi.example", lambda room, post: "").event(entry, "de").decode()
    assert "ehemaliges Mitglied" in event.replace("\r\n ", "") and "~former" not in event
