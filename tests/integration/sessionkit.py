"""Offering sessions in tests, as a person types them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from kiwibot.core.messages import Msg
from kiwibot.matrix.render import Renderer
from tests.integration.conftest import World
from tests.integration.matrixkit import Event, User, body, is_edit_of, replied_to

BERLIN = ZoneInfo("Europe/Berlin")


def participants(count: int, language: str = "de") -> str:
    """How a news post says the number of participants ("1 teilnehmende Person", "5 Teilnehmende")."""
    return Renderer(BERLIN).render(Msg.of("count.participants", count=count), language).body


def day(offset_days: int, time: str = "14:00") -> str:
    return (datetime.now(UTC).astimezone(BERLIN) + timedelta(days=offset_days)).strftime("%d.%m.%Y ") + time


def offer_text(
    title: str = "Einführung in die E-Akte",
    when: str | None = None,
    seats: int | None = None,
    duration: int = 60,
    fmt: str = "impuls",
    link: str = "https://meet.example.org/kiwi",
    description: str = "Wir schauen uns gemeinsam die E-Akte an.",
) -> str:
    lines = [
        "!anbieten",
        f"Titel: {title}",
        f"Termin: {when or day(3)}",
        f"Dauer: {duration}",
        f"Format: {fmt}",
        f"Link: {link}",
    ]
    if seats is not None:
        lines.append(f"Plätze: {seats}")
    lines.append(f"Beschreibung: {description}")
    return "\n".join(lines)


async def offer(world: World, giver: User, room: str | None = None, **fields: object) -> tuple[int, str]:
    """Offer a session and return (number, news post event id) once the bot confirmed it."""
    room = room or world.programme
    sent = await giver.send(room, offer_text(**fields))  # type: ignore[arg-type]
    reply = await giver.wait_reply(room, sent, world.bot_id)
    text = body(reply)
    match = re.search(r"(?:Nummer|number) (\d+)", text)
    assert match, text
    number = int(match.group(1))
    assert replied_to(reply) == sent
    return number, await linked_post(user=giver, bot_id=world.bot_id, room=room, answer=reply)


async def linked_post(*, user: User, bot_id: str, room: str, answer: Event) -> str:
    """The news post an offer's answer leads to: the answer comes at once and is edited to link the post once
    that is sent (#15), so wait for the edit unless the answer links it already."""
    html = answer["content"]["formatted_body"]
    if "https://matrix.to/#/!" not in html:
        answer_id = answer["event_id"]
        edit = await user.wait_for(room, lambda e: e.get("sender") == bot_id and is_edit_of(e, answer_id))
        html = edit["content"]["m.new_content"]["formatted_body"]
    return html.split("https://matrix.to/#/!")[1].split('"')[0].split("/")[1]
