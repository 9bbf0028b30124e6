"""Removing characters that hide or reorder text without breaking emoji apart.

A zero-width joiner (U+200D) between two letters hides a word from a reader ("ad\u200dmin"); between two
emoji it is what makes 👩‍💻, 🏳️‍🌈 or 👨‍👩‍👧 one picture. Tag characters (U+E0020–E007F) can smuggle invisible
text, but right after a black flag they spell a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿). So both are dropped like any
invisible character, except where they are part of such an emoji sequence.

Pure: no chat platform, no storage, no I/O.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ZWJ", "emoji_part", "strip_hidden"]

ZWJ = "\u200d"
_VS16 = "\ufe0f"
_BLACK_FLAG = "\U0001f3f4"
_CANCEL_TAG = "\U000e007f"
_TAG_FIRST, _TAG_LAST = 0xE0020, 0xE007E
_TAGS_MAX = 8  # a subdivision code has at most six tag letters ("gbsct" has five)


def _is_emoji(ch: str) -> bool:
    """Close enough to Unicode's Extended_Pictographic for joining: the emoji blocks and symbols (So).

    Python has no Extended_Pictographic property; every emoji that a ZWJ sequence joins is a symbol or sits
    in the emoji blocks (which also covers emoji newer than Python's Unicode tables).
    """
    code = ord(ch)
    return 0x1F000 <= code <= 0x1FAFF or 0x1FC00 <= code <= 0x1FFFD or unicodedata.category(ch) == "So"


def _is_modifier(ch: str) -> bool:
    """The emoji presentation selector and the skin tones, which may stand between an emoji and its ZWJ."""
    return ch == _VS16 or 0x1F3FB <= ord(ch) <= 0x1F3FF


def _is_tag(ch: str) -> bool:
    return _TAG_FIRST <= ord(ch) <= _TAG_LAST


def emoji_part(text: str, index: int) -> bool:
    """Whether the invisible character at `index` belongs to an emoji sequence and so must stay.

    A ZWJ stays between an emoji (perhaps with VS16 or a skin tone) and the next emoji; tag characters stay
    after a black flag up to and including their cancel tag.
    """
    ch = text[index]
    if ch == ZWJ:
        before = index - 1
        while before >= 0 and index - before <= 2 and _is_modifier(text[before]):
            before -= 1
        return before >= 0 and _is_emoji(text[before]) and index + 1 < len(text) and _is_emoji(text[index + 1])
    if ch == _CANCEL_TAG or _is_tag(ch):
        start = index
        while start > 0 and index - start < _TAGS_MAX and _is_tag(text[start - 1]):
            start -= 1
        if start == 0 or text[start - 1] != _BLACK_FLAG:
            return False
        end = index
        while end < len(text) and end - start < _TAGS_MAX and _is_tag(text[end]):
            end += 1
        return end < len(text) and text[end] == _CANCEL_TAG and end > start
    return False


def strip_hidden(text: str, hidden: re.Pattern[str]) -> str:
    """`text` without the characters `hidden` matches (one at a time), except those inside an emoji sequence."""
    return hidden.sub(lambda match: match.group() if emoji_part(text, match.start()) else "", text)
