"""The rules of feedback, pure: when it may be given, how an answer is read (rating and comment), how the
average is shown. The feedback area (core/feedback.py) decides with them.

An answer is text first ("what helped, what could be better"); a rating 1–5 is optional. Where it is read, and
which numbers stay text ("2 Stunden", "1) …"), is the rule in core/feedback_reading.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from kiwibot.core.errors import UserError
from kiwibot.core.feedback_reading import RATINGS, leading_rating, marked_rating
from kiwibot.core.model import Session
from kiwibot.core.offer.fields import DESCRIPTION_HIDDEN
from kiwibot.core.text import strip_hidden

FEEDBACK_WINDOW = timedelta(days=14)  # answers are taken from a session's end until this much later
SUMMARY_AFTER = timedelta(days=1)  # the givers' first summary, after the session's end
SUMMARY_EVERY = timedelta(days=1)  # later answers are summed up at most this often
COMMENT_MAX = 2000
# The givers see ratings and comments only once this many answers are in: a single answer shown alone would be
# known as that one person's; the ask says honestly that in a small group one can still guess.
SHOWN_FROM = 2

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
    found = leading_rating(text)
    if found is not None:
        if found.value not in RATINGS:
            raise UserError("feedback.bad_rating", value=found.written)
        rating, text = found.value, found.rest
    else:
        rating = marked_rating(text)  # "War super, 5 Sterne!": the rating, and the text as written
    comment = "\n".join(line.rstrip() for line in text.lstrip(_LEAD_OFF).splitlines()).strip()
    if len(comment) > COMMENT_MAX:
        raise UserError("feedback.too_long", length=len(comment), max=COMMENT_MAX)
    if rating is None and not comment:
        raise UserError("feedback.empty")
    return Answer(rating, comment)


def average(ratings: Iterable[int]) -> float | None:
    """The mean rating to one decimal, rounded half up (4.25 → 4.3); None without any rating."""
    given = list(ratings)
    if not given:
        return None
    mean = Decimal(sum(given)) / Decimal(len(given))
    return float(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
