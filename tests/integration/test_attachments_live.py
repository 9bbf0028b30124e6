"""Files with a reply against the real Synapse: a person sends a command, the running bot answers with text and
files; the person's own nio client finds the file events, downloads the bytes and (in an encrypted room) decrypts
them to exactly what the use case attached.

No user-facing command sends files yet, so a hidden test-only command is added to the running bot's registry:
it stands in for a use case returning `Outcome(reply, files=...)`; everything after it is the bot's real path
(outbox rows, upload, encryption, sending).
"""

from __future__ import annotations

from typing import Any

import pytest
from nio.crypto.attachments import decrypt_attachment

from kiwibot.app import App
from kiwibot.commands.registry import Command, CommandRegistry, Context
from kiwibot.core.effects import Outcome
from kiwibot.core.messages import Attachment, Msg
from tests.integration.conftest import World
from tests.integration.e2ekit import crypto_user, encrypt_room
from tests.integration.matrixkit import Event, User, _get_json, body, download, replied_to

pytestmark = pytest.mark.integration

TABLE = Attachment("teilnahmen.csv", "text/csv", "Nr;Titel\n1;E-Akte äöü\n".encode())
CHART = Attachment("chart.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, image_size=(320, 200))


def answer_with_files(app: App, *files: Attachment) -> None:
    """A hidden `!anhangtest` in the running bot: answers "Pong" with `files` (test-only, never shipped)."""

    def handler(ctx: Context) -> Outcome:
        return Outcome(Msg.of("ping.pong"), files=files)

    registry = app.bot.events.registry
    command = Command("attach-test", {"de": ("anhangtest",), "en": ("attachtest",)}, "help.ping", handler, hidden=True)
    app.bot.events.registry = CommandRegistry(registry.prefix, (*registry.commands, command))


def bot_answers(user: User, room: str, command: str, bot_id: str) -> list[Event]:
    return [e for e in user.events.get(room, []) if e.get("sender") == bot_id and replied_to(e) == command]


async def answers(user: User, room: str, command: str, bot_id: str, count: int) -> list[Event]:
    """The bot's `count` answers to `command`, in the order the room shows them."""
    await user.wait_for(room, lambda _: len(bot_answers(user, room, command, bot_id)) >= count)
    return bot_answers(user, room, command, bot_id)


async def test_files_with_a_reply_in_an_unencrypted_room(world: World) -> None:
    app = await world.start_bot()
    answer_with_files(app, TABLE, CHART)
    command = await world.host.send(world.programme, "!anhangtest")
    reply, table, chart = await answers(world.host, world.programme, command, world.bot_id, 3)
    assert "Pong" in body(reply)
    assert table["content"]["msgtype"] == "m.file" and table["content"]["body"] == "teilnahmen.csv"
    assert table["content"]["info"] == {"mimetype": "text/csv", "size": len(TABLE.data)}
    assert chart["content"]["msgtype"] == "m.image"
    assert chart["content"]["info"] == {"mimetype": "image/png", "size": len(CHART.data), "w": 320, "h": 200}
    assert "file" not in table["content"]
    assert await download(world.host, table["content"]["url"]) == TABLE.data
    assert await download(world.host, chart["content"]["url"]) == CHART.data
    assert app.store.db.execute("SELECT COUNT(*) FROM outbox_files").fetchone()[0] == 0  # nothing lingers


def decrypted(stored: bytes, content: dict[str, Any]) -> bytes:
    keys = content["file"]
    return bytes(decrypt_attachment(stored, keys["key"]["k"], keys["hashes"]["sha256"], keys["iv"]))


async def test_files_with_a_reply_in_an_encrypted_room(world: World) -> None:
    await encrypt_room(world, world.programme)
    app = await world.start_bot()
    assert app.bot.crypto.active
    anna = await crypto_user(world, "anna", join=(world.programme,))
    answer_with_files(app, CHART, TABLE)
    command = await anna.send(world.programme, "!anhangtest")
    reply, chart, table = await answers(anna, world.programme, command, world.bot_id, 3)
    assert "Pong" in body(reply)
    for event, attachment in ((chart, CHART), (table, TABLE)):
        raw = await _get_json(anna, f"/_matrix/client/v3/rooms/{world.programme}/event/{event['event_id']}")
        assert raw["type"] == "m.room.encrypted"  # the event itself, keys included, is encrypted too
        content = event["content"]
        assert "url" not in content and {"url", "key", "iv", "hashes", "v"} <= set(content["file"])
        stored = await download(anna, content["file"]["url"])
        assert stored != attachment.data  # the homeserver holds only ciphertext
        assert decrypted(stored, content) == attachment.data
    assert chart["content"]["msgtype"] == "m.image" and table["content"]["msgtype"] == "m.file"
    assert chart["content"]["info"]["mimetype"] == "image/png"
