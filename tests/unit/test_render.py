"""Rendering: escaping, pills, intentional mentions and localised dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from kiwibot.core.messages import Code, Lines, Link, Mention, Moment, Msg, PostLink
from kiwibot.matrix.render import Renderer

R = Renderer(ZoneInfo("Europe/Berlin"))


def test_dates_are_localised_in_the_configured_zone() -> None:
    at = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    assert R.render(Msg.of("help.line", usage=Moment(at), text=""), "de").body == "Do., 3. Dez. 2026, 14:00 Uhr – "
    assert R.render(Msg.of("help.line", usage=Moment(at), text=""), "en").body.startswith("Thu, Dec 3, 2026, 2:00")


def test_user_text_is_escaped_and_never_pings() -> None:
    evil = '<script>alert(1)</script> @room <a href="https://matrix.to/#/@x:y">x</a>'
    out = R.render(Msg.of("help.line", usage=evil, text=""), "de")
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html
    assert "<a " not in out.html
    assert "@room" not in out.body and "@\u2060room" in out.body
    assert out.mentions == frozenset()
    assert out.content()["m.mentions"] == {}


def test_template_markup_becomes_html_but_parameters_do_not() -> None:
    out = R.render(Msg.of("help.header"), "de")
    assert out.html.startswith("<strong>KIWI")
    assert "**" not in out.body
    code = R.render(Msg.of("help.line", usage=Code("!hilfe"), text="**nicht fett**"), "de")
    assert "<code>!hilfe</code>" in code.html
    assert "<strong>" not in code.html


def test_mentions_only_when_meant() -> None:
    quiet = R.render(Msg.of("help.line", usage=Mention("@a:x", "Anna"), text=""), "de")
    assert quiet.mentions == frozenset()
    assert 'href="https://matrix.to/#/@a:x"' in quiet.html and ">Anna</a>" in quiet.html
    loud = R.render(Msg.of("help.line", usage=Mention("@a:x", "Anna", ping=True), text=""), "de")
    assert loud.content()["m.mentions"] == {"user_ids": ["@a:x"]}


def test_links_only_for_http() -> None:
    good = R.render(Msg.of("help.line", usage=Link("https://meet.example/abc"), text=""), "de")
    assert '<a href="https://meet.example/abc">' in good.html
    bad = R.render(Msg.of("help.line", usage=Link("javascript:alert(1)"), text=""), "de")
    assert "<a " not in bad.html


def test_lines_join_with_breaks() -> None:
    out = R.render(Lines((Msg.of("ping.pong"), "zweite <Zeile>")), "de")
    assert out.body.endswith("\nzweite <Zeile>")
    assert "<br>" in out.html and "zweite &lt;Zeile&gt;" in out.html


def test_a_list_too_long_for_one_event_is_cut_and_says_how_many_are_left_out() -> None:
    people = [Mention(f"@teilnehmerin-{i:05}:verwaltung.example") for i in range(5000)]
    rendered = R.render(
        Lines(
            tuple(
                Msg.of("participants.line", position=i, name=p, user_id=Code(p.user_id))
                for i, p in enumerate(people, 1)
            )
        ),
        "de",
    )
    event = json.dumps({"type": "m.room.message", "content": rendered.content()}, ensure_ascii=False).encode()
    assert len(event) < 65_536 // 2  # room for an edit, which carries the text twice
    last = rendered.body.splitlines()[-1]
    shown = len(rendered.body.splitlines()) - 1
    assert last == f"… und {5000 - shown} weitere" and shown > 100
    assert rendered.mentions == frozenset()


def test_one_giant_item_still_fits_in_an_event() -> None:
    rendered = R.render("🙂" * 40_000, "de")
    assert len(json.dumps(rendered.content(), ensure_ascii=False).encode()) < 65_536 // 2 + 4096
    assert rendered.body.endswith("…")


ZWJ_EMOJI = ["👩\u200d💻", "🏳\ufe0f\u200d🌈", "👨\u200d👩\u200d👧", "❤\ufe0f\u200d🔥", "🧑🏽\u200d💻"]


def test_zwj_emoji_survive_rendering_in_text_names_and_reasons() -> None:
    for emoji in ZWJ_EMOJI:
        text = R.render(Msg.of("help.line", usage=f"{emoji} Titel", text=Mention("@a:x", f"Anna {emoji}")), "de")
        assert f"{emoji} Titel" in text.body and f"{emoji} Titel" in text.html
        assert f"Anna {emoji}" in text.body and f"Anna {emoji}</a>" in text.html
        reason = R.render(Msg.of("cancel.reason", reason=f"krank {emoji}"), "de")
        assert f"krank {emoji}" in reason.body and f"krank {emoji}" in reason.html


def test_invisible_characters_outside_emoji_are_still_removed() -> None:
    out = R.render(Msg.of("cancel.reason", reason="\u200dad\u200dmin\u200b\u202e 👩\u200d💻\u200d\U000e0041"), "de")
    for hidden in ("\u200b", "\u202e", "\U000e0041"):
        assert hidden not in out.body and hidden not in out.html
    assert "admin 👩\u200d💻" in out.body and out.body.count("\u200d") == 1
    assert out.html.count("\u200d") == 1


def test_a_post_is_linked_as_matrix_links_to_an_event() -> None:
    out = R.render(Msg.of("offer.created", number=3, post=PostLink("!prog:x", "$news")), "de")
    assert '<a href="https://matrix.to/#/!prog:x/$news">' in out.html
    assert "(https://matrix.to/#/!prog:x/$news)" in out.body


def test_plain_text_over_several_lines_keeps_its_line_breaks_in_html() -> None:
    rendered = Renderer(ZoneInfo("Europe/Berlin")).render(Msg.of("help.detail", usage="x", text="eins\nzwei"), "de")
    assert "eins<br>\nzwei" in rendered.html and "eins\nzwei" in rendered.body
