"""Feedback after a session (#13.1–3): the rules (who, when, how an answer is read, the average), the ask once a
session ended, and the summaries to its givers – on a real (temporary) SQLite store with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Announce, Direct, FeedbackAsk, FeedbackSummary, Notify
from kiwibot.core.errors import UserError
from kiwibot.core.feedback_rules import FEEDBACK_WINDOW, Answer, Window, average, read_answer, window
from kiwibot.core.messages import Code, Lines, Msg
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.matrix.render import Renderer
from kiwibot.storage import Store
from kiwibot.storage.migrations import MIGRATIONS
from kiwibot.storage.times import iso
from tests.unit.test_service import ADMIN, GIVER, NOW, PATRON, fields

BERLIN = ZoneInfo("Europe/Berlin")
ANNA, BERT, CARL, DORA, EMIL = "@anna:x", "@bert:x", "@carl:x", "@dora:x", "@emil:x"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def kiwi(tmp_path: Path, clock: FixedClock) -> Kiwi:
    settings = Settings(timezone=BERLIN, admins=frozenset({ADMIN}), patrons=frozenset({PATRON}))
    return Kiwi(Store.open(tmp_path / "k.db"), clock, settings, MatrixPlatform())


def session_with(
    kiwi: Kiwi, seats: int | None = None, people: tuple[str, ...] = (ANNA, BERT), title: str = "E-Akte"
) -> int:
    """A session in three days, with `people` signed up in that order."""
    [announce] = kiwi.offer(GIVER, fields(seats=seats, title=title), None, None).effects
    assert isinstance(announce, Announce)
    number = announce.session_id
    for user in people:
        kiwi.sign_up(user, number, f"$r-{user}-{number}", "reaction")
    return number


def after_end(kiwi: Kiwi, clock: FixedClock, number: int, later: timedelta = timedelta(minutes=1)) -> None:
    clock.moment = kiwi.session(number).ends_at + later


def render(message: object, language: str = "de") -> str:
    return Renderer(BERLIN).render(message, language).body  # type: ignore[arg-type]


# -- reading an answer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rating", "comment"),
    [
        ("Sehr anschaulich", None, "Sehr anschaulich"),
        ("5 Sehr anschaulich", 5, "Sehr anschaulich"),
        ("1", 1, ""),
        ("4/5 gut erklärt", 4, "gut erklärt"),
        ("4 von 5 Sternen: gut erklärt", 4, "gut erklärt"),
        ("3 Sterne, zu schnell", 3, "zu schnell"),
        ("2 stars - too fast", 2, "too fast"),
        ("5: top", 5, "top"),
        ("5! Top", 5, "Top"),
        ("3 Dinge haben geholfen", None, "3 Dinge haben geholfen"),  # a number counting something is text
        ("10 Minuten zu lang", None, "10 Minuten zu lang"),  # a leading number that is no rating stays text
        ("3-4 Beispiele mehr", None, "3-4 Beispiele mehr"),
        ("3/4 der Zeit Theorie", None, "3/4 der Zeit Theorie"),
        ("1.000 Dank!", None, "1.000 Dank!"),
        ("Gut\u200b, danke\n  zweite Zeile  ", None, "Gut, danke\n  zweite Zeile"),
        ("⭐⭐⭐⭐ gut erklärt", 4, "gut erklärt"),
        ("⭐️⭐️⭐️", 3, ""),
        ("★★ zu schnell", 2, "zu schnell"),
    ],
)
def test_an_answer_is_text_with_an_optional_leading_rating(text: str, rating: int | None, comment: str) -> None:
    assert read_answer(text) == Answer(rating, comment)


@pytest.mark.parametrize(
    ("text", "rating", "comment"),
    [
        # a number that is part of the text stays text (explorer: all three were read as ratings)
        ("1) content was good 2) too little time", None, "1) content was good 2) too little time"),
        ("1. Beispiel gut", None, "1. Beispiel gut"),
        ("2 Stunden wären besser", None, "2 Stunden wären besser"),
        ("5 Minuten zu kurz", None, "5 Minuten zu kurz"),
        ("2 von 5 Beispielen waren unklar", None, "2 von 5 Beispielen waren unklar"),
        ("vier Leute fehlten", None, "vier Leute fehlten"),
        ("5% Theorie reicht", None, "5% Theorie reicht"),
        # ratings as people write them, the marker not left in the comment
        ("fünf von fünf, sehr hilfreich", 5, "sehr hilfreich"),
        ("Note 5: super", 5, "super"),
        ("Note: 4 gut", 4, "gut"),
        ("(4) gut", 4, "gut"),
        ("(4/5) gut", 4, "gut"),
        ("Vier Sterne", 4, ""),
        ("four stars, great", 4, "great"),
        ("4⭐ gut", 4, "gut"),
        ("4 ⭐", 4, ""),
        ("4 ⭐⭐⭐⭐ gut", 4, "gut"),
        ("★★★★☆ gut", 4, "gut"),
        ("4 out of 5 - clear", 4, "clear"),
        ("5 Sehr praxisnah!", 5, "Sehr praxisnah!"),
        ("4 Gut erklärt", 4, "Gut erklärt"),
        # inside the text only a marked rating counts, and the text stays as written
        ("War super, 5 Sterne! Danke an Gerd", 5, "War super, 5 Sterne! Danke an Gerd"),
        ("Klar erklärt ⭐⭐⭐⭐", 4, "Klar erklärt ⭐⭐⭐⭐"),
        ("Gut, aber 10 Minuten zu lang. 4/5", 4, "Gut, aber 10 Minuten zu lang. 4/5"),
        ("Danke ⭐ für alles", None, "Danke ⭐ für alles"),  # one star is decoration, not a rating of 1
        ("Inhalt 5 Sterne, Technik 2 Sterne", None, "Inhalt 5 Sterne, Technik 2 Sterne"),  # two: neither
        ("3 Punkte waren mir neu", 3, "waren mir neu"),  # at the start "Punkte" is a rating unit (documented)
        ("Die 3 Punkte waren mir neu", None, "Die 3 Punkte waren mir neu"),
    ],
)
def test_a_rating_is_read_as_people_write_it_and_a_number_in_the_text_stays_text(
    text: str, rating: int | None, comment: str
) -> None:
    assert read_answer(text) == Answer(rating, comment)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("☆☆☆☆☆ schlecht", "☆☆☆☆☆"),
        ("Note 6", "Note 6"),
        ("(0) nichts", "(0)"),
        ("6/5 super", "6/5"),
        ("0 Sterne", "0 Sterne"),
        ("4,5 gut", "4,5"),
        ("⭐" * 6 + " wow", "⭐" * 6),
    ],
)
def test_a_rating_outside_1_to_5_is_refused_not_dropped(text: str, value: str) -> None:
    with pytest.raises(UserError) as err:
        read_answer(text)
    assert err.value.key == "feedback.bad_rating" and err.value.params == {"value": value}


def test_an_answer_must_say_something_and_not_too_much() -> None:
    with pytest.raises(UserError) as err:
        read_answer(" – ")
    assert err.value.key == "feedback.empty"
    with pytest.raises(UserError) as err:
        read_answer("x" * 2001)
    assert err.value.key == "feedback.too_long" and err.value.params == {"length": 2001, "max": 2000}


def test_the_average_has_one_decimal_rounded_half_up_in_the_readers_language() -> None:
    assert average([]) is None
    assert average([4, 5]) == 4.5
    assert average([4, 4, 5]) == 4.3
    assert average([3, 4, 4, 4]) == 3.8  # 3.75: half up, not to even
    assert average([4]) == 4.0
    line = Msg.of("feedback.summary.average", average=average([4, 4, 5]), rated=3)
    assert render(line) == "Durchschnittsnote: 4,3 von 5 (3 Noten)"
    assert render(line, "en") == "Average rating: 4.3 of 5 (3 ratings)"
    assert render(Msg.of("feedback.summary.average", average=4.0, rated=1)) == "Durchschnittsnote: 4,0 von 5 (1 Note)"


def test_the_window_opens_at_the_end_and_closes_fourteen_days_later(kiwi: Kiwi) -> None:
    session = kiwi.session(session_with(kiwi))
    assert window(session, session.ends_at - timedelta(seconds=1)) is Window.NOT_ENDED
    assert window(session, session.ends_at) is Window.OPEN
    assert window(session, session.ends_at + FEEDBACK_WINDOW - timedelta(seconds=1)) is Window.OPEN
    assert window(session, session.ends_at + FEEDBACK_WINDOW) is Window.CLOSED
    assert timedelta(days=14) == FEEDBACK_WINDOW


# -- who may answer, and when ---------------------------------------------------------------------


def refusal(kiwi: Kiwi, user: str, number: int, text: str = "gut") -> str:
    with pytest.raises(UserError) as err:
        kiwi.give_feedback(user, number, text, private=True)
    return err.value.key


def test_only_participants_with_a_seat_answer_after_the_end_within_the_window(kiwi: Kiwi, clock: FixedClock) -> None:
    number = session_with(kiwi, seats=1)  # anna has the seat, bert waits
    assert refusal(kiwi, ANNA, number) == "feedback.not_ended"
    after_end(kiwi, clock, number)
    assert refusal(kiwi, BERT, number) == "feedback.waiting"
    assert refusal(kiwi, CARL, number) == "feedback.not_participant"
    assert refusal(kiwi, GIVER, number) == "feedback.own"
    assert refusal(kiwi, ANNA, 99) == "session.unknown"
    assert kiwi.give_feedback(ANNA, number, "gut", private=True).reply is not None
    after_end(kiwi, clock, number, FEEDBACK_WINDOW)
    assert refusal(kiwi, ANNA, number) == "feedback.too_late"


def test_a_cancelled_session_takes_no_feedback(kiwi: Kiwi, clock: FixedClock) -> None:
    number = session_with(kiwi)
    kiwi.cancel(GIVER, number, None)
    after_end(kiwi, clock, number)
    assert refusal(kiwi, ANNA, number) == "feedback.cancelled"
    with pytest.raises(UserError) as err:
        kiwi.feedback_summary(GIVER, number, private=True)
    assert err.value.key == "feedback.cancelled"


def test_a_second_answer_replaces_the_first_and_says_so(kiwi: Kiwi, clock: FixedClock) -> None:
    number = session_with(kiwi)
    after_end(kiwi, clock, number)
    first = kiwi.give_feedback(ANNA, number, "4 gut", private=True).reply
    second = kiwi.give_feedback(ANNA, number, "5 sehr gut", private=True).reply
    assert isinstance(first, Msg) and first.key == "feedback.thanks"
    assert isinstance(second, Msg) and second.key == "feedback.replaced"
    assert kiwi.store.feedback_of(number) == [(5, "sehr gut")]
    assert "Deine Note: 5 von 5. Dein Text: „sehr gut“" in render(second)


def test_a_second_answer_keeps_what_it_does_not_say_anew(kiwi: Kiwi, clock: FixedClock) -> None:
    """A comment sent after a rating must not silently drop the rating, nor a rating the comment."""
    number = session_with(kiwi)
    after_end(kiwi, clock, number)
    kiwi.give_feedback(ANNA, number, "4", private=True)
    second = kiwi.give_feedback(ANNA, number, "Die Beispiele waren gut", private=True).reply
    assert kiwi.store.feedback_of(number) == [(4, "Die Beispiele waren gut")]
    shown = render(second)
    assert "Deine Note: 4 von 5. (Das ist deine Note von vorher: Deine neue Antwort enthält keine." in shown
    assert "Dein Text: „Die Beispiele waren gut“. Die Session-Geber:innen" in shown  # a full stop after the quote
    kiwi.give_feedback(ANNA, number, "⭐⭐⭐⭐⭐", private=True)
    assert kiwi.store.feedback_of(number) == [(5, "Die Beispiele waren gut")]
    kiwi.give_feedback(ANNA, number, "4", private=True)  # explorer: "fünf von fünf" kept the old 4 beside it
    kiwi.give_feedback(ANNA, number, "fünf von fünf, sehr hilfreich", private=True)
    assert kiwi.store.feedback_of(number) == [(5, "sehr hilfreich")]
    english = render(kiwi.give_feedback(ANNA, number, "Even better now", private=True).reply, "en")
    assert "(That is your earlier rating: your new answer holds none." in english
    assert 'Your text: "Even better now". The session givers' in english


def test_in_a_room_the_answer_is_confirmed_by_direct_message_and_the_room_sees_no_text(
    kiwi: Kiwi, clock: FixedClock
) -> None:
    number = session_with(kiwi)
    after_end(kiwi, clock, number)
    outcome = kiwi.give_feedback(ANNA, number, "4 Geheimnis", private=False)
    assert isinstance(outcome.reply, Msg) and outcome.reply.key == "feedback.thanks_room"
    assert "Geheimnis" not in render(outcome.reply)
    [direct] = outcome.effects
    assert isinstance(direct, Direct) and direct.user_id == ANNA and "Geheimnis" in render(direct.message)


# -- asking once the session ended ----------------------------------------------------------------


def test_the_ask_goes_once_to_those_who_had_a_seat_in_their_way(kiwi: Kiwi, clock: FixedClock) -> None:
    kiwi.set_reminder_pref(BERT, "dm")
    kiwi.set_reminder_pref(CARL, "aus")
    kiwi.set_language(DORA, "en")
    number = session_with(kiwi, seats=4, people=(ANNA, BERT, CARL, DORA, EMIL))  # emil waits
    assert kiwi.next_feedback_due() == kiwi.session(number).ends_at
    assert kiwi.due_feedback() == ()  # not ended yet
    after_end(kiwi, clock, number)
    effects = kiwi.due_feedback()
    notices = [e for e in effects if isinstance(e, Notify)]
    directs = [e for e in effects if isinstance(e, Direct)]
    assert sorted((n.language, n.users) for n in notices) == [("de", (ANNA,)), ("en", (DORA,))]
    assert [d.user_id for d in directs] == [BERT]
    assert {e.purpose for e in effects} == {FeedbackAsk(number)}
    text = render(notices[0].message)
    assert f"!feedback {number} 5 Sehr praxisnah!" in text and "Was hat geholfen" in text
    assert kiwi.due_feedback() == ()  # exactly once
    assert kiwi.store.feedback_ask_state(number) == "sending"
    kiwi.feedback_asked(FeedbackAsk(number))
    assert kiwi.store.feedback_ask_state(number) == "sent"


def test_cancelled_and_empty_sessions_ask_nobody(kiwi: Kiwi, clock: FixedClock) -> None:
    cancelled = session_with(kiwi)
    kiwi.cancel(GIVER, cancelled, None)
    empty = session_with(kiwi, people=(), title="Leer")
    after_end(kiwi, clock, empty)
    assert kiwi.due_feedback() == ()
    assert kiwi.store.feedback_ask_state(cancelled) is None
    assert kiwi.store.feedback_ask_state(empty) == "skipped"


def test_a_session_ended_while_the_bot_was_away_is_asked_late_but_not_after_the_window(
    kiwi: Kiwi, clock: FixedClock
) -> None:
    late, too_late = session_with(kiwi), session_with(kiwi, title="Früher")
    kiwi.edit(GIVER, too_late, fields(starts_at=NOW + timedelta(hours=1), given=frozenset({"when"})))
    # Back after two weeks: `late` ended eleven days ago, `too_late` more than fourteen.
    clock.moment = kiwi.session(too_late).ends_at + FEEDBACK_WINDOW + timedelta(hours=1)
    asked = {e.purpose for e in kiwi.due_feedback()}
    assert asked == {FeedbackAsk(late)}


def test_sessions_that_ended_before_the_upgrade_are_not_asked_about(tmp_path: Path) -> None:
    feedback = next(i for i, step in enumerate(MIGRATIONS, 1) if any("feedback_asks (" in s for s in step))
    old = Store.open(tmp_path / "k.db", target=feedback - 1)
    now = datetime.now(UTC)
    for title, start in (("vorbei", now - timedelta(days=1)), ("kommt", now + timedelta(days=1))):
        old.db.execute(
            "INSERT INTO sessions (giver, title, starts_at, ends_at, duration, format, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 60, 'talk', 'then', 'then')",
            (GIVER, title, iso(start), iso(start + timedelta(hours=1))),
        )
    old.close()
    store = Store.open(tmp_path / "k.db")
    assert (store.feedback_ask_state(1), store.feedback_ask_state(2)) == ("skipped", None)


# -- the summaries --------------------------------------------------------------------------------


def lines_of(message: object) -> str:
    assert isinstance(message, Lines)
    return render(message)


def test_the_givers_get_a_summary_a_day_after_the_end_without_names(kiwi: Kiwi, clock: FixedClock) -> None:
    number = session_with(kiwi, people=(ANNA, BERT, CARL))
    kiwi.edit(GIVER, number, fields(cogivers=(DORA,), given=frozenset({"cogivers"})))
    after_end(kiwi, clock, number)
    kiwi.due_feedback()
    kiwi.give_feedback(ANNA, number, "5 Anschaulich", private=True)
    kiwi.give_feedback(BERT, number, "4", private=True)
    kiwi.give_feedback(CARL, number, "Zu schnell", private=True)
    end = kiwi.session(number).ends_at
    assert kiwi.next_feedback_due() == end + timedelta(days=1)  # one summary owed, not three
    clock.moment = end + timedelta(days=1)
    summaries = [e for e in kiwi.due_feedback() if isinstance(e, Direct)]
    assert [d.user_id for d in summaries] == [GIVER, DORA]
    assert all(d.purpose == FeedbackSummary(number) for d in summaries)
    text = lines_of(summaries[0].message)
    assert "3 Rückmeldungen von 3 Teilnehmenden" in text
    assert "Durchschnittsnote: 4,5 von 5 (2 Noten)" in text
    assert "– Anschaulich (Note 5)" in text and "– Zu schnell" in text
    assert "anna" not in text and "carl" not in text
    assert kiwi.due_feedback() == ()


def test_later_answers_are_summed_up_at_most_once_a_day(kiwi: Kiwi, clock: FixedClock) -> None:
    number = session_with(kiwi, people=(ANNA, BERT, CARL))
    end = kiwi.session(number).ends_at
    clock.moment = end + timedelta(days=2)  # the first answer comes late: summed up at once
    assert [e.purpose for e in kiwi.due_feedback()] == [FeedbackAsk(number)]
    kiwi.give_feedback(ANNA, number, "gut", private=True)
    assert kiwi.next_feedback_due() == end + timedelta(days=1)
    assert [e.user_id for e in kiwi.due_feedback() if isinstance(e, Direct)] == [GIVER]
    clock.moment = end + timedelta(days=2, hours=1)
    kiwi.give_feedback(BERT, number, "auch gut", private=True)
    kiwi.give_feedback(CARL, number, "prima", private=True)
    assert kiwi.due_feedback() == ()
    assert kiwi.next_feedback_due() == end + timedelta(days=3)
    clock.moment = end + timedelta(days=3)
    [summary] = kiwi.due_feedback()
    assert isinstance(summary, Direct) and "3 Rückmeldungen" in lines_of(summary.message)
    assert kiwi.next_feedback_due() is None


def test_only_givers_read_comments_admins_and_patrons_counts_others_nothing(kiwi: Kiwi, clock: FixedClock) -> None:
    number = session_with(kiwi)
    after_end(kiwi, clock, number)
    kiwi.give_feedback(ANNA, number, "4 Geheimer Kommentar", private=True)
    kiwi.give_feedback(BERT, number, "Gut", private=True)
    mine = kiwi.feedback_summary(GIVER, number, private=True).reply
    assert "Geheimer Kommentar" in lines_of(mine)
    for helper in (ADMIN, PATRON):
        counts = lines_of(kiwi.feedback_summary(helper, number, private=True).reply)
        assert "2 Rückmeldungen von 2 Teilnehmenden" in counts and "4,0" in counts
        assert "Geheimer" not in counts and "Die Kommentare sehen nur die Session-Geber:innen." in counts
    with pytest.raises(UserError) as err:
        kiwi.feedback_summary(CARL, number, private=True)
    assert err.value.key == "feedback.forbidden"
    how = kiwi.feedback_summary(ANNA, number, private=False).reply  # a participant hears how to answer
    assert isinstance(how, Msg) and how.key == "feedback.how" and how.params["given"] != ""


def test_the_summary_asked_for_in_a_room_goes_by_direct_message(kiwi: Kiwi, clock: FixedClock) -> None:
    number = session_with(kiwi)
    with pytest.raises(UserError) as err:
        kiwi.feedback_summary(GIVER, number, private=False)
    assert err.value.key == "feedback.summary_not_ended"
    after_end(kiwi, clock, number)
    kiwi.give_feedback(ANNA, number, "Geheimnis", private=True)
    kiwi.give_feedback(BERT, number, "5", private=True)
    outcome = kiwi.feedback_summary(GIVER, number, private=False)
    assert isinstance(outcome.reply, Msg) and outcome.reply.key == "feedback.summary_sent"
    [direct] = outcome.effects
    assert isinstance(direct, Direct) and direct.user_id == GIVER and "Geheimnis" in lines_of(direct.message)


def test_a_single_answer_is_not_shown_alone_and_the_ask_says_how_anonymous_it_is(kiwi: Kiwi, clock: FixedClock) -> None:
    """With one answer "without names" cannot hold: the givers see its rating and text only once a second is in."""
    number = session_with(kiwi, people=(ANNA, BERT))
    after_end(kiwi, clock, number)
    [ask] = [e for e in kiwi.due_feedback() if isinstance(e, Notify)]
    assert "erst, wenn mindestens 2 da sind" in render(ask.message) and "erraten" in render(ask.message)
    assert "only once at least 2 answers are in" in render(ask.message, "en")
    assert "direct chat with me any time" in render(ask.message, "en")  # not "our direct chat": maybe none yet
    kiwi.give_feedback(ANNA, number, "2 Zu theoretisch", private=True)
    for asker in (GIVER, ADMIN):
        alone = lines_of(kiwi.feedback_summary(asker, number, private=True).reply)
        assert "1 Rückmeldung von 2 Teilnehmenden" in alone and "erst ab 2 Rückmeldungen" in alone
        assert "theoretisch" not in alone and "2,0" not in alone and "Durchschnittsnote" not in alone
    kiwi.give_feedback(BERT, number, "4", private=True)
    both = lines_of(kiwi.feedback_summary(GIVER, number, private=True).reply)
    assert "Durchschnittsnote: 3,0 von 5 (2 Noten)" in both and "– Zu theoretisch (Note 2)" in both


def test_plain_words_in_the_direct_chat_answer_the_one_open_ask(kiwi: Kiwi, clock: FixedClock) -> None:
    """Bert answered the ask "wie war es für dich?" without the command: taken as his feedback, and said so."""
    number = session_with(kiwi, people=(ANNA, BERT))
    help_code = Code("!hilfe")
    hint = kiwi.plain_direct(BERT, "Hallo?", help_code)  # nothing asked yet: where the commands are explained
    assert render(hint.reply) == "Ich antworte auf Befehle wie `!hilfe` – der zeigt dir alles, was ich kann."
    after_end(kiwi, clock, number)
    assert render(kiwi.plain_direct(BERT, "Hallo?", help_code).reply).startswith("Ich antworte auf Befehle")
    kiwi.due_feedback()  # the ask goes out
    taken = render(kiwi.plain_direct(BERT, "War super, 5 Sterne! Danke an Gerd", help_code).reply)
    assert taken.startswith("Deine Nachricht habe ich als Rückmeldung zu Session 1 „E-Akte“ genommen")
    assert "Ändern kannst du sie mit `!feedback 1 …`." in taken and "Deine Note: 5 von 5." in taken
    assert kiwi.store.feedback_of(number) == [(5, "War super, 5 Sterne! Danke an Gerd")]
    # answered: later chat is not taken as a new answer (only `!feedback` replaces it)
    again = render(kiwi.plain_direct(BERT, "Danke dir!", help_code).reply)
    assert again.startswith("Ich antworte auf Befehle") and kiwi.store.feedback_of(number)[0][0] == 5
    # a host and someone who had no seat are not asked, so nothing of theirs is taken
    assert render(kiwi.plain_direct(GIVER, "Wie lief es?", help_code).reply).startswith("Ich antworte")
    assert render(kiwi.plain_direct(CARL, "Wie lief es?", help_code).reply).startswith("Ich antworte")


def test_plain_words_with_two_open_asks_hear_which_command_to_send(kiwi: Kiwi, clock: FixedClock) -> None:
    first = session_with(kiwi, people=(ANNA,), title="E-Akte")
    second = session_with(kiwi, people=(ANNA,), title="Excel")
    clock.moment = max(kiwi.session(n).ends_at for n in (first, second)) + timedelta(minutes=1)
    kiwi.due_feedback()
    which = render(kiwi.plain_direct(ANNA, "Super!", Code("!help")).reply, "en")
    assert which.startswith("Is this feedback? I asked you about several sessions")
    assert f'`!feedback {first} …` for session {first} "E-Akte"' in which
    assert f'`!feedback {second} …` for session {second} "Excel"' in which and "`!help` lists all" in which
    assert kiwi.store.feedback_of(first) == [] and kiwi.store.feedback_of(second) == []
