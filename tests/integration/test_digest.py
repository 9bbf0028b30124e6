"""The daily digest against a real Synapse: content, empty days, once a day across restarts, on demand."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import User, body, react
from tests.integration.sessionkit import offer

pytestmark = pytest.mark.integration
BERLIN = ZoneInfo("Europe/Berlin")


def local(days_ahead: int, at: time) -> datetime:
    day = datetime.now(UTC).astimezone(BERLIN).date() + timedelta(days=days_ahead)
    return datetime.combine(day, at, tzinfo=BERLIN)


def is_digest(e: dict) -> bool:
    return "KIWI-Tagesprogramm" in body(e) and "m.relates_to" not in e["content"]


async def digests(user: User, world: World) -> list[dict]:
    return [e for e in await user.history(world.digest) if e["sender"] == world.bot_id and is_digest(e)]


async def settle_in_digest_room(world: World, user: User) -> None:
    ping = await user.send(world.digest, "!ping")
    await user.wait_reply(world.digest, ping, world.bot_id)


async def test_digest_lists_today_and_the_coming_days(world: World) -> None:
    world.clock.set(local(3, time(7, 59, 50)))
    await world.start_bot()
    giver = await world.user("giver", join=(world.programme, world.digest))
    anna = await world.user("anna", join=(world.programme,))
    d = local(3, time(0)).strftime("%d.%m.%Y")
    _, news = await offer(world, giver, title="Heute früh", when=f"{d} 10:00", seats=3)
    await react(anna, world.programme, news)
    later = local(5, time(0)).strftime("%d.%m.%Y")
    await offer(world, giver, title="Übermorgen dran", when=f"{later} 14:00")
    far = local(30, time(0)).strftime("%d.%m.%Y")
    await offer(world, giver, title="Viel später", when=f"{far} 14:00")
    ping = await anna.send(world.programme, "!ping")
    await anna.wait_reply(world.programme, ping, world.bot_id)
    assert await digests(giver, world) == []

    world.clock.set(local(3, time(8, 0, 1)))
    digest = await giver.wait_for(world.digest, lambda e: e["sender"] == world.bot_id and is_digest(e))
    text = body(digest).replace("\u2068", "").replace("\u2069", "")  # titles come isolated (RTL-safe)
    today, _, soon = text.partition("Demnächst")
    assert "Heute" in today and "10:00 Uhr · Heute früh (Impuls)" in today and "2 Plätze frei" in today
    assert "Übermorgen dran" in soon and "0 Teilnehmende" in soon
    assert "Viel später" not in text
    assert "https://matrix.to/#/" in digest["content"]["formatted_body"]
    assert digest["content"]["m.mentions"] == {}


async def test_empty_day_posts_a_short_line_only_when_configured(world: World) -> None:
    world.clock.set(local(40, time(8, 0, 5)))
    app = await world.start_bot(digest={"post_when_empty": True})
    giver = await world.user("giver", join=(world.digest,))
    line = await giver.wait_for(world.digest, lambda e: e["sender"] == world.bot_id and is_digest(e))
    assert "heute keine Sessions" in body(line)
    await world.stop_bot(app)

    world.clock.set(local(41, time(8, 0, 5)))
    app = await world.start_bot(digest={"post_when_empty": False})
    await settle_in_digest_room(world, giver)
    assert len(await digests(giver, world)) == 1
    assert app.store.digest_recorded(local(41, time(0)).date().isoformat())


async def test_digest_once_a_day_across_restarts(world: World) -> None:
    world.clock.set(local(50, time(9, 30)))  # restarted after 08:00 without having posted: posts once
    app = await world.start_bot(digest={"post_when_empty": True})
    giver = await world.user("giver", join=(world.digest,))
    first = await giver.wait_for(world.digest, lambda e: e["sender"] == world.bot_id and is_digest(e))
    await world.stop_bot(app)
    world.clock.shift(timedelta(minutes=5))
    app = await world.start_bot(digest={"post_when_empty": True})  # already posted: not again
    await settle_in_digest_room(world, giver)
    assert len(await digests(giver, world)) == 1
    world.clock.set(local(51, time(8, 0, 1)))  # the next morning: the next one
    await giver.wait_for(
        world.digest,
        lambda e: e["sender"] == world.bot_id and is_digest(e) and e["event_id"] != first["event_id"],
        within=30,
    )
    await settle_in_digest_room(world, giver)
    assert len(await digests(giver, world)) == 2


async def test_digest_on_demand_where_asked(world: World) -> None:
    await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    await offer(world, giver, title="Auf Abruf")
    ask = await giver.send(world.programme, "!tagesprogramm")
    reply = await giver.wait_reply(world.programme, ask, world.bot_id)
    assert "Auf Abruf" in body(reply) and "Demnächst" in body(reply)
    ask = await giver.send(world.programme, "!digest")
    assert "Auf Abruf" in body(await giver.wait_reply(world.programme, ask, world.bot_id))
