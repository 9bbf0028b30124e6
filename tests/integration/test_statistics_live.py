"""Statistics against the real Synapse (#14.6–7): an admin asks and gets the text, the chart (m.image) and the
table (m.file), downloads both and finds the seeded figures; a member who is no admin is refused; the monthly
report is posted once, across a restart, with the injected clock."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from PIL import Image

from kiwibot.storage import Store
from tests.integration.conftest import World
from tests.integration.matrixkit import Event, User, body, replied_to
from tests.integration.test_attachments_live import answers, download
from tests.unit.statskit import EXPECTED_DE, EXPECTED_EN, NOW, TZ, seed

pytestmark = pytest.mark.integration


def seeded(world: World) -> None:
    """The known sessions, written before the bot starts; nobody of them is asked for feedback (they are made up)."""
    store = Store.open(Path(world.config().database))
    seed(store)
    for (session_id,) in store.db.execute("SELECT id FROM sessions").fetchall():
        store.set_feedback_ask(session_id, "skipped", NOW)
    store.close()


def table(data: bytes, separator: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=separator))


async def check_files(user: User, image: Event, file: Event, separator: str) -> list[list[str]]:
    """The chart is a PNG of the size its event states; the table's rows are returned (header first)."""
    assert image["content"]["msgtype"] == "m.image" and image["content"]["body"].endswith(".png")
    assert (image["content"]["info"]["w"], image["content"]["info"]["h"]) == (1200, 800)
    picture = Image.open(io.BytesIO(await download(user, image["content"]["url"])))
    picture.load()
    assert picture.format == "PNG" and picture.size == (1200, 800)
    assert file["content"]["msgtype"] == "m.file" and file["content"]["info"]["mimetype"] == "text/csv"
    return table(await download(user, file["content"]["url"]), separator)


async def test_an_admin_gets_text_chart_and_table_others_are_refused(world: World) -> None:
    world.clock.set(NOW)
    seeded(world)
    admin = await world.user("admin", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    await world.start_bot(roles={"admins": [admin.user_id]})

    ask = await admin.send(world.programme, "!statistik 2026")
    reply, image, file = await answers(admin, world.programme, ask, world.bot_id, 3)
    text = body(reply)
    assert "KIWI-Statistik Januar 2026 – November 2026" in text
    assert (
        "Januar 2026: 2 Sessions gehalten (Impuls 1, Werkstatt 1) · 5 Teilnahmen von 4 verschiedenen Personen" in text
    )
    assert "13 Teilnahmen von 5 verschiedenen Personen" in text and "davon 4 zum ersten Mal" in text
    rows = await check_files(admin, image, file, ";")
    assert rows[0][:2] == ["Jahr", "Monat"] and rows[1:] == EXPECTED_DE
    assert image["content"]["body"] == "kiwi-statistik-2026-01_2026-11.png"

    refused = await anna.send(world.programme, "!statistik 2026")
    answer = await anna.wait_reply(world.programme, refused, world.bot_id)
    assert "nur Admins und Pat:innen" in body(answer)
    await admin.sync_once()
    answered = [e["event_id"] for e in admin.events.get(world.programme, []) if replied_to(e) == refused]
    assert answered == [answer["event_id"]]  # the refusal only, no files

    garbage = await admin.send(world.programme, "!statistik letztes Quartal")
    answer = await admin.wait_reply(world.programme, garbage, world.bot_id)
    assert "Den Zeitraum „letztes Quartal“ verstehe ich nicht" in body(answer) and "`01.2026 06.2026`" in body(answer)

    switch = await admin.send(world.programme, "!sprache en")
    await admin.wait_reply(world.programme, switch, world.bot_id)
    ask = await admin.send(world.programme, "!stats 2026-01 2026-06")
    reply, image, file = await answers(admin, world.programme, ask, world.bot_id, 3)
    assert "KIWI statistics January 2026 – June 2026" in body(reply)
    rows = await check_files(admin, image, file, ",")
    assert rows[0][:3] == ["Year", "Month", "Sessions held"]
    assert rows[1:] == EXPECTED_EN[:6]


def is_report(event: Event, bot_id: str) -> bool:
    return event.get("sender") == bot_id and "KIWI-Statistik November 2026" in body(event)


async def test_the_monthly_report_is_posted_once_across_a_restart(world: World) -> None:
    seeded(world)
    reports = await world.host.create_room(f"KIWI Team {world.tag}", invite=[world.bot_id])
    config = {"reports": {"room": reports, "monthly": True}}
    first = datetime.combine(NOW.date().replace(month=12, day=1), time(8, 0), tzinfo=TZ)
    world.clock.set(first - timedelta(seconds=20))
    app = await world.start_bot(**config)
    ping = await world.host.send(reports, "!ping")
    await world.host.wait_reply(reports, ping, world.bot_id)
    assert not [e for e in await world.host.history(reports) if is_report(e, world.bot_id)]  # not before 08:00

    world.clock.set(first + timedelta(seconds=1))
    report = await world.host.wait_for(reports, lambda e: is_report(e, world.bot_id))
    text = body(report)
    # Anna's session of 30 November (held by now), not October's: "Im ganzen Zeitraum" is the one month
    assert "1 Session gehalten (Impuls 1) · 1 Teilnahme von 1 Person · keine Session mit begrenzten Plätzen" in text
    assert "Ask me Anything" not in text
    files = await world.host.wait_for(reports, lambda e: e.get("content", {}).get("msgtype") == "m.file")
    assert table(await download(world.host, files["content"]["url"]), ";")[1:] == [
        ["2026", "November", "1", "1", "0", "0", "0", "0", "1", "1", "0", "0", "", "1", "0", "0", "", "0"]
    ]
    await world.stop_bot(app)

    world.clock.shift(timedelta(minutes=5))
    await world.start_bot(**config)  # recorded with the post: not again
    ping = await world.host.send(reports, "!ping")
    await world.host.wait_reply(reports, ping, world.bot_id)
    history = [e for e in await world.host.history(reports) if e.get("sender") == world.bot_id]
    assert len([e for e in history if is_report(e, world.bot_id)]) == 1
    assert [e["content"]["msgtype"] for e in history if e["content"].get("msgtype") in ("m.image", "m.file")] == [
        "m.image",
        "m.file",
    ]
