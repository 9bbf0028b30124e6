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


# -- taking wishes back: "!wunsch löschen W2", "!wunsch W2 W3 zurückziehen", "!wish take back W4" -------------

# The verbs (and their imperatives) that mean "take this wish back", German and English, as `casefold` gives them.
_CLOSE_WORDS = frozenset(
    word.casefold()
    for word in {
        *("schließen", "schliessen", "schliesen", "schließe", "schliesse", "close"),
        *("löschen", "loeschen", "lösche", "loesche", "entfernen", "entferne", "weg", "erledigt"),
        *("zurücknehmen", "zuruecknehmen", "nimm", "zurück", "zurueck", "zurückziehen", "zurueckziehen", "ziehe"),
        *("streichen", "stornieren", "delete", "remove", "withdraw", "take", "back", "done", "cancel"),
    }
)
# Words that may stand around the verb without making a topic ("bitte meinen Wunsch W2 löschen").
_CLOSE_FILLERS = frozenset(
    {
        *("bitte", "mein", "meinen", "meine", "den", "die", "das", "wunsch", "wünsche", "wuensche", "nummer"),
        *("und", "oder", "sowie", "please", "my", "the", "wish", "wishes", "number", "and", "or"),
    }
)
_ANY_NUMBER = re.compile(
    r"(?<!\w)(?:#\s*)?(?:w(?:unsch|ish)?|nr|no|nummer|number|session)?\.?\s*[-.]?\s*\d{1,9}\.?(?!\w)", re.I
)
_WISH_LABEL = re.compile(r"(?<!\w)#?\s*w(?:unsch|ish)?\s*[-.]?\s*\d{1,9}(?!\w)", re.I)


def _other_words(text: str, numbers: re.Pattern[str]) -> list[str]:
    return [w for w in re.findall(r"\w+", numbers.sub(" ", text).casefold()) if w not in _CLOSE_FILLERS]


def close_request(line: str) -> tuple[str, ...] | None:
    """The numbers (as written, maybe none) if the line only asks to take wishes back ("löschen W2 W3",
    "W4 zurückziehen"); None when it is a topic ("Löschfristen im DMS", "Schließen von Wissenslücken")."""
    words = _other_words(line, _ANY_NUMBER)
    if not words or not all(word in _CLOSE_WORDS for word in words):
        return None
    return tuple(" ".join(match.group().split()) for match in _ANY_NUMBER.finditer(line))


def names_wishes_only(line: str) -> bool:
    """A topic made of wish numbers and at most one other word ("W2 W3", "streiche W2"): a command gone wrong,
    never a topic to post."""
    return _WISH_LABEL.search(line) is not None and len(_other_words(line, _WISH_LABEL)) <= 1


def wish_labels_in(line: str) -> tuple[str, ...]:
    """The wish numbers a line names, shown as W7 (to say how to close them)."""
    return tuple(wish_label(int(re.sub(r"\D", "", m.group()))) for m in _WISH_LABEL.finditer(line))
