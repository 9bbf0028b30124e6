"""Direct chats the bot opens itself, against the real Synapse: encrypted from their first event for a person whose
client does encryption, so `!kalender` links and the `!meinedaten` file never go over them in the clear; opened
unencrypted (and readable) for a person whose client published no keys, and switched to encryption once that
person signs in with a client that can decrypt."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from nio.crypto.attachments import decrypt_attachment

from tests.integration.conftest import World
from tests.integration.e2ekit import MEGOLM, crypto_login, crypto_user
from tests.integration.matrixkit import Event, User, _get_json, accept_direct_chat, body, download

pytestmark = pytest.mark.integration

SENT_DM = "Ich habe dir eine Direktnachricht"


async def ask(world: World, user: User, command: str) -> None:
    """The command in the programme room, answered there only with a pointer to the direct chat."""
    sent = await user.send(world.programme, command)
    assert body(await user.wait_reply(world.programme, sent, world.bot_id)).startswith(SENT_DM)


def from_bot(world: World, text: str) -> Callable[[Event], bool]:
    return lambda e: e["sender"] == world.bot_id and text in body(e)


async def on_the_wire(user: User, room_id: str, event_id: str) -> Event:
    """The event as the homeserver stores it (nio on the user's side shows it decrypted)."""
    return await _get_json(user, f"/_matrix/client/v3/rooms/{room_id}/event/{event_id}")


async def test_the_direct_chat_the_bot_opens_is_encrypted_and_its_links_and_export_decrypt(world: World) -> None:
    await world.start_bot()
    anna = await crypto_user(world, "anna", join=(world.programme,))  # the programme room is not encrypted
    await ask(world, anna, "!kalender")
    dm = await accept_direct_chat(anna)
    state = await _get_json(anna, f"/_matrix/client/v3/rooms/{dm}/state/m.room.encryption")
    assert state.get("algorithm") == MEGOLM, state
    links = await anna.wait_for(dm, from_bot(world, "/feed/"))  # the very first message, decrypted by her client
    assert re.search(rf"{re.escape(world.web_url)}/feed/[\w-]+/mine\.ics", body(links)), body(links)
    assert "webcal://" in body(links)
    wire = await on_the_wire(anna, dm, links["event_id"])
    assert wire["type"] == "m.room.encrypted" and "/feed/" not in json.dumps(wire)

    await ask(world, anna, "!meinedaten")
    file = await anna.wait_for(dm, lambda e: e["sender"] == world.bot_id and e["content"].get("msgtype") == "m.file")
    assert (await on_the_wire(anna, dm, file["event_id"]))["type"] == "m.room.encrypted"
    keys = file["content"]["file"]  # an encrypted attachment: the keys travel inside the encrypted event
    plain = decrypt_attachment(
        await download(anna, keys["url"]), keys["key"]["k"], keys["hashes"]["sha256"], keys["iv"]
    )
    assert json.loads(plain.decode("utf-8"))["user_id"] == anna.user_id


async def test_a_person_whose_client_cannot_encrypt_gets_a_readable_direct_chat(world: World) -> None:
    await world.start_bot()
    bob = await world.user("bob", join=(world.programme,))  # a client without encryption: no device keys
    await ask(world, bob, "!kalender")
    dm = await accept_direct_chat(bob)
    state = await _get_json(bob, f"/_matrix/client/v3/rooms/{dm}/state/m.room.encryption")
    assert "algorithm" not in state, state
    links = await bob.wait_for(dm, from_bot(world, "/feed/"))
    assert (await on_the_wire(bob, dm, links["event_id"]))["type"] == "m.room.message"


async def test_the_unencrypted_direct_chat_is_encrypted_once_the_person_has_a_client_that_can_decrypt(
    world: World,
) -> None:
    await world.start_bot()
    bob = await world.user("bob", join=(world.programme,))  # first a client without encryption
    await ask(world, bob, "!kalender")
    dm = await accept_direct_chat(bob)
    first = await bob.wait_for(dm, from_bot(world, "/feed/"))
    assert (await on_the_wire(bob, dm, first["event_id"]))["type"] == "m.room.message"

    phone = await crypto_login(world, bob.user_id, bob.password)  # then he signs in with one that encrypts
    await ask(world, phone, "!kalender")
    links = await phone.wait_for(dm, lambda e: from_bot(world, "/feed/")(e) and e["event_id"] != first["event_id"])
    assert re.search(rf"{re.escape(world.web_url)}/feed/[\w-]+/mine\.ics", body(links)), body(links)  # decrypted
    wire = await on_the_wire(phone, dm, links["event_id"])
    assert wire["type"] == "m.room.encrypted" and "/feed/" not in json.dumps(wire)  # nothing in the clear
    state = await _get_json(phone, f"/_matrix/client/v3/rooms/{dm}/state/m.room.encryption")
    assert state.get("algorithm") == MEGOLM, state  # the same chat, switched: no second one was opened
    assert not phone.client.invited_rooms
