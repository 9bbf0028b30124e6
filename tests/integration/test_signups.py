"""One-click signups against a real Synapse: reactions, redactions, commands, waitlists, bursts, restarts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from nio import AsyncClient

from kiwibot.matrix import sync
from kiwibot.storage import Store
from tests.integration.chatkit import command, direct_chat, from_bot
from tests.integration.conftest import World
from tests.integration.matrixkit import (
    User,
    body,
    current_content,
    in_thread_of,
    is_edit_of,
    mentions,
    react,
    redact,
)
from tests.integration.sessionkit import day, offer

pytestmark = pytest.mark.integration


async def wait_count(world: World, watcher: User, news: str, text: str) -> None:
    """Until the news post (after its newest edit) shows `text`."""
    await watcher.wait_for(
        world.programme, lambda e: is_edit_of(e, news) and text in e["content"]["m.new_content"]["body"], within=60
    )
    assert text in (await current_content(watcher, world.programme, news))["body"]


async def test_reaction_signs_up_and_redaction_signs_off(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer(world, giver)
    thumbs = await react(anna, world.programme, news)
    await wait_count(world, giver, news, "1 teilnehmende Person")
    assert app.store.attendees(number) == [anna.user_id]
    await redact(anna, world.programme, thumbs)
    await wait_count(world, giver, news, "0 Teilnehmende")
    assert app.store.attendees(number) == []


async def test_only_signup_reactions_on_news_posts_from_others_count(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer(world, giver)
    chat = await anna.send(world.programme, "Hallo")
    await react(anna, world.programme, news, "❤️")
    await react(anna, world.programme, chat, "👍")
    await react(giver, world.programme, news, "👍")
    first = await react(anna, world.programme, news, "👍")
    second = await react(anna, world.programme, news, "👍\ufe0f")
    await wait_count(world, giver, news, "1 teilnehmende Person")
    assert app.store.attendees(number) == [anna.user_id]
    await redact(anna, world.programme, first)
    marker = await anna.send(world.programme, "!ping")
    await anna.wait_reply(world.programme, marker, world.bot_id)
    assert app.store.attendees(number) == [anna.user_id], "one of two signup reactions is still there"
    await redact(anna, world.programme, second)
    await wait_count(world, giver, news, "0 Teilnehmende")


async def test_join_and_leave_by_command(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer(world, giver)
    sent = await anna.send(world.programme, f"!anmelden {number}")
    assert "angemeldet" in body(await anna.wait_reply(world.programme, sent, world.bot_id))
    again = await anna.send(world.programme, f"!join {number}")
    assert "schon angemeldet" in body(await anna.wait_reply(world.programme, again, world.bot_id))
    await wait_count(world, giver, news, "1 teilnehmende Person")
    own = await giver.send(world.programme, f"!anmelden {number}")
    assert "gibst du selbst" in body(await giver.wait_reply(world.programme, own, world.bot_id))
    gone = await anna.send(world.programme, f"!abmelden {number}")
    assert "abgemeldet" in body(await anna.wait_reply(world.programme, gone, world.bot_id))
    await wait_count(world, giver, news, "0 Teilnehmende")
    assert app.store.attendees(number) == []
    unknown = await anna.send(world.programme, "!anmelden 999")
    assert "999" in body(await anna.wait_reply(world.programme, unknown, world.bot_id))
    nonsense = await anna.send(world.programme, "!anmelden sieben")
    assert "sieben" in body(await anna.wait_reply(world.programme, nonsense, world.bot_id))


async def test_waitlist_order_promotion_and_lowered_seats(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    a, b, c, d = [await world.user(n, join=(world.programme,)) for n in ("a", "b", "c", "d")]
    number, news = await offer(world, giver, seats=2)
    for user in (a, b, c, d):
        sent = await user.send(world.programme, f"!anmelden {number}")
        reply = body(await user.wait_reply(world.programme, sent, world.bot_id))
    assert "Platz 2 der Warteliste" in reply
    await wait_count(world, giver, news, "2 Teilnehmende · 2 auf der Warteliste")

    left = await a.send(world.programme, f"!abmelden {number}")
    await a.wait_reply(world.programme, left, world.bot_id)
    promoted = await giver.wait_for(world.programme, lambda e: in_thread_of(e, news) and "frei geworden" in body(e))
    assert mentions(promoted) == [c.user_id]
    assert app.store.attendees(number) == [b.user_id, c.user_id, d.user_id]

    lower = await giver.send(world.programme, f"!ändern {number}\nPlätze: 1")
    await giver.wait_reply(world.programme, lower, world.bot_id)
    demoted = await giver.wait_for(world.programme, lambda e: in_thread_of(e, news) and "nur noch 1" in body(e))
    assert mentions(demoted) == [c.user_id]
    await wait_count(world, giver, news, "1 teilnehmende Person · 2 auf der Warteliste")


async def test_participants_list_for_giver_only_and_by_direct_message(world: World) -> None:
    await world.start_bot(roles={"patrons": []})
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer(world, giver, seats=1)
    await anna.send(world.programme, f"!anmelden {number}")
    await wait_count(world, giver, news, "1 teilnehmende Person")
    ask = await giver.send(world.programme, f"!teilnehmende {number}")
    note = body(await giver.wait_reply(world.programme, ask, world.bot_id))
    assert "habe ich dir per Direktnachricht geschickt" in note and anna.user_id not in note
    assert all(anna.user_id not in body(e) for e in giver.events[world.programme] if e.get("sender") == world.bot_id)
    giver_dm = await direct_chat(giver)
    listed = body(await giver.wait_for(giver_dm, from_bot(world, f"Teilnehmende von Session {number}")))
    assert anna.user_id in listed and "1." in listed
    again = await command(world, giver, f"!teilnehmende {number}", room=giver_dm)  # in the direct chat: right there
    assert anna.user_id in again
    nosy = await anna.send(world.programme, f"!participants {number}")
    assert "Session-Geber:in" in body(await anna.wait_reply(world.programme, nosy, world.bot_id))


async def test_a_bad_item_in_a_number_list_does_not_stop_the_others(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    first, _ = await offer(world, giver, title="Erste", when=day(3, "10:00"))
    second, _ = await offer(world, giver, title="Zweite", when=day(4, "10:00"))
    reply = await command(world, anna, f"!anmelden #{first}, {second} und W7")
    assert "Erste" in reply and "Zweite" in reply and "„W7“ ist die Nummer eines Themenwunsches" in reply, reply
    assert "So funktioniert der Befehl" not in reply
    assert app.store.attendees(first) == [anna.user_id] and app.store.attendees(second) == [anna.user_id]
    reply = await command(world, anna, f"!abmelden {first} und {second} bitte")
    assert reply.count("abgemeldet") == 2, reply
    assert app.store.attendees(first) == [] and app.store.attendees(second) == []


async def test_burst_of_fifty_then_ten_leave_across_a_restart(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    number, news = await offer(world, giver)
    people = await asyncio.gather(*(world.user(f"p{i}", join=(world.programme,)) for i in range(50)))
    reactions = await asyncio.gather(*(react(p, world.programme, news) for p in people))
    await wait_count(world, giver, news, "50 Teilnehmende")
    assert len(app.store.attendees(number)) == 50
    edits = [e for e in giver.events[world.programme] if is_edit_of(e, news)]
    assert len(edits) <= 8, f"{len(edits)} edits for one burst"

    await world.stop_bot(app)
    app = await world.start_bot()
    await asyncio.gather(*(redact(p, world.programme, r) for p, r in zip(people[:10], reactions[:10], strict=True)))
    await wait_count(world, giver, news, "40 Teilnehmende")
    assert sorted(app.store.attendees(number)) == sorted(p.user_id for p in people[10:])


async def test_reactions_and_redactions_while_the_bot_is_stopped(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    number, news = await offer(world, giver)
    people = await asyncio.gather(*(world.user(f"q{i}", join=(world.programme,)) for i in range(30)))
    await world.stop_bot(app)
    reactions = await asyncio.gather(*(react(p, world.programme, news) for p in people))
    for p, r in zip(people[:10], reactions[:10], strict=True):
        await redact(p, world.programme, r)
    for n in range(100):  # push the reactions out of one sync's timeline
        await world.host.send(world.programme, f"Plauderei {n}")
    app = await world.start_bot()
    await wait_count(world, giver, news, "20 Teilnehmende")
    assert sorted(app.store.attendees(number)) == sorted(p.user_id for p in people[10:])


async def test_a_lost_sync_token_loses_no_signup(world: World) -> None:
    """Start-up reconciliation reads the reactions with /relations and repairs the difference."""
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    number, news = await offer(world, giver)
    people = await asyncio.gather(*(world.user(f"r{i}", join=(world.programme,)) for i in range(6)))
    reactions = await asyncio.gather(*(react(p, world.programme, news) for p in people[:4]))
    await wait_count(world, giver, news, "4 Teilnehmende")
    await world.stop_bot(app)

    await asyncio.gather(*(react(p, world.programme, news) for p in people[4:]))
    await redact(people[0], world.programme, reactions[0])
    for n in range(110):  # beyond what a fresh sync shows
        await world.host.send(world.programme, f"Plauderei {n}")
    store = Store.open(world.tmp / "kiwibot.db")
    store.set_meta("sync_token", "")
    # Also blind the read-back after a gap, so only the reconciliation can find the missed reactions.
    store.set_meta("last_event_ts", str(int((datetime.now(UTC) + timedelta(hours=1)).timestamp() * 1000)))
    store.close()

    app = await world.start_bot()
    await wait_count(world, giver, news, "5 Teilnehmende")
    assert sorted(app.store.attendees(number)) == sorted(p.user_id for p in people[1:])


async def test_a_gap_longer_than_the_read_back_loses_no_signup(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the sync position kept, only a gap the read-back cannot close makes the bot ask the posts."""
    monkeypatch.setattr(sync, "BACKFILL_PAGES", 1)
    monkeypatch.setattr(sync, "BACKFILL_PAGE", 20)
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    number, news = await offer(world, giver)
    people = await asyncio.gather(*(world.user(f"g{i}", join=(world.programme,)) for i in range(5)))
    reactions = await asyncio.gather(*(react(p, world.programme, news) for p in people[:3]))
    await wait_count(world, giver, news, "3 Teilnehmende")
    await world.stop_bot(app)

    await asyncio.gather(*(react(p, world.programme, news) for p in people[3:]))
    await redact(people[0], world.programme, reactions[0])
    for n in range(130):  # more than one sync (100) and the read-back (one page of 20) show
        await world.host.send(world.programme, f"Plauderei {n}")
    app = await world.start_bot()
    await wait_count(world, giver, news, "4 Teilnehmende")
    assert sorted(app.store.attendees(number)) == sorted(p.user_id for p in people[1:])


async def test_a_restart_with_the_sync_position_asks_no_post(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading every upcoming post's reactions at each start would take minutes with years of programme."""
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    number, news = await offer(world, giver)
    anna = await world.user("anna", join=(world.programme,))
    await react(anna, world.programme, news)
    await wait_count(world, giver, news, "1 teilnehmende Person")
    await world.stop_bot(app)
    asked: list[str] = []
    original = AsyncClient.room_get_event_relations

    def counting(self: AsyncClient, room_id: str, event_id: str, *args: object, **kwargs: object) -> object:
        asked.append(event_id)
        return original(self, room_id, event_id, *args, **kwargs)

    monkeypatch.setattr(AsyncClient, "room_get_event_relations", counting)
    bert = await world.user("bert", join=(world.programme,))
    await react(bert, world.programme, news)
    app = await world.start_bot()
    await wait_count(world, giver, news, "2 Teilnehmende")
    assert asked == []
    assert sorted(app.store.attendees(number)) == sorted([anna.user_id, bert.user_id])


async def test_commands_sent_while_stopped_are_answered_among_reactions(world: World) -> None:
    """Repairing signups from the posts must not make the read-back stop early at a repaired reaction."""
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    _, news = await offer(world, giver)
    anna = await world.user("anna", join=(world.programme,))
    bert = await world.user("bert", join=(world.programme,))
    await world.stop_bot(app)
    ping = await anna.send(world.programme, "!ping")
    await react(bert, world.programme, news)
    for n in range(110):  # beyond what one sync shows: the ping and the reaction must be read back
        await world.host.send(world.programme, f"Plauderei {n}")
    app = await world.start_bot()
    await anna.wait_reply(world.programme, ping, world.bot_id, within=60)
    await wait_count(world, giver, news, "1 teilnehmende Person")
