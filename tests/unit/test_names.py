"""How the web side names people (`matrix/names.py`), offline: names the rooms do not know are asked of the profile
API in the background and used from then on, a name that moves makes kept pages and feeds stale (only where they
named that person), a mistyped account is told from a person, and the memory is bounded and expires."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from nio import MatrixRoom, ProfileGetError, ProfileGetResponse, RoomMemberEvent, SyncResponse

from kiwibot.matrix import names as names_module
from kiwibot.matrix.names import Names
from kiwibot.storage import Store
from kiwibot.web.feeds import Feeds
from kiwibot.web.ical import IcalRenderer
from tests.unit.adapterkit import BOB, OFFER, Bot, FakeClient, FakeServer, text
from tests.unit.test_calendar import BASE, BERLIN, NOW, Clock, calendars, events, offer
from tests.unit.webkit import ME, Site, http

BEN, CEM, TYPO = "@ben:x", "@cem:x", "@bne:x"


class Timer:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def server() -> FakeServer:
    return FakeServer(profiles={BEN: "Ben Beispiel", CEM: "Cem Kaya"}, missing={TYPO})


async def settled(names: Names) -> None:
    """Until the background lookups are done."""
    for _ in range(100):
        await asyncio.sleep(0)
        if names._worker is None or names._worker.done():
            return
    raise AssertionError("the lookups did not finish")


def member(user: str, name: str | None, membership: str = "join") -> RoomMemberEvent:
    content: dict[str, object] = {"membership": membership, **({"displayname": name} if name else {})}
    source = {"type": "m.room.member", "event_id": "$m", "sender": user, "state_key": user, "content": content}
    source["origin_server_ts"] = 1
    event = RoomMemberEvent.from_dict(source)
    assert isinstance(event, RoomMemberEvent)
    return event


async def test_a_name_the_rooms_do_not_know_is_asked_in_the_background_and_used_from_then_on() -> None:
    client = FakeClient(server())
    asked: list[str | None] = []
    profile = client.get_profile

    async def counted(user_id: str | None = None) -> object:
        asked.append(user_id)
        return await profile(user_id)

    client.get_profile = counted  # type: ignore[method-assign]
    names = Names(client)
    assert names(BEN) == "ben" and names(BEN) == "ben"  # the page never waits: the local part until the answer
    await settled(names)
    assert names(BEN) == "Ben Beispiel" and asked == [BEN]  # asked once, known from then on
    assert names.version == 1 and names.changed_since(0, [BEN]) and not names.changed_since(0, [CEM])
    assert not names.changed_since(1, [BEN])
    room = MatrixRoom("!r:x", "@bot:x")
    room.add_member(CEM, "Cem im Raum", None)
    client.rooms["!r:x"] = room
    assert names(CEM) == "Cem im Raum" and asked == [BEN]  # what a room knows needs no lookup
    await names.close()


def test_without_a_running_loop_nobody_is_asked() -> None:
    names = Names(FakeClient(server()))
    assert names(BEN) == "ben" and names._worker is None


async def test_only_a_name_given_out_that_would_now_be_another_moves_the_version() -> None:
    client = FakeClient(server())
    names = Names(client)
    await names.check([CEM])  # looked up before a command ran: nothing was built with Cem's name yet
    assert names(CEM) == "Cem Kaya" and names.version == 0
    room = MatrixRoom("!r:x", "@bot:x")
    client.rooms["!r:x"] = room
    room.add_member(CEM, "Cem Neu", None)  # nio applies the member event to the room, then calls back
    await names.on_member(room, member(CEM, "Cem Neu"))
    assert names.version == 1 and names.changed_since(0, [CEM])
    assert names(CEM) == "Cem Neu"
    await names.on_member(room, member(CEM, "Cem Neu"))  # the same name again: nothing is stale
    assert names.version == 1
    room.remove_member(CEM)  # leaving keeps the name last seen
    await names.on_member(room, member(CEM, None, "leave"))
    assert names(CEM) == "Cem Neu" and names.version == 1
    await names.on_member(room, member("@dia:x", "Dia"))  # never named anywhere: nothing to rebuild
    assert names.version == 1


async def test_a_mistyped_account_is_missing_and_one_that_could_not_be_asked_is_not() -> None:
    fake = server()
    names = Names(FakeClient(fake))
    await names.check([TYPO, BEN, TYPO])
    assert names.missing(TYPO) and not names.missing(BEN)
    assert names(TYPO) == "bne"
    fake.down = True

    async def unreachable(user_id: str | None = None) -> object:
        raise TimeoutError

    names.client.get_profile = unreachable  # type: ignore[method-assign]
    await names.check(["@eva:x"])
    assert not names.missing("@eva:x")  # unknown is no reason to refuse anyone


async def test_the_memory_is_bounded() -> None:
    names = Names(FakeClient(server()), size=2)
    for user in (BEN, CEM, "@dia:x"):
        names(user)
    await settled(names)
    assert names.version == 2  # Ben's and Cem's names arrived; Dia has none
    assert len(names._known) <= 2 and len(names._served) <= 2 and len(names._changes) <= 2
    # Ben's name given out (at version 0) was forgotten: what was built at version 0 is stale, whoever it names …
    assert names.changed_since(0, ["@someone:x"]) and not names.changed_since(1, ["@someone:x"])
    # … and the version moved since: a name that moves now concerns nothing kept, however many do.
    for n in range(5):
        await names.on_member(MatrixRoom("!r:x", "@bot:x"), member(f"@eva{n}:x", "Eva"))
    assert names.version == 2
    await names.close()


async def test_a_forgotten_name_moves_the_version_once_not_for_every_member_event_after() -> None:
    names = Names(FakeClient(FakeServer(profiles={})), size=1)
    names(BEN), names(CEM)  # Ben's name given out at version 0 is forgotten at once
    await settled(names)
    # Ben's answer came when what named him was forgotten: it moved the version once (what was built at 0 is
    # built again, naming Cem is stale with it) …
    assert names.version == 1 and names.changed_since(0, [CEM])
    room = MatrixRoom("!r:x", "@bot:x")
    for n in range(5):  # … and then no more: nothing kept was built before that
        await names.on_member(room, member(f"@eva{n}:x", "Eva"))
    assert names.version == 1  # old code: 6, every kept page built again each time
    await names.close()


async def test_an_answer_expires_and_the_old_name_is_shown_until_the_new_one_comes() -> None:
    fake, timer = server(), Timer()
    names = Names(FakeClient(fake), timer=timer)
    names(BEN)
    await settled(names)
    fake.profiles[BEN] = "Ben Umbenannt"  # renamed where the bot shares no room: learnt once the answer expires
    timer.now += names_module.ANSWER_TTL - 1
    assert names(BEN) == "Ben Beispiel"
    await settled(names)
    timer.now += 2
    assert names(BEN) == "Ben Beispiel"  # asked again; meanwhile the name last known
    await settled(names)
    assert names(BEN) == "Ben Umbenannt" and names.version == 2
    await names.close()


async def test_a_name_learnt_later_reaches_the_feeds_rendering_only_the_events_that_name_them() -> None:
    store, clock = Store.open(":memory:"), Clock(NOW)
    names = Names(FakeClient(server()))
    rendered: list[int] = []

    class Counting(IcalRenderer):
        def event(self, entry, language, waiting=False, *moved):  # type: ignore[no-untyped-def]
            rendered.append(entry.session.id)
            return super().event(entry, language, waiting, *moved)

    with_ben = offer(store, "Mit Ben")
    store.set_cogivers(with_ben, [BEN], "@gabi:x", NOW)
    for n in range(5):
        offer(store, f"Ohne {n}", days=4 + n)
    feeds = Feeds(calendars(store, clock), Counting(BERLIN, BASE, lambda r, e: "", names), clock, "de", names=names)
    first = await feeds.programme("de")
    assert "mit ben" in str(events(first.data)["Mit Ben"]["DESCRIPTION"])
    assert await feeds.programme("de") is first  # nothing moved: kept
    await settled(names)
    rendered.clear()
    again = await feeds.programme("de")
    assert "mit Ben Beispiel" in str(events(again.data)["Mit Ben"]["DESCRIPTION"])
    assert rendered == [with_ben]  # one event rendered again, not six
    fresh = Feeds(calendars(store, clock), IcalRenderer(BERLIN, BASE, lambda r, e: "", names), clock, "de")
    assert again.data == (await fresh.programme("de")).data
    await names.close()


def test_a_kept_page_is_rendered_again_once_a_name_on_it_moved(tmp_path: Path) -> None:
    site = Site.start(tmp_path)
    try:
        assert "Mia Muster" in http(site.page()).text
        site.people.rename(ME, "Mia Neu")
        page = http(site.page()).text
        assert "Mia Neu" in page and "Mia Muster" not in page
    finally:
        site.stop()


def test_nio_warns_no_more_about_error_answers_but_still_about_malformed_success(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A profile lookup of an account that does not exist is handled (and logged at INFO) by `Names`: nio's own
    warning for every such error answer was noise in the operator's log."""
    import kiwibot.matrix.network  # noqa: F401  (installs the filter, as the bot does)

    with caplog.at_level(logging.INFO):
        error = ProfileGetResponse.from_dict({"errcode": "M_UNKNOWN", "error": "No row found (profiles)"})
        assert isinstance(error, ProfileGetError)
        assert not [r for r in caplog.records if r.name == "nio.responses"]
        ProfileGetResponse.from_dict({"displayname": 5})  # a success answer of the wrong shape
        assert [r.levelname for r in caplog.records if r.name == "nio.responses"] == ["WARNING"]


class Flaky(FakeClient):
    """A homeserver the bot cannot ask yet (not logged in, unreachable) until `up`; `error` is what it raises."""

    def __init__(self, server: FakeServer, error: Exception) -> None:
        super().__init__(server)
        self.up = False
        self.error = error
        self.asked: list[str | None] = []

    async def get_profile(self, user_id: str | None = None) -> ProfileGetResponse | ProfileGetError:
        self.asked.append(user_id)
        if not self.up:
            raise self.error
        return await super().get_profile(user_id)


async def test_a_failed_lookup_of_someone_given_out_is_asked_again_and_the_name_then_reaches_kept_output(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The programme feed is warmed at start, before the login: its lookups fail, and a kept feed is not rendered
    again on its own. Before, Ben stayed "ben" until his session changed."""
    monkeypatch.setattr(names_module, "RETRY_AFTER", 0.05)
    client = Flaky(server(), TimeoutError())
    names = Names(client)
    assert names(BEN) == "ben"
    await settled(names)
    assert names.version == 0 and client.asked == [BEN]
    assert names(BEN) == "ben" and client.asked == [BEN]  # not again at once
    client.up = True
    for _ in range(50):
        await asyncio.sleep(0.02)
        if names.version:
            break
    assert names.version == 1 and names.changed_since(0, [BEN]) and names(BEN) == "Ben Beispiel"
    assert client.asked == [BEN, BEN]  # asked once more, once
    await names.check([CEM])  # failed before a command but never given out: not asked again on its own
    await names.close()


async def test_any_error_of_a_lookup_is_not_said_and_logged_without_its_text(caplog: pytest.LogCaptureFixture) -> None:
    """A proxy's HTML where JSON was expected: nio raises a ValueError. Before, it escaped `check` and the command
    was neither run nor answered."""
    client = Flaky(server(), ValueError("secret body text"))
    names = Names(client)
    with caplog.at_level(logging.INFO, logger="kiwibot.matrix.names"):
        await names.check([BEN])
    assert not names.missing(BEN) and BEN in names._failed
    assert [r.levelname for r in caplog.records] == ["INFO"] and "secret" not in caplog.text
    assert "ValueError" in caplog.text
    await names.close()


async def test_a_command_runs_when_a_lookup_of_the_people_it_names_raises(tmp_path: Path) -> None:
    bot = Bot(tmp_path, FakeServer())
    bot.app.names.client = Flaky(bot.server, ValueError("no JSON"))
    try:
        command = await bot.event(BOB, text(OFFER.format(minutes=60) + "\nCo-Geber:in: @carol:x"))
        record = bot.app.store.command(command)
        assert record is not None and record.session_id is not None  # handled: offered, answered, Carol told
        assert any("Co-Geber:in von Session 1" in answer["body"] for answer in bot.answers())
    finally:
        await bot.app.names.close()
        await bot.close()


async def test_someone_a_room_lists_is_never_missing_even_without_a_name() -> None:
    """Synapse answers 404 "Profile was not found" for an account with no display name and no picture: a member
    of the programme room would be refused as a mistyped co-giver."""
    fake = FakeServer(missing={TYPO, "@nameless:x"})
    client = FakeClient(fake)
    names = Names(client)
    await names.check([TYPO, "@nameless:x"])
    assert names.missing(TYPO) and names.missing("@nameless:x")
    room = MatrixRoom("!r:x", "@bot:x")
    room.add_member("@nameless:x", None, None)  # in the room, with no display name
    client.rooms["!r:x"] = room
    assert not names.missing("@nameless:x") and names.missing(TYPO)
    fresh = Names(client)
    await fresh.check(["@nameless:x"])
    assert not fresh.missing("@nameless:x") and "@nameless:x" not in fresh._known  # not even asked


async def test_lookups_still_queued_when_the_worker_died_are_made_when_named_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(names_module, "BATCH", 1)
    names = Names(FakeClient(server()))

    async def broken(user_id: str) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(names, "_lookup", broken)
    names(BEN), names(CEM)
    await settled(names)  # died on Ben; Cem was still queued
    monkeypatch.undo()
    names(CEM)
    await settled(names)
    assert names(CEM) == "Cem Kaya"
    await names.close()


async def test_leaving_keeps_the_name_the_room_gave() -> None:
    client = FakeClient(server())
    names = Names(client)
    room = MatrixRoom("!r:x", "@bot:x")
    room.add_member(CEM, "Cem im Raum", None)  # learnt from a sync's state: no member callback
    client.rooms["!r:x"] = room
    assert names(CEM) == "Cem im Raum"
    room.remove_member(CEM)
    await names.on_member(room, member(CEM, None, "leave"))
    assert names(CEM) == "Cem im Raum" and names.version == 0  # before: "cem", then the profile's name
    await names.close()


def sync_with_state(room_id: str, *events: RoomMemberEvent) -> SyncResponse:
    state = {"events": [event.source for event in events]}
    rooms = {"join": {room_id: {"state": state, "timeline": {"events": [], "limited": False}}}}
    response = SyncResponse.from_dict({"next_batch": "s1", "rooms": rooms})
    assert isinstance(response, SyncResponse), response
    return response


async def test_a_name_learnt_from_a_syncs_state_moves_the_version() -> None:
    """nio applies a sync's `state` section (the first sync, lazy-loaded members) without calling back."""
    client = FakeClient(FakeServer(profiles={BEN: None}))
    names = Names(client)
    assert names(BEN) == "ben"
    await settled(names)
    response = sync_with_state("!r:x", member(BEN, "Ben im Raum"))
    await client.receive_response(response)
    assert names.known(BEN) == "Ben im Raum" and names.version == 0  # no callback came
    await names.synced(response)
    assert names.version == 1 and names.changed_since(0, [BEN]) and names(BEN) == "Ben im Raum"
    await names.synced(response)  # given out as it is now: nothing moved
    assert names.version == 1
    await names.close()
