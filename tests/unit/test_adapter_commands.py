"""How the Matrix adapter reads commands, offline: replies, pills, edits and where answers go.

The events are shaped as Element sends them. The adapter runs on a real SQLite store with the real core;
its homeserver is the one in memory of `adapterkit` (answers are read from the outbox before they are sent).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiwibot.commands.builtin import build_registry
from kiwibot.commands.registry import Context
from kiwibot.commands.sessions import patron
from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Confirmation, NewsPost
from kiwibot.core.errors import UserError
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.content import (
    EditAction,
    Original,
    classify_edit,
    named_users,
    replaced,
    strip_reply_fallback,
)
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.matrix.posts import reply_relation
from kiwibot.storage import Store
from tests.unit.adapterkit import (
    ADMIN,
    BOB,
    BOT,
    CAROL,
    NOW,
    OFFER,
    ROOM,
    Bot,
    FakeServer,
    element_edit,
    element_reply,
    pill,
)

REGISTRY = build_registry("!")


# -- pure pieces ---------------------------------------------------------------------------------


def test_reply_fallback_quote_lines_are_stripped_only_from_replies() -> None:
    relates = {"m.in_reply_to": {"event_id": "$b"}}
    assert strip_reply_fallback("> <@bob:x> hi\n> more\n\n!pate @carol:x", relates) == "!pate @carol:x"
    assert strip_reply_fallback("> quoted\n!pate", {}) == "> quoted\n!pate"


def test_the_person_is_read_from_the_pills_outside_the_quoted_reply() -> None:
    content = element_reply("$b", BOB, "!pate Carol", "!pate " + pill(CAROL, "Carol"))
    assert named_users(content["formatted_body"]) == (CAROL,)
    replying_to_the_bot = element_reply("$k", BOT, "!pate", "!pate")
    assert named_users(replying_to_the_bot["formatted_body"]) == ()


def test_pill_forms_and_links_that_are_no_person() -> None:
    html = (
        '<a href="https://matrix.to/#/%40carol%3Ax?via=x">C</a> <a href="matrix:u/dora:x">D</a> '
        '<a href="https://matrix.to/#/!room:x/$e">msg</a> <a href="https://matrix.to/#/#kiwi:x">room</a> '
        '<a href="https://example.org/@eve:x">web</a> <a href="https://matrix.to/#/@carol:x">again</a>'
    )
    assert named_users(html) == (CAROL, "@dora:x")
    assert named_users('<mx-reply><a href="https://matrix.to/#/@bob:x">B</a>') == ()  # unclosed: nobody
    assert named_users(None) == ()


@pytest.fixture
def kiwi(tmp_path: Path) -> Kiwi:
    return Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), Settings(admins=frozenset({ADMIN})), MatrixPlatform())


def ctx_for(kiwi: Kiwi, named: tuple[str, ...] = ()) -> Context:
    return Context(kiwi=kiwi, registry=REGISTRY, sender=ADMIN, room_id=ROOM, language="de", now=NOW, named_users=named)


def test_patron_takes_the_one_person_the_text_names(kiwi: Kiwi) -> None:
    patron(ctx_for(kiwi, (CAROL,)), "Carol")
    patron(ctx_for(kiwi), "@dora:x.")
    assert kiwi.patrons() == [CAROL, "@dora:x"]
    patron(ctx_for(kiwi, (CAROL,)), f"entfernen {CAROL}")
    assert kiwi.patrons() == ["@dora:x"]


@pytest.mark.parametrize(("named", "text"), [((), "Carol"), ((CAROL,), "Carol und @bob:x"), ((CAROL, BOB), "C B")])
def test_patron_asks_whom_when_the_text_names_nobody_or_several(kiwi: Kiwi, named: tuple[str, ...], text: str) -> None:
    with pytest.raises(UserError) as refused:
        patron(ctx_for(kiwi, named), text)
    assert refused.value.key == "patron.which"
    assert kiwi.patrons() == []


def test_edit_classification() -> None:
    assert classify_edit(Original.FAILED, edit_is_command=True) is EditAction.RUN
    assert classify_edit(Original.NO_COMMAND, edit_is_command=True) is EditAction.RUN
    assert classify_edit(Original.NO_COMMAND, edit_is_command=False) is EditAction.IGNORE
    assert classify_edit(Original.FAILED, edit_is_command=False) is EditAction.IGNORE
    assert classify_edit(Original.SUCCEEDED, edit_is_command=True) is EditAction.NOTE
    assert classify_edit(Original.SUCCEEDED, edit_is_command=False) is EditAction.NOTE
    assert classify_edit(Original.NOTED, edit_is_command=True) is EditAction.IGNORE


def test_an_edit_is_read_from_m_new_content() -> None:
    assert replaced(element_edit("$o", "!ping")) == ("$o", {"msgtype": "m.text", "body": "!ping"})
    assert replaced({"body": "x", "m.relates_to": {"rel_type": "m.replace", "event_id": "$o"}}) is None
    assert replaced({"body": "x", "m.relates_to": {"rel_type": "m.thread", "event_id": "$o"}}) is None


def test_replies_stay_in_the_thread() -> None:
    assert reply_relation("$c", None) == {"m.in_reply_to": {"event_id": "$c"}}
    assert reply_relation("$c", "$root") == {
        "m.in_reply_to": {"event_id": "$c"},
        "rel_type": "m.thread",
        "event_id": "$root",
        "is_falling_back": False,
    }


# -- the adapter on a real store, its homeserver in memory -------------------------------------------


async def test_a_reply_does_not_choose_the_patron(tmp_path: Path, bots: list[Bot]) -> None:
    bot = Bot(tmp_path, FakeServer())
    bots.append(bot)
    bobs = await bot.event(BOB, {"msgtype": "m.text", "body": "Hallo zusammen"})
    await bot.event(ADMIN, element_reply(bobs, BOB, "!pate Carol", "!pate " + pill(CAROL, "Carol")))
    assert bot.app.kiwi.patrons() == [CAROL]
    await bot.event(ADMIN, element_reply("$botmsg", BOT, "!pate entfernen Carol", "!pate entfernen Carol"))
    assert bot.app.kiwi.patrons() == [CAROL]
    assert "Wen meinst du?" in bot.answers()[-1]["body"]


async def test_edits_correct_failed_commands_and_never_repeat_good_ones(tmp_path: Path, bots: list[Bot]) -> None:
    server = FakeServer()
    bot = Bot(tmp_path, server)
    bots.append(bot)
    failed = await bot.event(BOB, {"msgtype": "m.text", "body": OFFER.format(minutes=45)})
    assert bot.app.store.get_session(1) is None
    fix = await bot.event(BOB, element_edit(failed, OFFER.format(minutes=60)))
    assert bot.app.store.get_session(1) is not None
    await bot.redeliver(fix)
    again = await bot.event(BOB, element_edit(failed, OFFER.format(minutes=90)))
    assert bot.app.store.get_session(2) is None
    assert [a["m.relates_to"]["m.in_reply_to"]["event_id"] for a in bot.answers()] == [failed, failed]
    assert "!ändern 1" in bot.answers()[-1]["body"]
    await bot.event(BOB, element_edit(failed, OFFER.format(minutes=30)))
    await bot.event(CAROL, element_edit(failed, "!ping"))  # not the author's: no edit of it
    chat = await bot.event(BOB, {"msgtype": "m.text", "body": "Hallo"})
    await bot.event(BOB, element_edit(chat, "Hallo alle"))
    assert len(bot.answers()) == 2
    await bot.close()
    bots.remove(bot)

    restarted = Bot(tmp_path, server)
    bots.append(restarted)
    await restarted.redeliver(again)
    ping = await restarted.event(BOB, {"msgtype": "m.text", "body": "!ping"})
    await restarted.event(BOB, element_edit(ping, "!ping nochmal"))
    await restarted.event(BOB, element_edit(ping, "!ping"))
    answers = restarted.answers()
    assert len(answers) == 4 and "schon ausgeführt" in answers[-1]["body"]
    await restarted.event(BOB, element_edit(chat, "!hilfe ping"))  # chat turned into a command
    assert "!ping" in restarted.answers()[-1]["body"]
    assert restarted.answers()[-1]["m.relates_to"] == {"m.in_reply_to": {"event_id": chat}}
    assert restarted.app.store.get_session(2) is None


async def test_answers_and_the_offer_confirmation_stay_in_the_thread(tmp_path: Path, bots: list[Bot]) -> None:
    server = FakeServer()
    bot = Bot(tmp_path, server)
    bots.append(bot)
    in_thread = {"rel_type": "m.thread", "event_id": "$root", "is_falling_back": True}
    failed = await bot.event(
        BOB, {"msgtype": "m.text", "body": OFFER.format(minutes=45), "m.relates_to": {**in_thread}}
    )
    assert bot.answers()[-1]["m.relates_to"] == reply_relation(failed, "$root")
    await bot.event(BOB, element_edit(failed, OFFER.format(minutes=60)))
    news = next(item for item in bot.app.store.pending_outbox() if item.purpose == NewsPost(1))
    with bot.app.store.transaction():
        bot.app.store.outbox_sent(news.id, "$news1")
        bot.bot.posts.on_sent(news, "$news1")
    confirm = next(item for item in bot.app.store.pending_outbox() if item.purpose == Confirmation(1))
    assert confirm.room_id == ROOM and confirm.content["m.relates_to"] == reply_relation(failed, "$root")
