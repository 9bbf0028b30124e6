"""Reminders against a real Synapse, with the injected clock moved instead of waiting hours."""

from __future__ import annotations

import logging
import signal
from datetime import UTC, datetime, timedelta

import pytest

from kiwibot.storage import Store
from tests.integration.conftest import World
from tests.integration.matrixkit import User, accept_direct_chat, body, in_thread_of, mentions, react
from tests.integration.sessionkit import day, offer

pytestmark = pytest.mark.integration


def is_reminder(news: str):
    return lambda e: in_thread_of(e, news) and "Erinnerung" in body(e)


async def reminders_in_thread(user: User, world: World, news: str) -> list[dict]:
    return [e for e in await user.history(world.programme) if is_reminder(news)(e)]


async def settle(world: World, user: User) -> None:
    """Everything the bot had to do before now is done once it answered a later !ping."""
    ping = await user.send(world.programme, "!ping")
    await user.wait_reply(world.programme, ping, world.bot_id)


async def test_reminder_in_the_thread_mentions_exactly_the_people_coming(world: World) -> None:
    app = await world.start_bot(reminders=[60])
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer(world, giver, when=day(2, "14:00"), link="https://meet.example.org/r1")
    await react(anna, world.programme, news)
    await settle(world, anna)
    session = app.store.get_session(number)
    world.clock.set(session.starts_at - timedelta(minutes=60) + timedelta(seconds=1))
    reminder = await anna.wait_for(world.programme, is_reminder(news))
    assert mentions(reminder) == sorted([giver.user_id, anna.user_id])
    assert "https://meet.example.org/r1" in body(reminder)
    assert "14:00" in body(reminder) and "60 Minuten" in body(reminder)
    assert "verspätet" not in body(reminder)
    html = reminder["content"]["formatted_body"]
    assert f"https://matrix.to/#/{anna.user_id}" in html and "@room" not in body(reminder)
    bert = await world.user("bert", join=(world.programme,))
    await react(bert, world.programme, news)  # too late for that reminder: it is not sent again
    await settle(world, bert)
    assert len(await reminders_in_thread(anna, world, news)) == 1


async def test_dm_off_and_waitlist_preferences(world: World) -> None:
    app = await world.start_bot(reminders=[60, 15])
    giver = await world.user("giver", join=(world.programme,))
    anna, bert, carl, dora = [await world.user(n, join=(world.programme,)) for n in ("anna", "bert", "carl", "dora")]
    number, news = await offer(world, giver, seats=3, when=day(2, "10:00"))
    for user, choice in ((anna, "dm"), (bert, "aus")):
        sent = await user.send(world.programme, f"!erinnerung {choice}")
        await user.wait_reply(world.programme, sent, world.bot_id)
    for user in (anna, bert, carl, dora):  # dora is fourth: waiting list
        await react(user, world.programme, news)
    await settle(world, dora)
    start = app.store.get_session(number).starts_at

    world.clock.set(start - timedelta(minutes=60) + timedelta(seconds=1))
    first = await carl.wait_for(world.programme, is_reminder(news))
    assert mentions(first) == sorted([giver.user_id, carl.user_id])
    invite_room = await accept_direct_chat(anna)
    direct = await anna.wait_for(invite_room, lambda e: e["sender"] == world.bot_id and "Erinnerung" in body(e))
    assert "Session 1" in body(direct)

    world.clock.set(start - timedelta(minutes=15) + timedelta(seconds=1))
    last = await carl.wait_for(world.programme, lambda e: is_reminder(news)(e) and e["event_id"] != first["event_id"])
    assert mentions(last) == sorted([giver.user_id, carl.user_id, dora.user_id])
    assert "Warteliste" in body(last)
    second_dm = await anna.wait_for(
        invite_room,
        lambda e: e["sender"] == world.bot_id and "Erinnerung" in body(e) and e["event_id"] != direct["event_id"],
    )
    assert app.store.direct_room(anna.user_id) == invite_room and second_dm
    all_mentioned = {u for e in await reminders_in_thread(carl, world, news) for u in mentions(e)}
    assert bert.user_id not in all_mentioned and anna.user_id not in all_mentioned


async def test_missed_reminder_is_sent_late_or_skipped_once_begun(world: World) -> None:
    app = await world.start_bot(reminders=[60])
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    first, news_first = await offer(world, giver, title="Noch nicht begonnen", when=day(2, "10:00"))
    second, news_second = await offer(world, giver, title="Schon begonnen", when=day(2, "09:00"))
    for news in (news_first, news_second):
        await react(anna, world.programme, news)
    await settle(world, anna)
    start = app.store.get_session(first).starts_at
    await world.stop_bot(app)
    world.clock.set(start - timedelta(minutes=30))  # the 60-min reminder of both is missed; #2 began at 09:00

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger("kiwibot").addHandler(handler)
    try:
        app = await world.start_bot(reminders=[60])
        late = await anna.wait_for(world.programme, is_reminder(news_first))
        await settle(world, anna)
    finally:
        logging.getLogger("kiwibot").removeHandler(handler)
    assert "(verspätet)" in body(late)
    assert await reminders_in_thread(anna, world, news_second) == []
    assert [s for _, _, s in app.store.reminder_states(second)] == ["skipped"]
    assert any("skipped" in r.getMessage() and f"session {second}" in r.getMessage() for r in records)


async def test_moved_and_cancelled_sessions(world: World) -> None:
    app = await world.start_bot(reminders=[60])
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    moved, news_moved = await offer(world, giver, title="Wird verschoben", when=day(2, "10:00"))
    cancelled, news_cancelled = await offer(world, giver, title="Fällt aus", when=day(2, "10:00"))
    for news in (news_moved, news_cancelled):
        await react(anna, world.programme, news)
    old_start = app.store.get_session(moved).starts_at
    change = await giver.send(world.programme, f"!ändern {moved}\nTermin: {day(3, '10:00')}")
    await giver.wait_reply(world.programme, change, world.bot_id)
    cancel = await giver.send(world.programme, f"!absagen {cancelled}")
    await giver.wait_reply(world.programme, cancel, world.bot_id)

    world.clock.set(old_start - timedelta(minutes=59))  # old reminder time of both has passed
    await settle(world, anna)
    assert await reminders_in_thread(anna, world, news_moved) == []
    assert await reminders_in_thread(anna, world, news_cancelled) == []
    new_start = app.store.get_session(moved).starts_at
    world.clock.set(new_start - timedelta(minutes=59))
    reminder = await anna.wait_for(world.programme, is_reminder(news_moved))
    assert new_start.astimezone(world.config().timezone).strftime("%H:%M") in body(reminder)
    assert await reminders_in_thread(anna, world, news_cancelled) == []


async def test_sigkill_right_after_a_reminder_is_due_sends_it_exactly_once(world: World) -> None:
    """The real process, killed hard: the reminder row and the outbox make a restart resume, not repeat."""
    app = await world.start_bot(reminders=[15])
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer(world, giver)
    await react(anna, world.programme, news)
    await settle(world, anna)
    await world.stop_bot(app)

    # Move the session so that its 15-minute reminder falls due a few seconds after the bot starts.
    store = Store.open(world.tmp / "kiwibot.db")
    start = datetime.now(UTC) + timedelta(minutes=15, seconds=4)
    store.update_session(number, datetime.now(UTC), starts_at=start)
    store.plan_reminders(number, start, [(15, start - timedelta(minutes=15), "planned")], datetime.now(UTC))
    store.close()

    config = world.config_file(reminders=[15])
    first = await world.spawn_bot(config)
    try:
        await anna.wait_for(world.programme, is_reminder(news), within=60)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        second = await world.spawn_bot(config)
        try:
            await settle(world, anna)
            again = await anna.send(world.programme, "!ping")  # a second round trip after the restart
            await anna.wait_reply(world.programme, again, world.bot_id)
        finally:
            second.send_signal(signal.SIGTERM)
            await second.wait()
    finally:
        if first.returncode is None:
            first.kill()
    assert len(await reminders_in_thread(anna, world, news)) == 1
    check = Store.open(world.tmp / "kiwibot.db")
    assert [state for _, _, state in check.reminder_states(number) if state != "cancelled"] == ["sent"]
