"""`!statistik` through the real Matrix adapter, offline: the answer and its two files are queued in order, the
chart is drawn in a worker thread (never on the event loop), a command seen twice is answered once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kiwibot.reports import files
from kiwibot.storage import Store
from tests.unit.adapterkit import ADMIN, BOB, Bot, FakeServer, text
from tests.unit.statskit import NOW, seed


@pytest.fixture
def bot(tmp_path: Path, bots: list[Bot]) -> Bot:
    store = Store.open(tmp_path / "k.db")
    seed(store)
    store.close()
    started = Bot(tmp_path, FakeServer())
    started.clock.moment = NOW
    bots.append(started)
    return started


async def test_the_answer_then_the_chart_then_the_table_all_replies_to_the_command(bot: Bot) -> None:
    command = await bot.event(ADMIN, text("!statistik 2026"))
    rows = [item.content for item in bot.app.store.pending_outbox()]
    assert [row["msgtype"] for row in rows] == ["m.notice", "m.image", "m.file"]
    assert "KIWI-Statistik Januar 2026 – November 2026" in rows[0]["body"]
    assert rows[1]["info"]["w"] == 1200 and rows[1]["info"]["h"] == 800 and rows[2]["info"]["mimetype"] == "text/csv"
    assert all(row["m.relates_to"]["m.in_reply_to"]["event_id"] == command for row in rows)
    await bot.redeliver(command)  # seen again (a sync gap filled): answered once
    assert len(bot.app.store.pending_outbox()) == 3
    sent = await bot.deliver()
    assert [event["content"]["msgtype"] for event in sent] == ["m.notice", "m.image", "m.file"]


async def test_the_chart_is_drawn_outside_the_event_loop(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn_in: list[threading.Thread] = []
    real = files.render_chart

    def spy(*args: object) -> bytes:
        drawn_in.append(threading.current_thread())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "render_chart", spy)
    await bot.event(ADMIN, text("!stats 2026-01 2026-03"))
    assert drawn_in and drawn_in[0] is not threading.main_thread()


async def test_a_member_is_refused_without_files(bot: Bot) -> None:
    await bot.event(BOB, text("!statistik"))
    (answer,) = bot.answers()
    assert answer["body"].startswith("Die Statistik sehen nur Admins und Pat:innen")
