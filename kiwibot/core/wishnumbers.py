"""Wish numbers: shown as W7 and read as people write them, never taken for a session's number (or the reverse).

Pure and without imports of the rest of the core, so the offer's `Wunsch:` field and the commands read them alike.
"""

from __future__ import annotations

import re

from kiwibot.core.errors import UserError

_SHOWN_MAX = 40


def wish_label(number: int) -> str:
    """How a wish number is shown everywhere: W7, so it can never be read as session 7."""
    return f"W{number}"


# -- numbers: W7 names a wish, 7 / Nr. 7 / #7 a session ----------------------------------------------

_WISH_NUMBER = re.compile(r"#?\s*w(?:unsch|ish)?\s*[-.]?\s*(?P<n>\d{1,9})\.?", re.I)
_PLAIN_NUMBER = re.compile(r"(?P<n>\d{1,9})\.?")
_SESSION_NUMBER = re.compile(r"(?:#\s*|(?:nr|no|nummer|number|session)\.?\s*)\d{1,9}\.?", re.I)


def is_wish_number(text: str) -> bool:
    """Whether the text is a wish's number (W7, w 7, #W7, Wunsch 7): where a session's is expected, it is refused."""
    return _WISH_NUMBER.fullmatch(text.strip()) is not None


def is_number_only(text: str) -> bool:
    """Just a number ("7", "Nr. 7", "#7"): a wish topic like that is a command gone wrong, never a topic."""
    text = text.strip()
    return _PLAIN_NUMBER.fullmatch(text) is not None or _SESSION_NUMBER.fullmatch(text) is not None


def wish_number(text: str) -> int:
    """A wish's number as people write it: W7, w7, W 7, #W7, Wunsch 7, or plainly 7.

    A session's number ("Nr. 7", "#7", "Session 7") is refused with a reason, never taken as wish 7.
    """
    value = text.strip()
    match = _WISH_NUMBER.fullmatch(value) or _PLAIN_NUMBER.fullmatch(value)
    if match is not None and int(match["n"]) > 0:
        return int(match["n"])
    if _SESSION_NUMBER.fullmatch(value):
        raise UserError("wish.session_number", value=_shown(value))
    raise UserError("wish.bad_number", value=_shown(value))


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= _SHOWN_MAX else value[: _SHOWN_MAX - 1] + "…"
