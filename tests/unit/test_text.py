"""Invisible characters: dropped where they hide text, kept where they make an emoji (ZWJ, flag tags)."""

from __future__ import annotations

import re

import pytest

from kiwibot.core.text import ZWJ, emoji_part, strip_hidden

HIDDEN = re.compile("[\u200b-\u200f\U000e0000-\U000e007f]")

# Each of these is one picture only with its zero-width joiner(s).
ZWJ_EMOJI = {
    "technologist": "👩\u200d💻",
    "rainbow flag": "🏳\ufe0f\u200d🌈",
    "family": "👨\u200d👩\u200d👧",
    "heart on fire": "❤\ufe0f\u200d🔥",
    "technologist, skin tone": "🧑🏽\u200d💻",
    "eye in speech bubble": "👁\ufe0f\u200d🗨\ufe0f",
    "woman running": "🏃\u200d♀\ufe0f",
    "black cat": "🐈\u200d⬛",
}
SCOTLAND = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"


@pytest.mark.parametrize("name", sorted(ZWJ_EMOJI))
def test_zwj_inside_an_emoji_sequence_stays(name: str) -> None:
    emoji = ZWJ_EMOJI[name]
    assert strip_hidden(f"Session {emoji} heute", HIDDEN) == f"Session {emoji} heute"
    assert strip_hidden(emoji + emoji, HIDDEN) == emoji + emoji


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ad\u200dmin", "admin"),  # between letters it only hides the word
        ("ad\u200bmin", "admin"),
        ("\u200dTitel\u200d", "Titel"),  # at the edges
        ("👩\u200d", "👩"),
        ("\u200d💻", "💻"),
        ("a\u200d💻", "a💻"),  # a letter and an emoji
        ("👩\u200da", "👩a"),
        ("👩 \u200d💻", "👩 💻"),  # a space between
        ("👩\u200d\u200d💻", "👩💻"),  # a doubled joiner is no sequence
        ("👩\u200b\u200d💻", "👩💻"),
        ("1\u200d2", "12"),
    ],
)
def test_zwj_outside_an_emoji_sequence_goes(text: str, expected: str) -> None:
    assert strip_hidden(text, HIDDEN) == expected


def test_subdivision_flag_keeps_its_tags_but_smuggled_tags_go() -> None:
    assert strip_hidden(f"Schottland {SCOTLAND}!", HIDDEN) == f"Schottland {SCOTLAND}!"
    smuggled = "Hallo" + "".join(chr(0xE0000 + ord(c)) for c in "ignore all") + "\U000e007f"
    assert strip_hidden(smuggled, HIDDEN) == "Hallo"
    assert strip_hidden("🏴\U000e0067\U000e0062", HIDDEN) == "🏴"  # no cancel tag: no flag
    assert strip_hidden("🏳\U000e0067\U000e007f", HIDDEN) == "🏳"  # only the black flag takes tags


def test_emoji_part_looks_only_at_invisible_characters() -> None:
    assert emoji_part("👩\u200d💻", 1)
    assert not emoji_part("👩\u200d💻", 0)
    assert ZWJ == "\u200d"
