"""Moving up from the waiting list: only members move up (whoever left the network is taken off when their turn
comes), and a person's own calendar event takes a new SEQUENCE and LAST-MODIFIED when they move."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from kiwibot.core.calendar import CalendarLinks, Calendars
from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Notify
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.storage import Store
from kiwibot.web.feeds import Feeds
from kiwibot.web.ical import IcalRenderer
from tests.unit.webkit import BERLIN, FORMER, GIVER, ME, NOW, OTHERS, fields, local

ANNA, BERT, _ = OTHERS


def kiwi_at(store: Store, clock: FixedClock) -> Kiwi:
    settings = Settings(timezone=BERLIN, allowed_servers=frozenset({"kiwi.test"}))
    return Kiwi(store, clock, settings, MatrixPlatform())


def session_with_one_seat(kiwi: Kiwi, *people: str) -> int:
    announce = kiwi.offer(GIVER, fields("Agile Verwaltung", local(3, 10), seats=1), None, None).effects[0]
    number: int = announce.session_id  # type: ignore[attr-defined]
    for person in people:
        kiwi.sign_up(person, number, f"$r-{person}", "reaction")
    return number


def pinged(effects: tuple[object, ...]) -> set[str]:
    return {user for effect in effects if isinstance(effect, Notify) for user in effect.users}


def test_someone_who_left_the_network_does_not_move_up_the_next_member_does() -> None:
    store = Store.open(":memory:")
    kiwi = kiwi_at(store, FixedClock(NOW))
    number = session_with_one_seat(kiwi, ANNA, FORMER, BERT)  # FORMER signed up while still a member
    assert not kiwi.is_member(FORMER)
    outcome = kiwi.sign_off(ANNA, number)
    attendance = kiwi.participants(GIVER, number)[1]
    assert attendance.confirmed == (BERT,) and FORMER not in attendance.waiting
    assert pinged(outcome.effects) == {BERT}  # told; the former member hears nothing and holds no seat


def test_while_the_spaces_members_are_unknown_nobody_is_taken_for_gone() -> None:
    store = Store.open(":memory:")
    settings = Settings(timezone=BERLIN, space="!space:kiwi.test")
    kiwi = Kiwi(store, FixedClock(NOW), settings, MatrixPlatform())
    number = session_with_one_seat(kiwi, ANNA, BERT)
    kiwi.sign_off(ANNA, number)
    assert kiwi.participants(GIVER, number)[1].confirmed == (BERT,)


async def test_moving_up_gives_the_own_feeds_event_a_new_sequence_and_last_modified() -> None:
    store = Store.open(":memory:")
    clock = FixedClock(NOW)
    kiwi = kiwi_at(store, clock)
    number = session_with_one_seat(kiwi, ANNA, ME)
    calendars = Calendars(store, clock, kiwi.is_member, CalendarLinks("https://kiwi.example.org"))
    renderer = IcalRenderer(BERLIN, "https://kiwi.example.org", lambda room, event: "")
    feeds = Feeds(calendars, renderer, clock, "de")

    async def my_event() -> icalendar.Event:
        data = (await feeds.personal(ME)).data
        return next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))

    waiting = await my_event()
    programme_before = (await feeds.programme("de")).data
    assert waiting["STATUS"] == "TENTATIVE"
    clock.moment = NOW + timedelta(hours=2)
    kiwi.sign_off(ANNA, number)
    seated = await my_event()
    assert seated["STATUS"] == "CONFIRMED" and seated["UID"] == waiting["UID"]
    assert seated["SEQUENCE"] > waiting["SEQUENCE"]
    assert seated["LAST-MODIFIED"].dt > waiting["LAST-MODIFIED"].dt
    assert seated["DTSTAMP"].dt == clock.moment
    programme_event = (await feeds.programme("de")).data
    assert b"SEQUENCE:0" in programme_event and programme_event.count(b"BEGIN:VEVENT") == 1
    assert programme_before == programme_event  # the programme feed shows no one's seat: unchanged


def test_leaving_the_waiting_list_is_called_that() -> None:
    from kiwibot.i18n import template

    store = Store.open(":memory:")
    kiwi = kiwi_at(store, FixedClock(NOW))
    number = session_with_one_seat(kiwi, ANNA)
    kiwi.sign_up(BERT, number, "$cmd", "command")
    assert kiwi.sign_off(BERT, number).reply.key == "signoff.ok_waiting"  # type: ignore[union-attr]
    assert kiwi.sign_off(ANNA, number).reply.key == "signoff.ok_reaction"  # type: ignore[union-attr]
    assert template("en", "signoff.ok").startswith("You are signed off from session")
