"""The Matrix adapter's own logic, offline: debounced post edits, what happens once a queued message is sent,
threads, reply fallbacks, reactions and redactions as signups, login, exactly-once sending.

The bot is the real one (built by `App`, real store, real core); its homeserver is `adapterkit.FakeServer`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiwibot.matrix import debounce
from kiwibot.matrix.debounce import Debounce
from kiwibot.matrix.outbox import Outbox
from kiwibot.matrix.posts import reply_relation
from kiwibot.storage import Store
from kiwibot.storage.times import iso
from tests.unit.adapterkit import (
    BOB,
    BOT,
    CAROL,
    DIGEST,
    NOW,
    ROOM,
    Bot,
    FakeServer,
    element_reply,
    in_thread,
    reaction,
    text,
)

DANA, EVE = "@dana:x", "@eve:x"


@pytest.fixture
def fast_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The debounce's rules at a hundredth of their times (the rules themselves are tested on given times)."""
    monkeypatch.setattr(debounce, "DEBOUNCE_SECONDS", 0.01)
    monkeypatch.setattr(debounce, "FIRST_LAG", 0.02)
    monkeypatch.setattr(debounce, "MAX_LAG", 0.3)


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def bot(tmp_path: Path, server: FakeServer, bots: list[Bot], fast_edits: None) -> Bot:
    started = Bot(tmp_path, server)
    bots.append(started)
    return started


# -- debounced edits: the rules on given times -------------------------------------------------------


def test_a_burst_of_changes_is_one_edit_once_the_post_was_quiet_for_a_second() -> None:
    dirty = Debounce()
    for n in range(50):
        dirty.touch(1, 100 + n / 100)  # 50 changes within half a second
    assert dirty.take_due(100.5) == []
    assert dirty.next_due() == pytest.approx(101.49)
    assert dirty.take_due(101.49) == [1]
    assert not dirty


def test_a_rush_is_edited_after_lags_that_double_up_to_thirty_seconds() -> None:
    dirty = Debounce()
    edits: list[float] = []
    for tenth in range(1201):  # two minutes with a change every half second: never quiet for a second
        now = tenth / 10
        if dirty and dirty.take_due(now):
            edits.append(now)
        if tenth % 5 == 0:
            dirty.touch("overview", now)
    gaps = [round(b - a, 1) for a, b in zip([0.0, *edits], edits, strict=False)]
    assert gaps == [2, 4, 8, 16, 30, 30, 30]  # 241 changes, 7 edits
    assert dirty.take_due(121.0) == ["overview"]  # the rush's last change
    dirty.touch("overview", 200.0)  # after a calm longer than the last lag: quick again
    assert dirty.next_due() == pytest.approx(201.0)


def test_posts_are_debounced_each_on_its_own() -> None:
    dirty = Debounce()
    dirty.touch(1, 0.0)
    dirty.touch(2, 0.5)
    assert dirty.take_due(1.0) == [1]
    assert dirty.take_due(1.4) == []
    assert dirty.take_due(1.5) == [2]


# -- debounced edits: the posts --------------------------------------------------------------------


async def test_a_burst_of_signups_edits_the_news_post_and_the_overview_once(bot: Bot, server: FakeServer) -> None:
    _, news = await bot.offer()
    await bot.settle()
    overview = bot.app.store.get_meta("overview_event")
    assert overview and server.edits_of(news) == [] and server.edits_of(overview) == []
    for n in range(12):
        await bot.react(f"@p{n}:x", news)
    assert server.edits_of(news) == []  # nothing edited while the burst goes on
    await bot.settle()
    [edit] = server.edits_of(news)
    assert "12 Teilnehmende" in edit["body"]
    [overview_edit] = server.edits_of(overview)
    assert "12 Teilnehmende" in overview_edit["body"]
    assert server.state[(ROOM, "m.room.pinned_events")] == {"pinned": [overview]}


async def test_a_post_that_shows_the_truth_already_is_not_edited(
    tmp_path: Path, bot: Bot, server: FakeServer, bots: list[Bot]
) -> None:
    _, news = await bot.offer()
    thumbs = await bot.react(CAROL, news)
    await bot.settle()
    await bot.redeliver(thumbs)  # a sync delivers it again: already handled
    await bot.settle()
    assert len(server.edits_of(news)) == 1
    await bot.close()
    bots.remove(bot)
    restarted = Bot(tmp_path, server)  # a restart looks at every post; the stored hashes say nothing changed
    bots.append(restarted)
    restarted.bot.posts.mark_all_dirty()
    await restarted.settle()
    assert len(server.edits_of(news)) == 1


async def test_a_deleted_news_post_is_never_edited_again(bot: Bot, server: FakeServer) -> None:
    _, news = await bot.offer()
    await bot.redact("@moderator:x", news)
    await bot.react(CAROL, news)
    await bot.settle()
    assert server.edits_of(news) == []
    assert bot.app.store.is_signed_up(1, CAROL)  # the signup itself still counts


async def test_a_deleted_overview_is_posted_anew(bot: Bot, server: FakeServer) -> None:
    await bot.offer()
    await bot.settle()
    first = bot.app.store.get_meta("overview_event")
    assert first
    await bot.redact("@moderator:x", first)
    await bot.settle()
    second = bot.app.store.get_meta("overview_event")
    assert second and second != first and server.edits_of(first) == []
    assert server.state[(ROOM, "m.room.pinned_events")] == {"pinned": [second]}


# -- once a queued message is sent ---------------------------------------------------------------------


async def test_the_sent_news_post_is_remembered_and_the_offer_is_confirmed_in_its_thread(
    bot: Bot, server: FakeServer
) -> None:
    offer = "!anbieten\nTitel: E-Akte\nTermin: 3.12.2026 14:00\nDauer: 60\nFormat: impuls"
    command = await bot.event(BOB, text(offer, **{"m.relates_to": in_thread("$root")}))
    session = bot.app.store.get_session(1)
    assert session is not None and session.news_event is None  # queued, not sent yet: no id to remember
    sent = await bot.deliver()
    confirmation, news = sent[:2]  # the answer first: it does not wait for the post (#15)
    session = bot.app.store.get_session(1)
    assert session is not None and (session.news_room, session.news_event) == (ROOM, news["event_id"])
    assert "KIWI-Session 1" in news["content"]["body"]
    # Once both are out, the answer is edited to link the post.
    assert "Nummer 1." in confirmation["content"]["body"] and "Link folgt" in confirmation["content"]["body"]
    assert confirmation["content"]["m.relates_to"] == reply_relation(command, "$root")
    [edit] = server.edits_of(confirmation["event_id"])
    assert news["event_id"] in edit["body"] and "m.relates_to" not in edit


async def test_a_reminder_counts_as_delivered_once_every_message_of_it_went_out(bot: Bot, server: FakeServer) -> None:
    number, news = await bot.offer()
    await bot.react(CAROL, news)
    await bot.react(DANA, news)
    bot.app.kiwi.set_reminder_pref(DANA, "dm")
    await bot.deliver()
    session = bot.app.store.get_session(number)
    assert session is not None
    bot.clock.moment = session.starts_at - timedelta(minutes=1439)  # the day-before reminder is due
    server.down = True
    _, remind = bot.bot.wakeups.jobs["reminders"]  # what the scheduler runs when it wakes up
    await remind()

    def state() -> str:
        return next(s for offset, _, s in bot.app.store.reminder_states(number) if offset == 1440)

    assert state() == "sending"  # queued, not sent: a crash now sends it after the restart
    server.down = False
    sent = await bot.deliver()
    assert state() == "sent"
    in_thread_of_news = [e["content"]["m.relates_to"] for e in sent if e["room_id"] == ROOM]
    assert in_thread_of_news and all(r["rel_type"] == "m.thread" and r["event_id"] == news for r in in_thread_of_news)
    assert server.created == [("!dm1:x", [DANA])]  # Dana's reminder opened her direct chat with the bot
    assert [e["room_id"] for e in sent if e["room_id"] != ROOM] == ["!dm1:x"]
    assert bot.app.store.direct_room(DANA) == "!dm1:x"


async def test_a_refused_reminder_message_does_not_keep_the_reminder_open(bot: Bot, server: FakeServer) -> None:
    number, news = await bot.offer()
    await bot.react(CAROL, news)
    session = bot.app.store.get_session(number)
    assert session is not None
    bot.clock.moment = session.starts_at - timedelta(minutes=1439)
    server.refuse.add(ROOM)  # the bot lost its right to write in the programme room
    _, remind = bot.bot.wakeups.jobs["reminders"]
    await remind()
    assert [s for offset, _, s in bot.app.store.reminder_states(number)] == ["sent", "planned"]
    assert not bot.app.store.pending_outbox()


async def test_the_digest_is_recorded_as_sent_once_it_is_posted(bot: Bot, server: FakeServer) -> None:
    await bot.offer()
    bot.clock.moment = bot.clock.moment.replace(day=2, month=12, hour=7, minute=30)  # 8:30 in Berlin
    server.down = True
    _, post_digest = bot.bot.wakeups.jobs["digest"]
    await post_digest()

    def state() -> str:
        return str(bot.app.store.db.execute("SELECT state FROM digests").fetchone()[0])

    assert state() == "sending"
    server.down = False
    [digest] = await bot.deliver()
    assert digest["room_id"] == DIGEST and "E-Akte" in digest["content"]["body"]
    assert state() == "sent"
    await post_digest()  # woken again the same day: nothing twice
    assert await bot.deliver() == []


def _old_session(store: Store, title: str, start: datetime, **columns: str) -> int:
    """A session as schema version 5 stored it (today's store writes columns that version does not have)."""
    names = ("giver", "title", "starts_at", "ends_at", "duration", "format", "created_at", "updated_at", *columns)
    values = (BOB, title, iso(start), iso(start + timedelta(minutes=60)), 60, "talk", iso(NOW), iso(NOW))
    cur = store.db.execute(
        f"INSERT INTO sessions ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        (*values, *columns.values()),
    )
    return int(cur.lastrowid or 0)


async def test_messages_queued_before_the_upgrade_are_delivered_and_followed_up(
    tmp_path: Path, server: FakeServer, bots: list[Bot], fast_edits: None
) -> None:
    """Queued by the kiwibot before typed purposes (schema version 5, purposes as strings), sent after the
    upgrade: the news post is remembered and confirmed, the reminder and the digest are recorded as sent."""
    old = Store.open(tmp_path / "k.db", target=5)
    start = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    announced = _old_session(old, "E-Akte", start, origin_room=ROOM, origin_event="$offer")
    reminded = _old_session(old, "Zwei", start, news_room=ROOM, news_event="$news2")
    old.plan_reminders(reminded, start, [(1440, start - timedelta(days=1), "planned")], NOW)
    old.set_reminder_state(reminded, 1440, start, "sending", NOW)
    old.record_digest("2026-11-21", NOW)
    reminder = f"reminder:{reminded}:1440:{start.isoformat()}"
    for room, purpose in (
        (ROOM, f"news:{announced}"),
        (ROOM, reminder),
        ("dm:" + CAROL, reminder),
        (DIGEST, "digest:2026-11-21"),
    ):
        old.db.execute(
            "INSERT INTO outbox (room_id, content, purpose, created_at) VALUES (?, ?, ?, 'then')",
            (room, json.dumps(text(purpose)), purpose),
        )
    old.close()

    bot = Bot(tmp_path, server)
    bots.append(bot)
    news, *reminders, digest, confirmation = await bot.deliver()  # the confirmation waited for the news post
    session = bot.app.store.get_session(announced)
    assert session is not None and session.news_event == news["event_id"]
    assert confirmation["content"]["m.relates_to"] == reply_relation("$offer", None)
    assert news["event_id"] in confirmation["content"]["body"]
    assert [e["room_id"] for e in (*reminders, digest)] == [ROOM, "!dm1:x", DIGEST]
    assert bot.app.store.reminder_states(reminded) == [(1440, start, "sent")]
    assert bot.app.store.db.execute("SELECT state FROM digests").fetchall() == [("sent",)]
    assert not bot.app.store.pending_outbox()


async def test_a_message_sent_before_a_crash_is_not_sent_twice(bot: Bot, server: FakeServer) -> None:
    await bot.event(BOB, text("!ping"))
    [item] = bot.app.store.pending_outbox()
    await bot.bot.client.room_send(item.room_id, item.event_type, item.content, tx_id=item.txn_id)  # then: crash
    assert await bot.deliver() == []  # sent again with the same transaction id: the homeserver de-duplicates
    assert len(server.sent()) == 1 and not bot.app.store.pending_outbox()


# -- threads and reply fallbacks -----------------------------------------------------------------------


async def test_answers_go_to_the_thread_the_command_was_written_in(bot: Bot) -> None:
    outside = await bot.event(BOB, text("!ping"))
    inside = await bot.event(BOB, text("!ping", **{"m.relates_to": in_thread("$root")}))
    first, second = await bot.deliver()
    assert first["content"]["m.relates_to"] == {"m.in_reply_to": {"event_id": outside}}
    assert second["content"]["m.relates_to"] == {
        "m.in_reply_to": {"event_id": inside},
        "rel_type": "m.thread",
        "event_id": "$root",
        "is_falling_back": False,
    }


async def test_a_command_in_a_rich_reply_runs_without_its_quoted_fallback(bot: Bot) -> None:
    hello = await bot.event(CAROL, text("Hallo zusammen"))
    command = await bot.event(BOB, element_reply(hello, CAROL, "!ping", "!ping"))
    await bot.event(BOB, text("> <@carol:x> !ping\n\nwie sie schrieb"))  # a quote, not a reply: chat
    [answer] = await bot.deliver()
    assert answer["content"]["m.relates_to"] == {"m.in_reply_to": {"event_id": command}}


# -- reactions and redactions as signups ---------------------------------------------------------------


@pytest.mark.parametrize("key", ["👍", "👍️", "👍🏽", "👍🏿"])
async def test_every_spelling_of_the_signup_reaction_signs_up(bot: Bot, key: str) -> None:
    number, news = await bot.offer()
    await bot.react(CAROL, news, key)
    assert bot.app.store.attendees(number) == [CAROL]


async def test_reactions_that_are_no_signup_are_ignored(bot: Bot, server: FakeServer) -> None:
    number, news = await bot.offer()
    chat = await bot.event(CAROL, text("Hallo"))
    await bot.react(CAROL, news, "🎉")  # another emoji
    await bot.react(DANA, chat)  # a 👍 on something that is no news post
    await bot.react(BOB, news)  # the giver's own
    await bot.bot.sync.on_event(ROOM, server.add(ROOM, BOT, "m.reaction", reaction(news)))  # the bot's own
    assert bot.app.store.attendees(number) == []


async def test_a_redaction_withdraws_exactly_the_signup_of_that_reaction(bot: Bot) -> None:
    number, news = await bot.offer()
    carols = await bot.react(CAROL, news)
    await bot.react(DANA, news)
    evas_first = await bot.react(EVE, news, "👍🏽")
    await bot.react(EVE, news, "👍")
    await bot.redeliver(carols)  # delivered twice: counted once
    assert bot.app.store.attendees(number) == [CAROL, DANA, EVE]
    await bot.redact(CAROL, carols)
    await bot.redact(EVE, evas_first)  # her other 👍 still stands
    await bot.redact(DANA, "$no-such-event")
    assert bot.app.store.attendees(number) == [DANA, EVE]
    await bot.react(CAROL, news)
    assert bot.app.store.attendees(number) == [DANA, EVE, CAROL]


async def test_reactions_missed_while_away_are_read_from_the_post(bot: Bot, server: FakeServer) -> None:
    number, news = await bot.offer()
    gone = await bot.react(CAROL, news)
    for sender, key in ((DANA, "👍🏽"), (EVE, "🎉"), (BOT, "👍")):  # none of these reached the bot
        server.add(ROOM, sender, "m.reaction", reaction(news, key))
    server.add(ROOM, CAROL, "m.room.redaction", {"redacts": gone})
    await bot.bot.sync.reconcile_signups()
    assert bot.app.store.attendees(number) == [DANA]


# -- login ---------------------------------------------------------------------------------------------


async def test_the_device_is_kept_across_restarts_and_a_refused_token_logs_in_again(
    tmp_path: Path, server: FakeServer, bots: list[Bot]
) -> None:
    first = Bot(tmp_path, server, encryption={"enabled": False})
    bots.append(first)
    await first.bot.login.login()
    device, token = first.app.store.get_meta("device_id"), first.app.store.get_meta("access_token")
    assert server.logins == 1 and device and token in server.tokens
    await first.close()
    bots.remove(first)

    again = Bot(tmp_path, server, encryption={"enabled": False})
    bots.append(again)
    await again.bot.login.login()  # the stored token still works: no new login, no new device
    assert server.logins == 1 and again.bot.client.device_id == device
    del server.tokens[token]  # the homeserver forgot it (e.g. an admin logged the device out)
    again.bot.login.token_refused()  # as the sync loop does when told M_UNKNOWN_TOKEN
    await again.close()
    bots.remove(again)

    third = Bot(tmp_path, server, encryption={"enabled": False})
    bots.append(third)
    await third.bot.login.login()  # no token left: the password, on the same device
    assert server.logins == 2 and third.bot.client.device_id == device
    assert third.app.store.get_meta("device_id") == device
    assert third.app.store.get_meta("access_token") in server.tokens


async def test_after_the_outbox_stopped_nothing_is_sent_and_what_is_queued_stays(bot: Bot, server: FakeServer) -> None:
    """At shutdown the store closes right after the outbox: a late `send_soon` (a scheduled reminder finishing)
    used to start a flush on the closed database."""
    await bot.event(BOB, text("!ping"))
    queued = len(bot.app.store.pending_outbox())
    assert queued == 1
    before = len(server.sent())
    await bot.bot.outbox.stop()
    Outbox.send_soon(bot.bot.outbox)  # the real one (the harness sends only when told)
    assert bot.bot.outbox._sender is None
    await bot.bot.outbox.flush()
    assert len(server.sent()) == before
    assert len(bot.app.store.pending_outbox()) == queued  # sent at the next start


async def test_commands_quoted_in_answers_use_the_configured_prefix(tmp_path: Path, server: FakeServer) -> None:
    """An operator's `command_prefix: "kw!"`: the answers must not tell people to write `!programm`."""
    from kiwibot import i18n

    try:
        bot = Bot(tmp_path, server, command_prefix="kw!")
        await bot.event(BOB, text("kw!absagen 99"))
        answer = bot.answers()[-1]["body"]
        assert "`kw!programm`" in answer and "`!programm`" not in answer, answer
        await bot.event(BOB, text("!absagen 99"))  # the default prefix is no command here
        assert len(bot.answers()) == 1
    finally:
        i18n.use_command_prefix("!")
        bot.app.store.close()
        bot.app.lock.release()


async def test_stopping_a_bot_whose_sync_never_ran_leaves_no_send_on_the_closed_store(
    tmp_path: Path, server: FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    """`App.stop` stops the outbox itself: only the sync task's end did, so a bot stopped before its sync ran (a
    failed start, a benchmark) closed the store under a running send."""
    bot = Bot(tmp_path, server)
    await bot.event(BOB, text("!ping"))
    Outbox.send_soon(bot.bot.outbox)  # the real one: a send under way when the bot stops
    await bot.app.stop()
    await asyncio.sleep(0.05)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.records
