"""Encrypted rooms and direct chats against the real Synapse, with nio users that encrypt and decrypt."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from kiwibot.check import check
from kiwibot.matrix.crypto import store_file, store_path
from tests.integration.conftest import World
from tests.integration.e2ekit import CryptoUser, crypto_user, encrypt_room, send_before_key
from tests.integration.matrixkit import _get_json, body, in_thread_of, is_edit_of, membership
from tests.integration.sessionkit import day, offer, offer_text

pytestmark = pytest.mark.integration


async def until(condition: Callable[[], bool], within: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {within} s")
        await asyncio.sleep(0.1)


async def until_async(user: CryptoUser, condition: Callable[[], bool], what: str, within: float = 30) -> None:
    """Sync the user until `condition` holds."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {within} s")
        await user.sync_once(timeout_ms=500)


async def wire_type(user: CryptoUser, room_id: str, event_id: str) -> str:
    """The event as the server stores it (nio on the user side shows it decrypted)."""
    raw = await _get_json(user, f"/_matrix/client/v3/rooms/{room_id}/event/{event_id}")
    return str(raw.get("type"))


async def open_dm(world: World, user: CryptoUser) -> str:
    """The person opens an encrypted direct chat with the bot, as Element does by default."""
    room = await user.create_encrypted_room("KIWI", invite=[world.bot_id], direct=True)
    await user.wait_for(room, membership(world.bot_id, "join"))
    return room


async def react_encrypted(user: CryptoUser, room_id: str, event_id: str, key: str = "👍") -> str:
    """An encrypted reaction as Element sends it (nio's room_send leaves reactions unencrypted)."""
    client = user.client
    room = client.rooms[room_id]
    if not room.members_synced:
        await client.joined_members(room_id)
    if client.should_query_keys:
        await client.keys_query()
    assert client.olm is not None
    if client.olm.should_share_group_session(room_id):
        await client.share_group_session(room_id, ignore_unverified_devices=True)
    relates = {"rel_type": "m.annotation", "event_id": event_id, "key": key}
    event_type, content = client.encrypt(room_id, "m.reaction", {"m.relates_to": relates})
    return await user.send_raw(room_id, event_type, content)


async def ping(world: World, user: CryptoUser, room: str) -> dict:
    sent = await user.send(room, "!ping")
    return await user.wait_reply(room, sent, world.bot_id)


async def test_offer_in_encrypted_dm_reaction_signup_and_redaction(world: World) -> None:
    await encrypt_room(world, world.programme)
    app = await world.start_bot()
    assert app.bot.crypto.active
    giver = await crypto_user(world, "giver", join=(world.programme,))
    anna = await crypto_user(world, "anna", join=(world.programme,))
    dm = await open_dm(world, giver)

    number, news = await offer(world, giver, room=dm, title="Verschlüsselt anbieten")
    confirmation = giver.events[dm][-1]
    assert await wire_type(giver, dm, confirmation["event_id"]) == "m.room.encrypted"
    post = await anna.wait_for(world.programme, lambda e: e.get("event_id") == news)
    assert post["type"] == "m.room.message" and "Verschlüsselt anbieten" in body(post)
    assert await wire_type(anna, world.programme, news) == "m.room.encrypted"

    reaction = await react_encrypted(anna, world.programme, news)
    assert await wire_type(anna, world.programme, reaction) == "m.room.encrypted"
    await until(lambda: app.store.is_signed_up(number, anna.user_id), what="signup by encrypted reaction")
    edit = await anna.wait_for(world.programme, lambda e: is_edit_of(e, news) and "1 teilnehmende Person" in str(e))
    assert await wire_type(anna, world.programme, edit["event_id"]) == "m.room.encrypted"

    await anna.client.room_redact(world.programme, reaction)
    await until(lambda: not app.store.is_signed_up(number, anna.user_id), what="sign-off by redaction")
    reply = await ping(world, anna, world.programme)  # commands in the encrypted room are read and answered
    assert "pong" in body(reply).lower() or body(reply)


async def test_reminders_in_encrypted_thread_and_encrypted_dm(world: World) -> None:
    await encrypt_room(world, world.programme)
    app = await world.start_bot(reminders=[60])
    giver = await crypto_user(world, "giver", join=(world.programme,))
    anna = await crypto_user(world, "anna", join=(world.programme,))
    dm = await open_dm(world, anna)
    choice = await anna.send(dm, "!erinnerung dm")
    await anna.wait_reply(dm, choice, world.bot_id)
    number, news = await offer(world, giver, when=day(2, "10:00"))
    await react_encrypted(anna, world.programme, news)
    await until(lambda: app.store.is_signed_up(number, anna.user_id), what="signup")

    session = app.store.get_session(number)
    assert session is not None
    world.clock.set(session.starts_at - timedelta(minutes=60) + timedelta(seconds=1))
    direct = await anna.wait_for(dm, lambda e: e.get("sender") == world.bot_id and "Erinnerung" in body(e))
    assert f"Session {number}" in body(direct)
    assert await wire_type(anna, dm, direct["event_id"]) == "m.room.encrypted"
    thread = await giver.wait_for(world.programme, lambda e: in_thread_of(e, news) and "Erinnerung" in body(e))
    assert await wire_type(giver, world.programme, thread["event_id"]) == "m.room.encrypted"


async def test_restart_keeps_the_device_and_still_decrypts(world: World) -> None:
    await encrypt_room(world, world.programme)
    app = await world.start_bot()
    anna = await crypto_user(world, "anna", join=(world.programme,))
    await ping(world, anna, world.programme)
    device = app.store.get_meta("device_id")
    identity = app.bot.client.olm.account.identity_keys["ed25519"]
    assert device and store_file(app.config, device).exists()
    await world.stop_bot(app)

    again = await world.start_bot()
    assert again.store.get_meta("device_id") == device == again.bot.client.device_id
    assert again.bot.client.olm.account.identity_keys["ed25519"] == identity
    assert [p.name for p in store_path(again.config).glob("*.db")] == [store_file(again.config, device).name]
    await ping(world, anna, world.programme)


async def test_undecryptable_event_is_logged_keys_requested_and_handled_when_keys_arrive(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await encrypt_room(world, world.programme)
    app = await world.start_bot()
    anna = await crypto_user(world, "anna", join=(world.programme,))
    await ping(world, anna, world.programme)  # the bot knows anna's room key from here on

    caplog.set_level(logging.INFO, logger="kiwibot")
    client = anna.client
    sent, session_id = await send_before_key(anna, world.programme, "!ping")

    def logged() -> bool:
        return any(
            sent in r.getMessage() and anna.user_id in r.getMessage() and world.programme in r.getMessage()
            for r in caplog.records
            if r.levelno >= logging.WARNING
        )

    await until(logged, what="a log line naming the event, sender and room")
    assert session_id in app.bot.client.outgoing_key_requests  # asked for the keys

    await client.share_group_session(world.programme, ignore_unverified_devices=True)  # the key arrives late
    await anna.wait_reply(world.programme, sent, world.bot_id)
    assert any("decrypted after its keys arrived" in r.getMessage() for r in caplog.records)


async def test_lost_crypto_store_is_reported_and_the_bot_goes_on_as_a_new_device(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await encrypt_room(world, world.programme)
    app = await world.start_bot()
    anna = await crypto_user(world, "anna", join=(world.programme,))
    await ping(world, anna, world.programme)
    old = app.store.get_meta("device_id")
    assert old
    await world.stop_bot(app)
    store_file(app.config, old).unlink()

    report = await check(world.config())
    assert not report.ok and any(not ok and "crypto store" in text for ok, text in report.lines), report.render()

    caplog.set_level(logging.INFO, logger="kiwibot")
    again = await world.start_bot()
    assert any("ENCRYPTION" in r.getMessage() and old in r.getMessage() for r in caplog.records)
    new = again.store.get_meta("device_id")
    assert new and new != old and again.bot.crypto.active
    # Anna's client learns of the new device and starts a room-key session that includes it (Element shares
    # its current one with new devices; the nio test client needs to be told).
    await until_async(anna, lambda: new in anna.client.device_store[world.bot_id], "anna knows the new device")
    anna.client.invalidate_outbound_session(world.programme)
    await ping(world, anna, world.programme)
    assert (await check(world.config())).ok


async def test_encryption_disabled_behaves_as_before(world: World) -> None:
    app = await world.start_bot(encryption={"enabled": False})
    assert not app.bot.crypto.active
    giver = await crypto_user(world, "giver", join=(world.programme,))
    sent = await giver.send(world.programme, offer_text())
    await giver.wait_reply(world.programme, sent, world.bot_id)
    assert not store_path(app.config).exists()
