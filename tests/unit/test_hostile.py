"""Hostile input, table-driven: what users type must never inject HTML, ping anyone or break a line.

Each input goes the way real input goes: through the offer parser into a session, then through the
renderer into the news post, the programme line and a participants list (display names), and the
rendered `formatted_body`, `body` and `m.mentions` are checked.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.errors import UserError
from kiwibot.core.messages import Mention, Msg
from kiwibot.core.model import Headcount, Session, Status
from kiwibot.core.offer import parse_offer
from kiwibot.core.present import news_post, programme_line
from kiwibot.matrix.render import Renderer

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
TZ = ZoneInfo("Europe/Berlin")

HOSTILE = {
    "script": "<script>alert('x')</script>Titel",
    "img": '<img src="https://evil.example/x.png" onerror="alert(1)">Titel',
    "iframe": '<iframe src="https://evil.example"></iframe>Titel',
    "style": "<style>body{display:none}</style>Titel",
    "js-link": '<a href="javascript:alert(1)">klick</a>',
    "at-room": "@room bitte alle kommen",
    "user-id": "@chef:example.org schau mal",
    "pill": '<a href="https://matrix.to/#/@chef:example.org">Chef</a>',
    "zero-width": "Ti\u200btel\u200d mit\ufeff Nullbreite",
    "control": "Titel\x07\x1b[31m rot",
    "rtl": "\u202eRLO-Umkehr\u202c und \u05e2\u05d1\u05e8\u05d9\u05ea",
    "entity": "&lt;b&gt; & &amp; <b>fett</b>",
}


def offer_text(title: str, description: str) -> str:
    return f"Titel: {title}\nTermin: 3.12. 14:00\nDauer: 60\nFormat: impuls\nBeschreibung: {description}"


def rendered(title: str, description: str, html: str | None = None):
    fields = parse_offer(offer_text(title[:200], description), html, NOW, TZ)
    session = Session(
        id=7,
        giver="@giver:example.org",
        title=fields.title or "",
        starts_at=NOW + timedelta(days=5),
        duration=60,
        format=fields.format,
        description=fields.description or "",
        description_html=fields.description_html,  # type: ignore[arg-type]
        link=None,
        seats=None,
        status=Status.OPEN,
        cancel_reason=None,
        news_room="!r:x",
        news_event="$e",
        origin_room=None,
        origin_event=None,
    )
    renderer = Renderer(TZ, names=lambda user: title)  # the display name is hostile too
    count = Headcount(1, 0, None)
    return [
        renderer.render(news_post(session, count, "!anmelden", "👍"), "de"),
        renderer.render(programme_line(session, count, ""), "de"),
        renderer.render(Msg.of("participants.line", position=1, name=Mention("@x:y"), user_id="@x:y"), "de"),
    ]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_in_title_description_and_names(name: str) -> None:
    text = HOSTILE[name]
    html = f"<p>Beschreibung: {text}</p>"
    for out in rendered(text, text, html):
        markup = out.html.lower()
        for banned in ("<script", "<img", "<iframe", "<style", 'href="javascript:', 'href="https://matrix.to/#/@chef'):
            assert banned not in markup, (name, banned, out.html)
        assert not re.search(r"<[^>]*\son\w+=", markup), (name, out.html)  # no event handler inside a real tag
        assert out.mentions == frozenset(), name
        assert "m.mentions" in out.content() and "room" not in out.content()["m.mentions"]
        assert "@room" not in out.body, name  # defused with a word joiner
        assert "@chef:example.org" not in out.body, name
        for invisible in ("\u200b", "\u200d", "\ufeff", "\x07", "\x1b", "\u202e"):
            assert invisible not in out.body and invisible not in out.html, (name, repr(invisible))


def test_titles_lose_invisible_and_control_characters() -> None:
    for name in ("zero-width", "control", "rtl"):
        fields = parse_offer(offer_text(HOSTILE[name], "x"), None, NOW, TZ)
        assert fields.title is not None
        assert not any(ch in fields.title for ch in "\u200b\u200d\ufeff\x07\x1b\u202e\u202c"), name


def test_zwj_emoji_survive_the_whole_way_but_zwj_between_letters_does_not() -> None:
    title = "👩\u200d💻 Coding für ad\u200dmins 🏳\ufe0f\u200d🌈"
    html = "<p>Beschreibung: <b>👨\u200d👩\u200d👧</b> ad\u200dmin</p>"
    news, line, _ = rendered(title, "👨\u200d👩\u200d👧 ad\u200dmin", html)
    for out in (news, line):
        assert "👩\u200d💻 Coding für admins 🏳\ufe0f\u200d🌈" in out.body
        assert "👩\u200d💻 Coding für admins 🏳\ufe0f\u200d🌈" in out.html
    assert "👨\u200d👩\u200d👧 admin" in news.body
    assert "<b>👨\u200d👩\u200d👧</b> admin" in news.html


def test_programme_lines_isolate_right_to_left_titles() -> None:
    line = rendered(HOSTILE["rtl"], "x")[1]
    assert "\u2068" in line.body and "\u2069" in line.body


def test_huge_text_is_refused_not_stored() -> None:
    huge = "x" * 100_000
    with pytest.raises(UserError) as err:
        parse_offer(offer_text(huge, huge), None, NOW, TZ)
    keys = {p.key for p in err.value.problems}
    assert {"offer.title_too_long", "offer.description_too_long"} <= keys
