"""Whether a direct chat the bot opens itself is encrypted, offline: only with encryption on and for a person who
has a device that can decrypt; with encryption off it is opened unencrypted as before. (That the encrypted one is
read by a real encrypting client: tests/integration/test_direct_encryption_live.py.)"""

from __future__ import annotations

from pathlib import Path

from kiwibot.matrix.key_queries import Keys
from tests.unit.adapterkit import BOB, CAROL, Bot, FakeServer, text

ENCRYPTION = "m.room.encryption"


class CryptoStub:
    """The bot's crypto as the outbox sees it: on, and BOB's client can decrypt while CAROL's cannot."""

    active = True
    ignore_unverified = False

    async def keys(self, user_id: str) -> Keys:
        return Keys.READABLE if user_id == BOB else Keys.NONE


def encryption_state(server: FakeServer, invited: str) -> list[dict[str, object]]:
    (room_id,) = [room for room, invite in server.created if invite == [invited]]
    return [event for event in server.created_state[room_id] if event["type"] == ENCRYPTION]


async def test_with_encryption_off_the_direct_chat_is_opened_unencrypted(tmp_path: Path, bots: list[Bot]) -> None:
    server = FakeServer()
    bot = Bot(tmp_path, server, encryption={"enabled": False})
    bots.append(bot)
    await bot.event(BOB, text("!kalender"))
    sent = await bot.deliver()
    assert encryption_state(server, BOB) == []
    assert any("/feed/" in event["content"]["body"] for event in sent)  # the links did go out, in the new chat


async def test_with_encryption_on_only_who_can_decrypt_gets_an_encrypted_one(tmp_path: Path, bots: list[Bot]) -> None:
    server = FakeServer()
    bot = Bot(tmp_path, server)
    bots.append(bot)
    bot.bot.outbox.crypto = CryptoStub()  # type: ignore[assignment]
    await bot.event(BOB, text("!kalender"))
    await bot.event(CAROL, text("!kalender"))
    await bot.deliver()  # the messages wait for the sync that shows the new rooms; the rooms exist now
    (state,) = encryption_state(server, BOB)
    assert state["content"] == {
        "algorithm": "m.megolm.v1.aes-sha2",
        "rotation_period_ms": 604800000,
        "rotation_period_msgs": 100,
    }
    assert encryption_state(server, CAROL) == []  # her client published no keys: she could not read it
