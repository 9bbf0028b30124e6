"""Files sent with a reply, a direct message or a room post, offline: the rows they are queued as (after the text,
same room and thread), what is uploaded and sent, refusals and network errors, and that no byte stays stored.

The bot is the real one (`adapterkit.Bot`); a hidden test-only command stands in for a use case that answers
with files.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from nio import MatrixRoom
from nio.crypto.attachments import decrypt_attachment

from kiwibot.commands.registry import Command, CommandRegistry, Context
from kiwibot.core.effects import Direct, Outcome, Post
from kiwibot.core.messages import Attachment, Msg
from kiwibot.matrix.posts import reply_relation
from kiwibot.matrix.uploads import file_content
from tests.unit.adapterkit import BOB, BOT, DIGEST, ROOM, Bot, FakeServer, in_thread, text

PONG = Msg.of("ping.pong")
EXPORT = Attachment("export.json", "application/json", b'{"sessions": [1, 2]}')
TABLE = Attachment("teilnahmen.csv", "text/csv", "Nr;Titel\n1;E-Akte äöü\n".encode())
CHART = Attachment("chart.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, image_size=(640, 480))


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def bot(tmp_path: Path, server: FakeServer, bots: list[Bot]) -> Bot:
    started = Bot(tmp_path, server)
    bots.append(started)
    return started


def answer_with(bot: Bot, *files: Attachment, reply: Msg | None = PONG) -> None:
    """A hidden command `!anhangtest` whose use case answers with `reply` and `files`."""

    def handler(ctx: Context) -> Outcome:
        return Outcome(reply, files=files)

    registry = bot.bot.events.registry
    command = Command("attach-test", {"de": ("anhangtest",), "en": ("attachtest",)}, "help.ping", handler, hidden=True)
    bot.bot.events.registry = CommandRegistry(registry.prefix, (*registry.commands, command))


def stored_files(bot: Bot) -> int:
    return int(bot.app.store.db.execute("SELECT COUNT(*) FROM outbox_files").fetchone()[0])


def queued(bot: Bot) -> list[tuple[str, dict[str, Any]]]:
    return [(item.room_id, item.content) for item in bot.app.store.pending_outbox()]


# -- what is queued ------------------------------------------------------------------------------------


def test_a_file_is_an_m_file_event_and_an_image_with_its_size_an_m_image() -> None:
    relation = reply_relation("$cmd", "$root")
    assert file_content(TABLE, relation) == {
        "msgtype": "m.file",
        "body": "teilnahmen.csv",
        "filename": "teilnahmen.csv",
        "info": {"mimetype": "text/csv", "size": len(TABLE.data)},
        "m.mentions": {},
        "m.relates_to": relation,
    }
    image = file_content(CHART)
    assert image["msgtype"] == "m.image" and "m.relates_to" not in image
    assert image["info"] == {"mimetype": "image/png", "size": 1032, "w": 640, "h": 480}


def test_the_bytes_never_show_in_a_log_line() -> None:
    assert "sessions" not in repr(EXPORT) and "export.json" in repr(EXPORT)


async def test_files_of_a_reply_are_queued_after_it_in_its_thread_and_sent_in_that_order(
    bot: Bot, server: FakeServer
) -> None:
    answer_with(bot, EXPORT, CHART)
    command = await bot.event(BOB, text("!anhangtest", **{"m.relates_to": in_thread("$root")}))
    rows = queued(bot)
    assert [content["msgtype"] for _, content in rows] == ["m.notice", "m.file", "m.image"]
    assert {room for room, _ in rows} == {ROOM}
    relation = reply_relation(command, "$root")
    assert [content["m.relates_to"] for _, content in rows] == [relation] * 3
    assert all("url" not in content and "file" not in content for _, content in rows)  # uploaded when sent
    assert stored_files(bot) == 2

    reply, export, chart = await bot.deliver()
    assert "pong" in reply["content"]["body"].lower()
    assert [e["sender"] for e in (reply, export, chart)] == [BOT] * 3
    assert server.media[export["content"]["url"]] == EXPORT.data
    assert server.media[chart["content"]["url"]] == CHART.data
    assert export["content"]["body"] == "export.json" and export["content"]["m.relates_to"] == relation
    assert chart["content"]["info"] == {"mimetype": "image/png", "size": len(CHART.data), "w": 640, "h": 480}
    assert stored_files(bot) == 0  # an export does not linger once sent
    assert bot.app.store.pending_outbox() == []


async def test_files_without_a_text_still_answer_the_command(bot: Bot, server: FakeServer) -> None:
    answer_with(bot, TABLE, reply=None)
    command = await bot.event(BOB, text("!anhangtest"))
    (sent,) = await bot.deliver()
    assert sent["content"]["msgtype"] == "m.file" and sent["content"]["m.relates_to"] == reply_relation(command, None)
    assert server.media[sent["content"]["url"]] == TABLE.data


async def test_in_an_encrypted_room_the_bytes_are_uploaded_encrypted_and_the_event_holds_the_keys(
    bot: Bot, server: FakeServer
) -> None:
    room = MatrixRoom(ROOM, BOT)
    room.encrypted = True
    bot.bot.client.rooms[ROOM] = room
    answer_with(bot, CHART)
    await bot.event(BOB, text("!anhangtest"))
    _, chart = await bot.deliver()
    content = chart["content"]
    assert "url" not in content and set(content["file"]) >= {"url", "key", "iv", "hashes", "v"}
    stored = server.media[content["file"]["url"]]
    assert stored != CHART.data  # the homeserver never sees the chart itself
    keys = content["file"]
    assert decrypt_attachment(stored, keys["key"]["k"], keys["hashes"]["sha256"], keys["iv"]) == CHART.data


async def test_files_of_a_direct_message_and_of_a_post_follow_their_message(bot: Bot, server: FakeServer) -> None:
    with bot.app.store.transaction():
        bot.bot.posts.apply((Direct(BOB, PONG, files=(TABLE,)), Post("digest", PONG, files=(EXPORT, CHART))))
    sent = await bot.deliver()
    # each conversation in order; the two conversations may go side by side
    assert [e["content"]["msgtype"] for e in sent if e["room_id"] == "!dm1:x"] == ["m.notice", "m.file"]
    assert [e["content"]["msgtype"] for e in sent if e["room_id"] == DIGEST] == ["m.notice", "m.file", "m.image"]
    assert len(sent) == 5
    assert [server.media[e["content"]["url"]] for e in sent if "url" in e["content"] and e["room_id"] == DIGEST] == [
        EXPORT.data,
        CHART.data,
    ]
    assert [server.media[e["content"]["url"]] for e in sent if "url" in e["content"] and e["room_id"] != DIGEST] == [
        TABLE.data
    ]
    assert all("m.relates_to" not in e["content"] for e in sent)


# -- when the homeserver says no, or is away -------------------------------------------------------------


async def test_a_refused_upload_fails_that_file_only_and_logs_no_bytes(
    bot: Bot, server: FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.max_upload = 100  # the chart is too large, the export is not
    answer_with(bot, CHART, EXPORT)
    await bot.event(BOB, text("!anhangtest"))
    with caplog.at_level(logging.INFO):
        sent = await bot.deliver()
    assert [e["content"]["msgtype"] for e in sent] == ["m.notice", "m.file"]  # the loop went on after the refusal
    assert server.media[sent[1]["content"]["url"]] == EXPORT.data
    refusals = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(refusals) == 1 and "M_TOO_LARGE" in refusals[0]
    assert not any("PNG" in r.getMessage() or "sessions" in r.getMessage() for r in caplog.records)
    failed = "SELECT state, error FROM outbox WHERE content LIKE '%chart.png%'"
    state, error = bot.app.store.db.execute(failed).fetchone()
    assert state == "failed" and "too large" in error
    assert stored_files(bot) == 0  # failed: the bytes are gone as well


async def test_a_network_error_during_the_upload_postpones_the_file_like_a_send(bot: Bot, server: FakeServer) -> None:
    answer_with(bot, TABLE, reply=None)  # the file is the first row: the upload is what meets the network error
    await bot.event(BOB, text("!anhangtest"))
    server.down = True
    assert await bot.deliver() == []
    assert stored_files(bot) == 1 and len(bot.app.store.pending_outbox()) == 1  # kept for the next try
    server.down = False
    (table,) = await bot.deliver()
    assert server.media[table["content"]["url"]] == TABLE.data and stored_files(bot) == 0
