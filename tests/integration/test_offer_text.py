"""The offer text as people really send it: fields after the description, the template sent back, emoji."""

from __future__ import annotations

import html

import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import Event, User, body
from tests.integration.sessionkit import day, linked_post, offer

pytestmark = pytest.mark.integration

UNFILLED = "Diese Angaben enthalten noch den Beispieltext aus der Vorlage: Titel, Beschreibung."


def element_html(text: str) -> str:
    """What a client like Element sends as `formatted_body` for plain lines: escaped, joined by <br />."""
    return "<br />\n".join(html.escape(line, quote=False) for line in text.split("\n"))


async def template_reply(world: World, giver: User) -> tuple[Event, str]:
    """Ask for the template; the bot's reply and the template as its plain body shows it."""
    ask = await giver.send(world.programme, "!anbieten")
    reply = await giver.wait_reply(world.programme, ask, world.bot_id)
    text = body(reply)
    return reply, text[text.index("!anbieten") :]


async def news_posts(world: World, user: User) -> list[str]:
    return [body(e) for e in await user.history(world.programme) if "KIWI-Session" in body(e)]


async def test_link_and_seats_after_the_description_reach_the_news_post(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    text = "\n".join(
        [
            "!anbieten",
            "Titel: E-Akte",
            f"Termin: {day(3)}",
            "Dauer: 60",
            "Format: impuls",
            "Beschreibung: Fragen zur **E-Akte**.",
            "Ziel: sicher ablegen",
            "link: https://meet.example.org/x",
            "PLÄTZE: 5",
        ]
    )
    formatted = element_html(text).replace("**E-Akte**", "<strong>E-Akte</strong>")
    sent = await giver.send(world.programme, text, formatted)
    assert "Nummer 1" in body(await giver.wait_reply(world.programme, sent, world.bot_id))
    post = await giver.wait_for(world.programme, lambda e: "KIWI-Session 1" in body(e))
    shown = body(post)
    assert "Link: https://meet.example.org/x" in shown and "folgt" not in shown
    assert "Plätze: 5" in shown
    assert "Fragen zur **E-Akte**.\nZiel: sicher ablegen" in shown
    assert shown.count("meet.example.org/x") == 1 and "PLÄTZE" not in shown
    markup = post["content"]["formatted_body"]
    assert "Fragen zur <strong>E-Akte</strong>.<br>\nZiel: sicher ablegen" in markup
    assert "PLÄTZE" not in markup and markup.count("meet.example.org/x") == 2  # href and text of the link line
    stored = app.store.get_session(1)
    assert stored is not None and (stored.link, stored.seats) == ("https://meet.example.org/x", 5)
    assert stored.description_html is not None and "meet.example.org" not in stored.description_html


async def test_template_sent_back_verbatim_is_refused_and_nothing_is_posted(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    _reply, template = await template_reply(world, giver)
    sent = await giver.send(world.programme, template, element_html(template))
    refusal = body(await giver.wait_reply(world.programme, sent, world.bot_id))
    assert UNFILLED in refusal
    assert "Nummer" not in refusal
    assert app.store.get_session(1) is None
    assert await news_posts(world, giver) == []


async def test_template_pasted_in_a_code_block_or_as_a_reply_is_read_like_the_template(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    reply, template = await template_reply(world, giver)
    # In a code block after the command word, so the command word is there twice.
    fenced = f"!anbieten\n```\n{template}\n```"
    fenced_html = f"<p>!anbieten</p>\n<pre><code>{html.escape(template)}\n</code></pre>"
    sent = await giver.send(world.programme, fenced, fenced_html)
    refusal = body(await giver.wait_reply(world.programme, sent, world.bot_id))
    assert UNFILLED in refusal and "verstehe ich nicht" not in refusal
    # As a reply to the bot's template, with the quoted fallback older clients put in front.
    quoted = "\n".join(f"> {line}" for line in f"<{world.bot_id}> {body(reply)}".split("\n"))
    relates = {"m.relates_to": {"m.in_reply_to": {"event_id": reply["event_id"]}}}
    fallback = f"<mx-reply><blockquote>{html.escape(body(reply))}</blockquote></mx-reply>"
    sent = await giver.send(world.programme, f"{quoted}\n\n{template}", fallback + element_html(template), **relates)
    assert UNFILLED in body(await giver.wait_reply(world.programme, sent, world.bot_id))
    assert app.store.get_session(1) is None
    # Filled in, the same reply is accepted, and the template's hint in brackets is not published.
    filled = template.replace("Titel deiner Session", "Excel im Team").replace(
        "Worum geht es? Für wen ist die Session gedacht? Was sollten die Teilnehmenden mitbringen?", "Pivot-Tabellen."
    )
    sent = await giver.send(world.programme, f"{quoted}\n\n{filled}", fallback + element_html(filled), **relates)
    answer = await giver.wait_reply(world.programme, sent, world.bot_id)
    assert "Nummer 1" in body(answer)
    await linked_post(user=giver, bot_id=world.bot_id, room=world.programme, answer=answer)  # the post is out
    [post] = await news_posts(world, giver)
    assert "Excel im Team" in post and "Pivot-Tabellen." in post
    assert "Gern über mehrere Zeilen" not in post and "So bietest du" not in post


async def test_an_emoji_with_zero_width_joiners_stays_whole_in_the_news_post(world: World) -> None:
    await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    title = "👩\u200d💻 Coding-Treff 🏳\ufe0f\u200d🌈"
    number, news = await offer(world, giver, title=title, description="Für alle 👨\u200d👩\u200d👧 ad\u200dmins")
    post = await giver.wait_for(world.programme, lambda e: e["event_id"] == news)
    assert f"KIWI-Session {number}: {title}" in body(post)
    assert title in post["content"]["formatted_body"]
    assert "Für alle 👨\u200d👩\u200d👧 admins" in body(post)
