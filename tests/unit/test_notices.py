"""Who is told what, and in which language: the core's notices after signups, sign-offs and changes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Announce, Direct, Notify, Refresh
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Msg
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.storage import Store
from tests.unit.test_service import ADMIN, GIVER, NOW, PATRON, fields


@pytest.fixture
def kiwi(tmp_path: Path) -> Kiwi:
    settings = Settings(timezone=ZoneInfo("Europe/Berlin"), admins=frozenset({ADMIN}), patrons=frozenset({PATRON}))
    return Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), settings, MatrixPlatform())


def notices(effects: tuple[object, ...]) -> list[Notify]:
    return [e for e in effects if isinstance(e, Notify)]


def directs(effects: tuple[object, ...]) -> list[Direct]:
    return [e for e in effects if isinstance(e, Direct)]


def inner(notice: Notify) -> Msg:
    """The news inside a thread notice ("{users}: {text}")."""
    assert isinstance(notice.message, Msg) and notice.message.key == "notice.to"
    text = notice.message.params["text"]
    assert isinstance(text, Msg)
    return text


def test_a_reaction_onto_the_waiting_list_is_told_with_its_place(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(seats=1), None, None)
    assert notices(kiwi.sign_up("@a:x", 1, "$a", "reaction").effects) == []
    told = notices(kiwi.sign_up("@b:x", 1, "$b", "reaction").effects)
    assert [n.users for n in told] == [("@b:x",)]
    assert inner(told[0]).key == "signup.waitlist" and inner(told[0]).params["position"] == 1
    told = notices(kiwi.sign_up("@c:x", 1, "$c", "reaction").effects)
    assert inner(told[0]).params["position"] == 2
    # the same person's second 👍 (another skin tone) says nothing more
    assert notices(kiwi.sign_up("@c:x", 1, "$c2", "reaction").effects) == []


def test_a_person_who_chose_direct_messages_hears_of_the_waiting_list_there(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(seats=1), None, None)
    kiwi.sign_up("@a:x", 1, "$a", "reaction")
    kiwi.set_reminder_pref("@b:x", "dm")
    outcome = kiwi.sign_up("@b:x", 1, "$b", "reaction")
    assert notices(outcome.effects) == []
    [direct] = directs(outcome.effects)
    assert direct.user_id == "@b:x" and isinstance(direct.message, Msg) and direct.message.key == "signup.waitlist"


def test_no_waiting_list_news_once_a_session_is_cancelled_or_has_begun(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(seats=1), None, None)
    kiwi.sign_up("@a:x", 1, "$a", "reaction")
    kiwi.sign_up("@b:x", 1, "$b", "reaction")
    kiwi.cancel(GIVER, 1, None)
    outcome = kiwi.withdraw_reaction("$a")
    assert notices(outcome.effects) == [] and directs(outcome.effects) == []
    kiwi.offer(GIVER, fields(seats=1, title="Zwei"), None, None)
    kiwi.sign_up("@a:x", 2, "$a2", "reaction")
    kiwi.sign_up("@b:x", 2, "$b2", "command")
    assert isinstance(kiwi.clock, FixedClock)
    kiwi.clock.moment = kiwi.session(2).starts_at + timedelta(minutes=5)
    # once it has begun, who took part stays on record: nobody leaves and nobody moves up unseen
    with pytest.raises(UserError) as err:
        kiwi.sign_off("@b:x", 2)
    assert err.value.key == "signoff.begun"
    outcome = kiwi.withdraw_reaction("$a2")
    assert outcome.effects == ()
    assert kiwi.attendance(kiwi.session(2)).confirmed == ("@a:x",)


def test_the_same_offer_sent_twice_makes_one_session(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    with pytest.raises(UserError) as err:
        kiwi.offer(GIVER, fields(), None, None)
    assert err.value.key == "session.already_offered" and err.value.params["number"] == 1
    kiwi.offer("@other:x", fields(), None, None)  # someone else may offer the same topic at that time
    kiwi.offer(GIVER, fields(title="Anderes Thema"), None, None)


def test_the_same_offer_with_a_wish_sent_twice_is_told_as_offered_not_as_the_wish_fulfilled(kiwi: Kiwi) -> None:
    kiwi.make_wish("@anna:x", "PDFs")
    kiwi.offer(GIVER, fields(wish=1), None, None)
    with pytest.raises(UserError) as err:
        kiwi.offer(GIVER, fields(wish=1), None, None)
    assert err.value.key == "session.already_offered" and err.value.params["number"] == 1


def test_asking_again_while_waiting_names_the_place(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(seats=1), None, None)
    kiwi.sign_up("@a:x", 1, "$a", "command")
    kiwi.sign_up("@b:x", 1, "$b", "command")
    assert kiwi.sign_up("@b:x", 1, "$b-again", "command").reply.key == "signup.already_waiting"
    assert kiwi.sign_up("@a:x", 1, "$a-again", "command").reply.key == "signup.already"


def test_change_and_cancel_news_follow_the_persons_choice(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    kiwi.sign_up("@dm:x", 1, "$d", "reaction")
    kiwi.sign_up("@th:x", 1, "$t", "reaction")
    kiwi.set_reminder_pref("@dm:x", "dm")
    moved = kiwi.edit(GIVER, 1, fields(starts_at=NOW + timedelta(days=5), given=frozenset({"when"})))
    assert [d.user_id for d in directs(moved.effects)] == ["@dm:x"]
    assert [n.users for n in notices(moved.effects)] == [("@th:x",)]
    cancelled = kiwi.cancel(GIVER, 1, None)
    assert [d.user_id for d in directs(cancelled.effects)] == ["@dm:x"]
    assert cancelled.reply.key == "cancel.ok"
    kiwi.offer(GIVER, fields(title="Leer"), None, None)
    assert kiwi.cancel(GIVER, 2, None).reply.key == "cancel.ok_nobody"


def test_removing_the_last_thumb_signs_off_a_command_signup_too_and_says_so(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    kiwi.sign_up("@a:x", 1, "$cmd", "command")
    kiwi.sign_up("@a:x", 1, "$r1", "reaction")
    kiwi.sign_up("@a:x", 1, "$r2", "reaction")  # another skin tone
    assert notices(kiwi.withdraw_reaction("$r1").effects) == []
    assert kiwi.store.attendees(1) == ["@a:x"]  # one 👍 is still there
    outcome = kiwi.withdraw_reaction("$r2")
    assert kiwi.store.attendees(1) == []
    assert Refresh(1) in outcome.effects
    [told] = notices(outcome.effects)
    assert told.users == ("@a:x",) and inner(told).key == "signoff.by_reaction"
    # a 👍 given again counts again
    kiwi.sign_up("@a:x", 1, "$r3", "reaction")
    assert kiwi.store.attendees(1) == ["@a:x"]


def test_signing_off_by_command_says_the_thumb_no_longer_counts(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    kiwi.sign_up("@a:x", 1, "$r", "reaction")
    assert kiwi.sign_off("@a:x", 1).reply.key == "signoff.ok_reaction"
    kiwi.sign_up("@b:x", 1, "$c", "command")
    assert kiwi.sign_off("@b:x", 1).reply.key == "signoff.ok"


def test_the_giver_hears_of_changes_by_others_with_who_made_them(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    own = kiwi.edit(GIVER, 1, fields(title="Neu", given=frozenset({"title"})))
    assert directs(own.effects) == []
    by_admin = kiwi.edit(ADMIN, 1, fields(title="Neuer", given=frozenset({"title"})))
    [told] = directs(by_admin.effects)
    assert told.user_id == GIVER and told.message.key == "edit.giver_told"
    assert told.message.params["actor"].user_id == ADMIN
    assert [m.key for m in told.message.params["what"].params["fields"]] == ["edit.what.title"]
    repeated = kiwi.repeat(PATRON, 1, NOW + timedelta(days=10), "!r", "$e")
    assert Announce(2) in repeated.effects
    [told] = directs(repeated.effects)
    assert told.user_id == GIVER and told.message.key == "repeat.giver_told" and told.message.params["number"] == 2
    assert kiwi.session(2).giver == GIVER and kiwi.session(2).repeated_from == 1
    assert kiwi.confirmation(kiwi.session(2), "link").key == "repeat.created"
    cancelled = kiwi.cancel(PATRON, 1, "krank")
    [told] = directs(cancelled.effects)
    assert told.message.key == "cancel.giver_told" and told.message.params["actor"].user_id == PATRON


def test_notices_go_out_in_each_readers_language(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    for user in ("@de1:x", "@en1:x", "@de2:x", "@en2:x"):
        kiwi.sign_up(user, 1, f"$r-{user}", "reaction")
    kiwi.set_language("@en1:x", "en")
    kiwi.set_language("@en2:x", "en")
    told = notices(kiwi.cancel(GIVER, 1, None).effects)
    by_language = {n.language: n.users for n in told}
    assert by_language == {"de": ("@de1:x", "@de2:x"), "en": ("@en1:x", "@en2:x")}


def test_reminders_can_be_switched_back_on(kiwi: Kiwi) -> None:
    kiwi.set_reminder_pref("@a:x", "aus")
    assert kiwi.store.reminder_prefs(["@a:x"]) == {"@a:x": "off"}
    for word in ("an", "ein", "on", "AN "):
        kiwi.set_reminder_pref("@a:x", "aus")
        assert kiwi.set_reminder_pref("@a:x", word).key == "reminders.set_thread"
        assert kiwi.store.reminder_prefs(["@a:x"]) == {"@a:x": "thread"}


def test_a_change_to_what_is_already_so_changes_nothing_and_tells_nobody(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    kiwi.sign_up("@a:x", 1, "$a", "reaction")
    session = kiwi.session(1)
    same = kiwi.edit(ADMIN, 1, fields(title=session.title, link=session.link, given=frozenset({"title", "link"})))
    assert isinstance(same.reply, Msg) and same.reply.key == "edit.unchanged" and same.effects == ()
    assert kiwi.session(1) == session
    changed = kiwi.edit(ADMIN, 1, fields(title=session.title, seats=9, given=frozenset({"title", "seats"})))
    assert isinstance(changed.reply, Msg) and changed.reply.key == "edit.ok" and kiwi.session(1).seats == 9
