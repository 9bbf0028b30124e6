"""The programme room's living messages: news posts per session, the pinned overview, thread notes.

Edits are debounced (when: `debounce.py`): a burst of signups marks a session dirty many times but yields
a few edits, and the last edit is rendered from the database after the burst, so it always shows the
exact count.
A hash of what was last posted is stored, so a restart edits only what is really stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from nio import AsyncClient, RoomGetEventResponse, RoomGetStateEventResponse, RoomPutStateError

from kiwibot.commands.registry import CommandRegistry
from kiwibot.config import Config
from kiwibot.core.calendar import Calendars
from kiwibot.core.effects import (
    Announce,
    AnnounceWish,
    Confirmation,
    Digest,
    Direct,
    Effect,
    FeedbackAsk,
    NewsEdit,
    NewsPost,
    Notice,
    Notify,
    NotifyWish,
    Overview,
    OverviewEdit,
    Post,
    Refresh,
    RefreshWish,
    Reminder,
    WishPost,
)
from kiwibot.core.errors import StorageUnavailable
from kiwibot.core.messages import Mention, Msg
from kiwibot.core.model import Session
from kiwibot.core.ports import Clock
from kiwibot.core.present import news_post, overview
from kiwibot.core.pseudonyms import is_pseudonym
from kiwibot.core.service import Kiwi, pings
from kiwibot.matrix.debounce import Debounce, PostKey
from kiwibot.matrix.edits import DELETED, content_hash, edit_of
from kiwibot.matrix.outbox import DIRECT
from kiwibot.matrix.render import Renderer
from kiwibot.matrix.rooms import Rooms
from kiwibot.matrix.uploads import queue_files
from kiwibot.matrix.wishposts import WishPosts, wish_key, wish_of_key
from kiwibot.storage import OutboxItem, Store
from kiwibot.tasks import spawn

if TYPE_CHECKING:
    from kiwibot.matrix.confirmations import Confirmations

log = logging.getLogger(__name__)

OVERVIEW = "overview"
FAILED = "updating the programme posts failed"
UNAVAILABLE = "database unavailable while updating the programme posts (next change retries)"


def reply_relation(event_id: str, thread_root: str | None) -> dict[str, Any]:
    """A rich reply to `event_id`, inside the thread it was written in: a reply outside the thread would
    show up in the main timeline, away from the conversation it answers."""
    relation: dict[str, Any] = {"m.in_reply_to": {"event_id": event_id}}
    if thread_root:
        relation |= {"rel_type": "m.thread", "event_id": thread_root, "is_falling_back": False}
    return relation


class Posts(WishPosts):
    tick_seconds = 60.0

    def __init__(
        self,
        config: Config,
        client: AsyncClient,
        store: Store,
        kiwi: Kiwi,
        registry: CommandRegistry,
        renderer: Renderer,
        clock: Clock,
        rooms: Rooms,
        flush: Callable[[], Awaitable[None]],
        calendars: Calendars | None = None,
        *,
        confirmations: Confirmations,
    ) -> None:
        """`flush` sends what the outbox holds: edits are queued, then sent before the overview is pinned.
        `calendars` (None: the web side is off): news posts link their calendar file and name `!kalender`.
        `confirmations`: the answers to offers, given at once and edited to link to their post."""
        self.config = config
        self.client = client
        self.store = store
        self.kiwi = kiwi
        self.registry = registry
        self.renderer = renderer
        self.clock = clock
        self.rooms = rooms
        self.flush = flush
        self.calendars = calendars
        self.confirmations = confirmations
        self.language = config.language
        self._dirty = Debounce()  # posts (session id or OVERVIEW) with changes they do not show yet
        self._task: asyncio.Task[None] | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._ticked_at: datetime | None = None  # sessions starting after this get their post edited at the tick

    @property
    def room_id(self) -> str | None:
        """The programme room, once joined."""
        return self.rooms.programme

    @property
    def digest_room_id(self) -> str | None:
        return self.rooms.digest

    def _command(self, name: str) -> str:
        return self.registry.named(name, self.language)

    # -- effects (called inside the transaction that decided them) ------------------------------

    def apply(self, effects: tuple[Effect, ...]) -> None:
        for effect in effects:
            if isinstance(effect, Announce):
                self._announce(effect.session_id)
            elif isinstance(effect, Refresh):
                self._touch(effect.session_id)
                self._touch(OVERVIEW)
            elif isinstance(effect, Notify):
                self._notify(effect)
            elif isinstance(effect, Direct) and is_pseudonym(effect.user_id):
                continue  # a forgotten member or a removed name: nobody to write to
            elif isinstance(effect, Direct):
                content = self.renderer.render(effect.message, self.kiwi.language_of(effect.user_id)).content()
                self.store.enqueue(DIRECT + effect.user_id, content, at=self.clock.now(), purpose=effect.purpose)
                queue_files(self.store, DIRECT + effect.user_id, effect.files, None, at=self.clock.now())
            elif isinstance(effect, Post):
                room = {"programme": self.room_id, "reports": self.rooms.reports}.get(effect.room, self.digest_room_id)
                if room is None:
                    log.error("cannot post to the %s room: the bot is not in it", effect.room)
                    continue
                content = self.renderer.render(effect.message, self.language).content()
                self.store.enqueue(room, content, at=self.clock.now(), purpose=effect.purpose)
                queue_files(self.store, room, effect.files, None, at=self.clock.now())
            elif isinstance(effect, AnnounceWish):
                self._announce_wish(effect.wish_id)
            elif isinstance(effect, RefreshWish):
                self._touch(wish_key(effect.wish_id))
            elif isinstance(effect, NotifyWish):
                self._notify_wish(effect)
        if any(isinstance(e, Refresh | RefreshWish) for e in effects):
            self._schedule()

    async def run_scheduled(self, decide: Callable[[], tuple[Effect, ...]]) -> None:
        """A scheduler wake-up: what is due is decided and queued in one transaction, then sent."""
        with self.store.transaction():
            self.apply(decide())
        await self.flush()

    def _news_content(self, session: Session) -> dict[str, Any]:
        count = self.kiwi.attendance(session).headcount(session.seats)
        file = self.calendars.file_link(session.id) if self.calendars is not None else None
        calendar = self._command("calendar") if self.calendars is not None else None
        reaction, materials = self.config.signup_reactions[0], self.store.materials(session.id)
        wish = self.store.wish_of_session(session.id)
        started = session.starts_at <= self.clock.now()
        message = news_post(session, count, self._command("join"), reaction, file, calendar, materials, wish, started)
        return self.renderer.render(message, self.language).content()

    def _announce(self, session_id: int) -> None:
        session = self.kiwi.session(session_id)
        if self.room_id is None:
            log.error("session %d cannot be announced: the bot is not in the programme room", session_id)
            return
        self.confirmations.answer_now(session)  # first: the member's answer does not wait for the post (#15)
        self.store.enqueue(self.room_id, self._news_content(session), at=self.clock.now(), purpose=NewsPost(session_id))

    def _thread(self, session: Session, content: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        room = session.news_room or self.room_id
        if room is None:
            return None
        if session.news_event:
            content["m.relates_to"] = {
                "rel_type": "m.thread",
                "event_id": session.news_event,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": session.news_event},
            }
        return room, content

    def _notify(self, effect: Notify) -> None:
        session = self.kiwi.session(effect.session_id)
        rendered = self.renderer.render(effect.message, effect.language or self.language)
        target = self._thread(session, rendered.content())
        if target is not None:
            purpose = effect.purpose or Notice(session.id)
            self.store.enqueue(target[0], target[1], at=self.clock.now(), purpose=purpose)

    # -- after a queued message was sent --------------------------------------------------------

    def on_sent(self, item: OutboxItem, event_id: str) -> None:
        """Inside the transaction that marks the item sent: record ids, queue what needed them."""
        match item.purpose:
            case NewsPost(session_id):
                session = self.store.update_session(
                    session_id, self.clock.now(), news_room=item.room_id, news_event=event_id
                )
                self.store.set_news_hash(session.id, content_hash(item.content))
                self._after_announcement(session)
                self._touch(OVERVIEW)
                self._touch_wish_of(session.id)
                self.apply(tuple(self.kiwi.wish_news(session.id)))  # the wishers hear of it with its link now
                self._schedule()
            case WishPost(wish_id):
                self._wish_posted(wish_id, item.room_id, event_id, item.content)
            case Confirmation(session_id) if session_id is not None:
                self.confirmations.answer_sent(session_id, event_id)
            case Reminder() | FeedbackAsk():
                self.on_failed(item)
            case Digest() as digest:
                self.kiwi.digest_delivered(digest)
            case Overview():
                self.store.set_meta("overview_event", event_id)
                self.store.set_meta("overview_hash", content_hash(item.content))
                self.store.set_meta("overview_pin_pending", event_id)

    def on_failed(self, item: OutboxItem) -> None:
        """A reminder (or a feedback ask) is done once none of its messages is still waiting to go out, sent or
        refused."""
        purpose = item.purpose
        if isinstance(purpose, Reminder) and not self.store.pending_with_purpose(purpose):
            self.kiwi.reminder_delivered(purpose)
        elif isinstance(purpose, FeedbackAsk) and not self.store.pending_with_purpose(purpose):
            self.kiwi.feedback_asked(purpose)

    def _after_announcement(self, session: Session) -> None:
        self.confirmations.post_sent(session)
        patrons = [p for p in self.kiwi.patrons() if p != session.giver]
        if patrons:
            note = Msg.of(
                "patron.new_session",
                patrons=pings(patrons),
                count=len(patrons),
                number=session.id,
                title=session.title,
                giver=Mention(session.giver),
            )
            self._notify(Notify(session.id, note, tuple(patrons)))

    # -- debounced edits ------------------------------------------------------------------------

    def mark_all_dirty(self) -> None:
        """At start: anything may be stale after a crash; hashes keep unchanged posts untouched."""
        for session in self.store.upcoming(self.clock.now()):
            if session.news_event:
                self._touch(session.id)
        self._touch_wishes()
        self._touch(OVERVIEW)
        self._schedule()

    def _schedule(self) -> None:
        if self._task is None or self._task.done():
            self._task = spawn(
                self._refresh_later(), name="kiwibot-refresh", log=log, failed=FAILED, storage=UNAVAILABLE
            )

    def _touch(self, post: PostKey) -> None:
        """A change the post does not show yet."""
        self._dirty.touch(post, time.monotonic())

    async def _refresh_later(self) -> None:
        while self._dirty:
            now = time.monotonic()
            wait = self._dirty.next_due() - now
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            due = self._dirty.take_due(now)
            with self.store.transaction():
                for session_id in sorted(p for p in due if isinstance(p, int)):
                    self._edit_news(session_id)
                for wish_id in sorted(w for w in map(wish_of_key, due) if w is not None):
                    self._edit_wish(wish_id)
                if OVERVIEW in due:
                    self._update_overview()
            await self.flush()
            await self._pin_if_pending()

    def _edit_news(self, session_id: int) -> None:
        session = self.store.get_session(session_id)
        if session is None or not session.news_event or not session.news_room:
            return
        content = self._news_content(session)
        digest = content_hash(content)
        if self.store.news_hash(session_id) in (digest, DELETED):
            return
        self.store.set_news_hash(session_id, digest)
        self.store.enqueue(
            session.news_room, edit_of(session.news_event, content), at=self.clock.now(), purpose=NewsEdit(session_id)
        )

    def _overview_content(self) -> dict[str, Any]:
        sessions = self.store.upcoming(self.clock.now(), limit=26)
        counts = self.kiwi.headcounts(sessions)
        calendar = self._command("calendar") if self.calendars is not None else None
        message = overview(sessions, counts, self._command("offer"), calendar_command=calendar)
        return self.renderer.render(message, self.language).content()

    def _update_overview(self) -> None:
        if self.room_id is None:
            return
        content = self._overview_content()
        digest = content_hash(content)
        event_id = self.store.get_meta("overview_event")
        if event_id and digest == self.store.get_meta("overview_hash"):
            return
        if event_id:
            self.store.set_meta("overview_hash", digest)
            self.store.enqueue(self.room_id, edit_of(event_id, content), at=self.clock.now(), purpose=OverviewEdit())
        else:
            self.store.enqueue(self.room_id, content, at=self.clock.now(), purpose=Overview())

    async def check_overview(self) -> None:
        """At start: keep editing the same overview unless it was deleted; then post a new one."""
        event_id = self.store.get_meta("overview_event")
        if event_id and self.room_id:
            response = await self.client.room_get_event(self.room_id, event_id)
            gone = not isinstance(response, RoomGetEventResponse) or not (response.event.source.get("content"))
            if gone:
                self.overview_deleted(event_id)
        self._touch(OVERVIEW)
        self._schedule()

    def overview_deleted(self, event_id: str) -> None:
        """Someone removed the overview: post a fresh one, and never edit the removed one again."""
        log.info("the programme overview %s was deleted; posting a new one", event_id)
        with self.store.transaction():
            self.store.cancel_pending(OverviewEdit())
            self.store.set_meta("overview_event", "")
            self.store.set_meta("overview_hash", "")
        self._touch(OVERVIEW)
        self._schedule()

    def news_deleted(self, session: Session) -> None:
        """A moderator removed a news post: leave it removed (edits of it would show up as stray text)."""
        log.info("the news post of session %d was deleted; it will not be edited any more", session.id)
        with self.store.transaction():
            self.store.cancel_pending(NewsEdit(session.id))
            self.store.set_news_hash(session.id, DELETED)

    async def _pin_if_pending(self) -> None:
        event_id = self.store.get_meta("overview_pin_pending")
        if not event_id or self.room_id is None:
            return
        current = await self.client.room_get_state_event(self.room_id, "m.room.pinned_events")
        pinned = list(current.content.get("pinned", [])) if isinstance(current, RoomGetStateEventResponse) else []
        old = self.store.get_meta("overview_pinned")
        pinned = [e for e in pinned if e not in (old, event_id)]
        response = await self.client.room_put_state(
            self.room_id, "m.room.pinned_events", {"pinned": [event_id, *pinned]}
        )
        if isinstance(response, RoomPutStateError):
            log.warning("cannot pin the programme overview (give the bot moderator rights): %s", response.message)
        with self.store.transaction():
            self.store.set_meta("overview_pin_pending", "")
            self.store.set_meta("overview_pinned", event_id)

    def start_ticking(self) -> None:
        """Sessions start and end without any event: look at the overview once a minute, and at the post of each
        session that began since (it stops inviting signups); both hash-checked, so cheap."""
        self._ticked_at = self.clock.now()
        self._ticker = spawn(self._tick(), name="kiwibot-overview-tick", log=log, failed=FAILED, storage=UNAVAILABLE)

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.tick_seconds)
            self._touch_started()
            self._touch(OVERVIEW)
            self._schedule()

    def _touch_started(self) -> None:
        """The posts of sessions that began since the last tick: they stop inviting signups. With the database away
        the same span is looked at again at the next tick."""
        now, since = self.clock.now(), self._ticked_at
        if since is None or now <= since:
            return
        try:
            started = self.store.sessions_between(since, now)
        except StorageUnavailable:
            return
        for session in started:
            if session.news_event:
                self._touch(session.id)
        self._ticked_at = now

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
