"""The rules of feedback, pure: when it may be given, how an answer is read (rating and comment), how the
average is shown. The feedback area (core/feedback.py) decides with them.

An answer is text first ("what helped, what could be better"); a rating is optional and counts only at the very
start: a whole number from 1 to 5, alone or written as "4/5", "4 von 5", "4 Sterne", "4 Punkte" (English: "of 5",
"stars", "points"), or as one to five stars (⭐⭐⭐⭐). A leading number with such a scale or unit that is not
1–5 ("6/5", "0 Sterne", "4,5") is refused, so nobody's rating is silently dropped; any other leading number
("10 Minuten zu lang") is text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from kiwibot.core.errors import UserError
from kiwibot.core.model import Session
from kiwibot.core.offer.fields import DESCRIPTION_HIDDEN
from kiwibot.core.text import strip_hidden

FEEDBACK_WINDOW = timedelta(days=14)  # answers are taken from a session's end until this much later
SUMMARY_AFTER = timedelta(days=1)  # the givers' first summary, after the session's end
SUMMARY_EVERY = timedelta(days=1)  # later answers are summed up at most this often
COMMENT_MAX = 2000
RATINGS = range(1, 6)

_LEADING = re.compile(
    r"(?P<number>\d+(?:[.,]\d+)?)"
    r"(?P<scale>\s*(?:/|von|aus|of|out of)\s*5)?"
    r"(?P<unit>\s*(?:stern(?:en?)?|stars?|punkt(?:en?)?|points?)\b)?"
    # then the end, a space or a punctuation mark that is not part of a longer number ("3-4", "1.000")
    r"(?=$|\s|[:;,!)–—-](?!\d)|\.(?!\d))",
    re.I,
)
_STARS = re.compile(r"(?:[⭐★🌟]\ufe0f?\s*)+")  # "⭐⭐⭐⭐" is a rating of 4, as people write it in chats
_LEAD_OFF = " \t\n:;,.!-–—"


class Window(Enum):
    """Where a moment lies relative to a session's feedback window."""

    NOT_ENDED = "not ended"
    OPEN = "open"
    CLOSED = "closed"


def feedback_until(session: Session) -> datetime:
    """The last moment an answer is taken: the window closes this long after the end."""
    return session.ends_at + FEEDBACK_WINDOW


def window(session: Session, now: datetime) -> Window:
    """Feedback is about a session that took place: from its end, for `FEEDBACK_WINDOW`."""
    if now < session.ends_at:
        return Window.NOT_ENDED
    return Window.OPEN if now < feedback_until(session) else Window.CLOSED


@dataclass(frozen=True, slots=True)
class Answer:
    """One person's feedback as stored: an optional rating 1–5 and the comment (maybe empty)."""

    rating: int | None
    comment: str


def read_answer(text: str) -> Answer:
    """An answer from what was written after the session number (see the module's rules)."""
    text = strip_hidden(text, DESCRIPTION_HIDDEN).strip()
    rating = None
    stars = _STARS.match(text)
    match = None if stars else _LEADING.match(text)
    if stars is not None:
        count = sum(1 for char in stars.group(0) if char in "⭐★🌟")
        if count not in RATINGS:
            raise UserError("feedback.bad_rating", value=stars.group(0).strip())
        rating = count
        text = text[stars.end() :]
    elif match is not None:
        number = match["number"]
        whole = number.isdigit()
        if whole and int(number) in RATINGS:
            rating = int(number)
            text = text[match.end() :]
        elif match["scale"] or match["unit"] or _looks_like_a_rating(number):
            raise UserError("feedback.bad_rating", value=match.group(0).strip())
    comment = "\n".join(line.rstrip() for line in text.lstrip(_LEAD_OFF).splitlines()).strip()
    if len(comment) > COMMENT_MAX:
        raise UserError("feedback.too_long", length=len(comment), max=COMMENT_MAX)
    if rating is None and not comment:
        raise UserError("feedback.empty")
    return Answer(rating, comment)


def _looks_like_a_rating(number: str) -> bool:
    """ "4,5" or "2.5" at the start is a half rating, which there is not; "1.000" or "3,14" is no rating."""
    whole, _, fraction = number.replace(",", ".").partition(".")
    return len(fraction) == 1 and int(whole) <= 5


def average(ratings: Iterable[int]) -> float | None:
    """The mean rating to one decimal, rounded half up (4.25 → 4.3); None without any rating."""
    given = list(ratings)
    if not given:
        return None
    mean = Decimal(sum(given)) / Decimal(len(given))
    return float(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
