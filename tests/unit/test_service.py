"""The core's decisions on a real (temporary) SQLite store with a fixed clock: no Matrix involved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Announce, Notify, Refresh
from kiwibot.core.errors import UserError
from kiwibot.core.model import Format
from kiwibot.core.offer import OfferFields
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.storage import Store

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
GIVER, ADMIN, PATRON = "@giver:x", "@admin:x", "@patron:x"


@pytest.fixture
def kiwi(tmp_path: Path) -> Kiwi:
    settings = Settings(timezone=ZoneInfo("Europe/Berlin"), admins=frozenset({ADMIN}), patrons=frozenset({PATRON}))
    return Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), settings, MatrixPlatform())


def fields(**overrides: object) -> OfferFields:
    values: dict[str, object] = {
        "title": "E-Akte",
        "starts_at": NOW + timedelta(days=3),
        "duration": 60,
        "format": Format.TALK,
        "link": "https://meet.example/x",
        "description": "",
        "seats": None,
        "given": frozenset({"title", "when", "duration", "format", "link"}),
    }
    values.update(overrides)
    return OfferFields(**values)  # type: ignore[arg-type]


def test_offer_numbers_sessions_and_asks_for_an_announcement(kiwi: Kiwi) -> None:
    first = kiwi.offer(GIVER, fields(), "!r", "$o1")
    second = kiwi.offer(GIVER, fields(title="Zwei"), "!r", "$o2")
    assert first.effects == (Announce(1),) and second.effects == (Announce(2),)
    assert kiwi.session(2).title == "Zwei"


def test_waitlist_in_order_and_promotion_on_leaving(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(seats=2), None, None)
    for user in ("@a:x", "@b:x", "@c:x", "@d:x"):
        kiwi.sign_up(user, 1, f"$r-{user}", "reaction")
    attendance = kiwi.attendance(kiwi.session(1))
    assert attendance.confirmed == ("@a:x", "@b:x") and attendance.waiting == ("@c:x", "@d:x")
    outcome = kiwi.withdraw_reaction("$r-@b:x")
    notices = [e for e in outcome.effects if isinstance(e, Notify)]
    assert Refresh(1) in outcome.effects
    assert [n.users for n in notices] == [("@c:x",)]
    outcome = kiwi.withdraw_reaction("$r-@d:x")  # a waiting person leaving promotes nobody
    assert not [e for e in outcome.effects if isinstance(e, Notify)]


def test_two_reactions_count_once_and_both_must_go(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    kiwi.sign_up("@a:x", 1, "$r1", "reaction")
    kiwi.sign_up("@a:x", 1, "$r2", "reaction")
    assert kiwi.store.attendees(1) == ["@a:x"]
    kiwi.withdraw_reaction("$r1")
    assert kiwi.store.attendees(1) == ["@a:x"]
    kiwi.withdraw_reaction("$r2")
    assert kiwi.store.attendees(1) == []
    assert kiwi.withdraw_reaction("$unknown").effects == ()


def test_refusals_by_command_raise_and_by_reaction_are_told_in_the_thread(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    kiwi.cancel(GIVER, 1, "krank")
    with pytest.raises(UserError) as err:
        kiwi.sign_up("@a:x", 1, "cmd", "command")
    assert err.value.key == "signup.cancelled"
    outcome = kiwi.sign_up("@a:x", 1, "$r", "reaction")
    assert isinstance(outcome.effects[0], Notify) and outcome.effects[0].users == ("@a:x",)
    assert kiwi.store.attendees(1) == []
    assert kiwi.sign_up(GIVER, 1, "$g", "reaction").effects == ()


def test_past_sessions_refuse_signups(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    kiwi.clock = FixedClock(NOW + timedelta(days=4))  # type: ignore[assignment]
    with pytest.raises(UserError) as err:
        kiwi.sign_up("@a:x", 1, "cmd", "command")
    assert err.value.key == "signup.past"


def test_roles_for_changes(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    with pytest.raises(UserError) as err:
        kiwi.cancel("@stranger:x", 1, None)
    assert err.value.key == "manage.forbidden"
    with pytest.raises(UserError):
        kiwi.participants("@stranger:x", 1)
    assert kiwi.participants(PATRON, 1)[0].id == 1
    kiwi.edit(ADMIN, 1, fields(title="Neu", given=frozenset({"title"})))
    assert kiwi.session(1).title == "Neu"
    with pytest.raises(UserError) as err:
        kiwi.add_patron(GIVER, "@new:x")
    assert err.value.key == "patron.forbidden"
    kiwi.add_patron(ADMIN, "@new:x")
    assert kiwi.may_manage("@new:x", kiwi.session(1))
    kiwi.remove_patron(ADMIN, "@new:x")
    assert not kiwi.may_manage("@new:x", kiwi.session(1))


def test_moving_a_session_tells_everyone_signed_up(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(seats=1), None, None)
    kiwi.sign_up("@a:x", 1, "$a", "reaction")
    kiwi.sign_up("@b:x", 1, "$b", "reaction")
    outcome = kiwi.edit(GIVER, 1, fields(starts_at=NOW + timedelta(days=5), given=frozenset({"when"})))
    notices = [e for e in outcome.effects if isinstance(e, Notify)]
    assert notices[0].users == ("@a:x", "@b:x")
    outcome = kiwi.edit(GIVER, 1, fields(seats=3, given=frozenset({"seats"})))
    assert [e.users for e in outcome.effects if isinstance(e, Notify)] == [("@b:x",)]


def test_overlap_is_named_in_the_confirmation(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    kiwi.offer(GIVER, fields(starts_at=NOW + timedelta(days=3, minutes=30)), None, None)
    message = kiwi.confirmation(kiwi.session(2), "link")
    assert message.key == "offer.created_overlap"
    kiwi.offer(GIVER, fields(starts_at=NOW + timedelta(days=9)), None, None)
    assert kiwi.confirmation(kiwi.session(3), "link").key == "offer.created"


def test_programme_pages(kiwi: Kiwi) -> None:
    for i in range(16):
        kiwi.offer(f"@giver{i}:x", fields(title=f"S{i}", starts_at=NOW + timedelta(days=1 + i)), None, None)
    first = kiwi.programme(1)
    assert [s.title for s in first.sessions] == [f"S{i}" for i in range(15)] and first.pages == 2
    assert [s.title for s in kiwi.programme(2).sessions] == ["S15"]
    with pytest.raises(UserError):
        kiwi.programme(3)


def test_open_offers_per_giver_are_limited(kiwi: Kiwi) -> None:
    for i in range(10):
        kiwi.offer(GIVER, fields(starts_at=NOW + timedelta(days=1 + i)), None, None)
    with pytest.raises(UserError) as err:
        kiwi.offer(GIVER, fields(starts_at=NOW + timedelta(days=20)), None, None)
    assert err.value.key == "limits.too_many_offers"
    kiwi.cancel(GIVER, 1, None)  # a cancelled session no longer counts
    kiwi.offer(GIVER, fields(starts_at=NOW + timedelta(days=20)), None, None)


def test_command_rate_limit_notes_once_then_stays_silent(kiwi: Kiwi) -> None:
    clock = FixedClock(NOW)
    kiwi.clock = clock  # type: ignore[assignment]
    assert all(kiwi.admit("@a:x") is True for _ in range(10))
    note = kiwi.admit("@a:x")
    assert note is not None and note is not True and note.key == "limits.slow_down"
    assert kiwi.admit("@a:x") is None
    assert kiwi.admit("@b:x") is True  # per person
    clock.moment = NOW + timedelta(seconds=61)
    assert kiwi.admit("@a:x") is True


def test_non_members_are_refused_once_a_day(tmp_path: Path) -> None:
    settings = Settings(allowed_servers=frozenset({"kiwi.example"}))
    clock = FixedClock(NOW)
    kiwi = Kiwi(Store.open(tmp_path / "k.db"), clock, settings, MatrixPlatform())
    assert kiwi.admit("@member:kiwi.example") is True
    first = kiwi.admit("@outsider:elsewhere")
    assert first is not None and first is not True and first.key == "access.not_member"
    assert kiwi.admit("@outsider:elsewhere") is None
    clock.moment = NOW + timedelta(days=1)
    assert kiwi.admit("@outsider:elsewhere") is not None


def test_a_big_session_is_told_in_several_messages_each_with_its_own_people(kiwi: Kiwi) -> None:
    """One event holds 64 KiB: 120 pills would not fit, so reminders and notices go out in chunks."""
    kiwi.offer(GIVER, fields(), None, None)
    people = [f"@p{i:03}:x" for i in range(120)]
    for user in people:
        kiwi.sign_up(user, 1, f"$r-{user}", "reaction")
    assert isinstance(kiwi.clock, FixedClock)
    kiwi.clock.moment = kiwi.session(1).starts_at - timedelta(minutes=10)
    due = [e for e in kiwi.due_reminders() if isinstance(e, Notify)]
    last = [n for n in due if n.purpose == due[-1].purpose]  # delivered once all its messages went out
    assert [len(n.users) for n in last] == [50, 50, 21]
    assert [u for n in last for u in n.users] == [GIVER, *people]
    cancelled = [e for e in kiwi.cancel(GIVER, 1, None).effects if isinstance(e, Notify)]
    assert [u for n in cancelled for u in n.users] == people
    assert all(len(n.users) <= 50 for n in cancelled)


class SmallPlatform:
    """Another chat platform: three pings to a message, and its own links that would mention someone."""

    pings_per_message = 3

    def is_mention_link(self, url: str) -> bool:
        return url.startswith("https://chat.example/@")


def test_the_platform_says_how_many_people_one_message_pings(tmp_path: Path) -> None:
    kiwi = Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), Settings(), SmallPlatform())
    kiwi.offer(GIVER, fields(), None, None)
    people = [f"@p{i}:x" for i in range(7)]
    for user in people:
        kiwi.sign_up(user, 1, f"$r-{user}", "reaction")
    cancelled = [e for e in kiwi.cancel(GIVER, 1, None).effects if isinstance(e, Notify)]
    assert [n.users for n in cancelled] == [tuple(people[0:3]), tuple(people[3:6]), tuple(people[6:])]


def test_user_formatting_is_stored_without_the_platforms_mention_links(tmp_path: Path) -> None:
    kiwi = Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), Settings(), SmallPlatform())
    web = '<a href="https://wiki.example/x" rel="noopener noreferrer">Wiki</a>'
    html = f'Frag <a href="https://chat.example/@boss">die Chefin</a>, siehe {web}'
    kiwi.offer(GIVER, fields(description="Frag die Chefin, siehe Wiki", description_html=html), None, None)
    assert kiwi.session(1).description_html == f"Frag die Chefin, siehe {web}"
    html = '<a href="https://chat.example/@bob">Bob</a> <b>neu</b>'
    kiwi.edit(GIVER, 1, OfferFields(description="Bob neu", description_html=html, given=frozenset({"description"})))
    assert kiwi.session(1).description_html == "Bob <b>neu</b>"
