"""An outbox row's purpose in typed columns: the core's `Purpose` values in and out, nowhere else spelled.

`purpose` names the kind; the subject is in `session_id`, `reminder_offset` with `planned_start`, or
`digest_day`. A row without a purpose (a reply, a note) has NULL in all of them.
"""

from __future__ import annotations

import logging
from datetime import date

from kiwibot.core.effects import (
    Confirmation,
    Digest,
    FeedbackAsk,
    FeedbackSummary,
    NewsEdit,
    NewsPost,
    Notice,
    Overview,
    OverviewEdit,
    Purpose,
    Reminder,
    WishEdit,
    WishPost,
)
from kiwibot.storage.times import from_iso, iso

log = logging.getLogger(__name__)

PURPOSE_COLUMNS = ("purpose", "session_id", "reminder_offset", "planned_start", "digest_day")
# A WHERE clause for "the same purpose" (IS: NULL equals NULL), bound with `purpose_columns(...)`.
PURPOSE_IS = " AND ".join(f"{column} IS ?" for column in PURPOSE_COLUMNS)

Columns = tuple[str | None, int | None, int | None, str | None, str | None]

# The kinds as stored; migration 6 converts the strings of older versions to them.
_SESSION_KINDS: dict[str, type[NewsPost | NewsEdit | Notice | FeedbackAsk | FeedbackSummary]] = {
    "news": NewsPost,
    "news-edit": NewsEdit,
    "notice": Notice,
    "feedback-ask": FeedbackAsk,
    "feedback-summary": FeedbackSummary,
}
_PLAIN_KINDS: dict[str, type[Overview | OverviewEdit]] = {
    "overview": Overview,
    "overview-edit": OverviewEdit,
}
# A wish's post and its edits keep the wish's number in `session_id` (migration 8).
_WISH_KINDS: dict[str, type[WishPost | WishEdit]] = {"wish": WishPost, "wish-edit": WishEdit}
_KIND_OF = {cls: kind for kind, cls in (*_SESSION_KINDS.items(), *_PLAIN_KINDS.items(), *_WISH_KINDS.items())}
CONFIRM = "confirm"  # the session in `session_id`; NULL for an answer queued by an older version


def purpose_columns(purpose: Purpose | None) -> Columns:
    """The column values that store `purpose`, in the order of `PURPOSE_COLUMNS`."""
    match purpose:
        case None:
            return (None, None, None, None, None)
        case Reminder(session_id, offset, planned_start):
            return ("reminder", session_id, offset, iso(planned_start), None)
        case Digest(day):
            return ("digest", None, None, None, day.isoformat())
        case (
            NewsPost(session_id)
            | NewsEdit(session_id)
            | Notice(session_id)
            | FeedbackAsk(session_id)
            | FeedbackSummary(session_id)
        ):
            return (_KIND_OF[type(purpose)], session_id, None, None, None)
        case WishPost(wish_id) | WishEdit(wish_id):
            return (_KIND_OF[type(purpose)], wish_id, None, None, None)
        case Confirmation(session_id):
            return (CONFIRM, session_id, None, None, None)
        case Overview() | OverviewEdit():
            return (_KIND_OF[type(purpose)], None, None, None, None)
    raise TypeError(f"not an outbox purpose: {purpose!r}")


def purpose_of(
    kind: str | None, session_id: int | None, offset: int | None, planned_start: str | None, day: str | None
) -> Purpose | None:
    """The purpose stored in a row's columns. A row this code cannot read is still sent, without follow-up."""
    if kind is None:
        return None
    if kind == "reminder" and session_id is not None and offset is not None and planned_start is not None:
        return Reminder(session_id, offset, from_iso(planned_start))
    if kind == "digest" and day is not None:
        return Digest(date.fromisoformat(day))
    if kind in _SESSION_KINDS and session_id is not None:
        return _SESSION_KINDS[kind](session_id)
    if kind in _WISH_KINDS and session_id is not None:
        return _WISH_KINDS[kind](session_id)
    if kind == CONFIRM:
        return Confirmation(session_id)
    if kind in _PLAIN_KINDS:
        return _PLAIN_KINDS[kind]()
    log.warning("outbox purpose %r not understood: the message is sent without follow-up", kind)
    return None
