"""Which queued messages must keep their order, and how many may be on their way at once.

Sending one message after another holds every answer behind the homeserver's round trip (~15 a second).
Most queued messages do not depend on each other, so the outbox sends them side by side, in *lanes*: the
messages of one conversation share a lane and go out one after another, in the order they were queued;
different lanes run at once. A conversation is

- a person's direct chat (queued as `dm:@user` or to the room the person opened with the bot),
- a session: its news post, the post's edits, its thread (notices, reminders, answers written in it),
- any other thread, or the edits of one message (keyed by the thread root / the edited event),
- one person's commands in a room outside threads (their answers),
- the overview and its edits; a wish's post and its edits; the digest;
- anything else in a room: the room's own lane.

A message that needs another one first (an offer's confirmation links to the news post) is queued only once
that one was sent, so it never overtakes it. A news post waits until its offer's answer, queued just before it,
was sent: the member waits for the answer, and a post accepted first would reach their client first.

The homeserver's rate limit (429 `M_LIMIT_EXCEEDED`) halves the number of lanes in flight and pauses all of them
for `retry_after_ms`; calm sends widen it again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from typing import Any

from nio import ErrorResponse

from kiwibot.core.effects import (
    Digest,
    FeedbackAsk,
    FeedbackSummary,
    NewsEdit,
    NewsPost,
    Notice,
    Overview,
    OverviewEdit,
    Reminder,
    WishEdit,
    WishPost,
)
from kiwibot.storage import OutboxItem
from kiwibot.storage.outbox import Owners

log = logging.getLogger(__name__)

DIRECT = "dm:"  # outbox rooms of this form are a person's direct chat, found or created when sending
WIDEST = 32  # lanes in flight at most: a bare client sends fastest with 32 at once (bench B8, 2 cores)
LIMITED = ("M_LIMIT_EXCEEDED", "429")


def relation(content: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(thread root, edited event, replied-to event) of a message's `m.relates_to`, each None if absent."""
    relates = content.get("m.relates_to")
    if not isinstance(relates, dict):
        return None, None, None
    target = relates.get("event_id") if isinstance(relates.get("event_id"), str) else None
    root = target if relates.get("rel_type") == "m.thread" else None
    edited = target if relates.get("rel_type") == "m.replace" else None
    reply = relates.get("m.in_reply_to")
    replied = reply.get("event_id") if isinstance(reply, dict) and isinstance(reply.get("event_id"), str) else None
    return root, edited, replied


def looked_up(items: Iterable[OutboxItem]) -> tuple[set[str], set[str], set[str]]:
    """What `lane_of` needs to know about a read of the outbox: (replied-to events, thread roots and edited
    events, rooms)."""
    replied: set[str] = set()
    posts: set[str] = set()
    rooms: set[str] = set()
    for item in items:
        root, edited, reply = relation(item.content)
        posts.update(e for e in (root, edited) if e)
        if reply:
            replied.add(reply)
        if not item.room_id.startswith(DIRECT):
            rooms.add(item.room_id)
    return replied, posts, rooms


def lane_of(item: OutboxItem, owners: Owners) -> str:
    """The conversation a queued message belongs to: messages of one lane keep their order."""
    room = item.room_id
    if room.startswith(DIRECT):
        return room
    if person := owners.direct_people.get(room):
        return DIRECT + person
    match item.purpose:
        case (
            NewsPost(session)
            | NewsEdit(session)
            | Notice(session)
            | Reminder(session, _, _)
            | FeedbackAsk(session)
            | FeedbackSummary(session)
        ):
            return f"{room} session {session}"
        case WishPost(wish) | WishEdit(wish):
            return f"{room} wish {wish}"
        case Overview() | OverviewEdit():
            return f"{room} overview"
        case Digest():
            return f"{room} digest"
    root, edited, replied = relation(item.content)
    if post := root or edited:
        announced = owners.post_sessions.get(post)
        return f"{room} session {announced}" if announced is not None else f"{room} thread {post}"
    if replied:
        sender = owners.command_senders.get(replied)
        return f"{room} person {sender}" if sender else f"{room} reply {replied}"
    return room


def is_limited(response: ErrorResponse) -> bool:
    """The homeserver's "too many requests" (429 `M_LIMIT_EXCEEDED`)."""
    return str(response.status_code) in LIMITED


class Pace:
    """How many lanes may send at once: halved on each rate-limit answer (and everything waits the time the
    homeserver asked for), widened by one after a run of calm sends, up to `widest`."""

    def __init__(self, widest: int = WIDEST) -> None:
        self.widest = widest
        self.width = widest
        self.limited = 0  # rate-limit answers seen (for logs, tests and benchmarks)
        self._resume_at = 0.0
        self._calm = 0

    def limited_for(self, retry_after_ms: int | None) -> None:
        """The homeserver refused a send as too many: slow down, and wait what it asked (5 s if it did not say)."""
        wait = (retry_after_ms or 5000) / 1000
        self.limited += 1
        self.width = max(1, self.width // 2)
        self._calm = 0
        self._resume_at = max(self._resume_at, time.monotonic() + wait)
        log.info("rate-limited by the homeserver: pausing %.1f s, at most %d messages at once", wait, self.width)

    def sent(self) -> None:
        """A send went through: after twice the width in a row, one more lane may run."""
        self._calm += 1
        if self.width < self.widest and self._calm >= 2 * self.width:
            self.width += 1
            self._calm = 0

    async def ready(self) -> None:
        """Wait out a pause the homeserver asked for."""
        # A loop, not one sleep: another rate-limit answer may push the end of the pause further while we wait.
        while (wait := self._resume_at - time.monotonic()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)
