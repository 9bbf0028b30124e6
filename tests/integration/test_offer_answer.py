"""The answer to `!anbieten` comes at once and is edited to link the news post once that is out (#15)."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import ClientConnectionError

from kiwibot.app import App
from tests.integration.conftest import World
from tests.integration.matrixkit import body, current_content, is_edit_of
from tests.integration.sessionkit import offer_text

pytestmark = pytest.mark.integration


def hold_news_posts(app: App) -> list[str]:
    """The homeserver cannot be reached for this bot's news posts (everything else goes out)."""
    held: list[str] = []
    client = app.bot.client
    send = client.room_send

    async def room_send(room_id: str, message_type: str, content: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        if "KIWI-Session" in str(content.get("body", "")) and "m.new_content" not in content:
            held.append(room_id)
            raise ClientConnectionError("homeserver unreachable (test)")
        return await send(room_id, message_type, content, *args, **kwargs)

    client.room_send = room_send  # type: ignore[method-assign]
    return held


async def test_the_answer_comes_first_and_is_edited_to_link_the_post(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    sent = await giver.send(world.programme, offer_text(title="Sofort beantwortet"))
    answer = await giver.wait_reply(world.programme, sent, world.bot_id)
    assert "Nummer 1" in body(answer) and "der Link folgt" in body(answer)
    edit = await giver.wait_for(
        world.programme, lambda e: e.get("sender") == world.bot_id and is_edit_of(e, answer["event_id"])
    )
    session = app.store.get_session(1)
    assert session is not None and session.news_event
    post = await giver.wait_for(world.programme, lambda e: e["event_id"] == session.news_event)
    timeline = [e["event_id"] for e in giver.events[world.programme]]
    assert timeline.index(answer["event_id"]) < timeline.index(post["event_id"]) < timeline.index(edit["event_id"])
    shown = await current_content(giver, world.programme, answer["event_id"])
    assert session.news_event in shown["formatted_body"] and "Link folgt" not in shown["body"]
    assert "Nummer 1" in shown["body"] and "Ankündigung" in shown["body"]


async def test_a_restart_between_the_answer_and_the_post_still_edits_the_answer(world: World) -> None:
    app = await world.start_bot()
    held = hold_news_posts(app)
    giver = await world.user("giver", join=(world.programme,))
    sent = await giver.send(world.programme, offer_text(title="Über den Neustart"))
    answer = await giver.wait_reply(world.programme, sent, world.bot_id)
    assert "der Link folgt" in body(answer) and held
    session = app.store.get_session(1)
    assert session is not None and session.news_event is None  # the post could not go out yet
    await world.stop_bot(app)

    app = await world.start_bot()
    edit = await giver.wait_for(
        world.programme, lambda e: e.get("sender") == world.bot_id and is_edit_of(e, answer["event_id"])
    )
    session = app.store.get_session(1)
    assert session is not None and session.news_event
    assert session.news_event in edit["content"]["m.new_content"]["formatted_body"]
    edits = [e for e in giver.events[world.programme] if is_edit_of(e, answer["event_id"])]
    assert len(edits) == 1
