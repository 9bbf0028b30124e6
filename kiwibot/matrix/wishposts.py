"""Topic wishes' posts in the programme room: posted once, edited (debounced, hash-checked) as interest comes in
and when a session fulfils the wish or it is closed; notices in the post's thread.

A part of `Posts` (posts.py), kept apart so each module reads alone: the same outbox, debounce and hashes as the
news posts, keyed "wish:<number>" in the debounce.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiwibot.core.effects import NotifyWish, WishEdit, WishPost
from kiwibot.core.present_loop import wish_post
from kiwibot.matrix.debounce import PostKey
from kiwibot.matrix.edits import DELETED, content_hash, edit_of

if TYPE_CHECKING:
    from kiwibot.config import Config
    from kiwibot.core.ports import Clock
    from kiwibot.core.service import Kiwi
    from kiwibot.matrix.render import Renderer
    from kiwibot.storage import Store

log = logging.getLogger(__name__)

WISH = "wish:"


def wish_key(wish_id: int) -> str:
    """The debounce key of a wish's post (session posts are keyed by their number, the overview by name)."""
    return f"{WISH}{wish_id}"


def wish_of_key(post: PostKey) -> int | None:
    return int(post.removeprefix(WISH)) if isinstance(post, str) and post.startswith(WISH) else None


class WishPosts:
    """Mixed into `Posts`, whose collaborators it uses."""

    if TYPE_CHECKING:
        config: Config
        store: Store
        kiwi: Kiwi
        renderer: Renderer
        clock: Clock
        language: str

        @property
        def room_id(self) -> str | None: ...

        def _command(self, name: str) -> str: ...

        def _touch(self, post: PostKey) -> None: ...

        def _schedule(self) -> None: ...

    def _wish_content(self, wish_id: int) -> dict[str, Any]:
        wish, interest = self.kiwi.wish_post_facts(wish_id)
        session = self.store.get_session(wish.session_id) if wish.session_id is not None else None
        message = wish_post(wish, interest, session, self._command("offer"), self.config.signup_reactions[0])
        return self.renderer.render(message, self.language).content()

    def _announce_wish(self, wish_id: int) -> None:
        if self.room_id is None:
            log.error("wish %d cannot be posted: the bot is not in the programme room", wish_id)
            return
        self.store.enqueue(self.room_id, self._wish_content(wish_id), at=self.clock.now(), purpose=WishPost(wish_id))

    def _notify_wish(self, effect: NotifyWish) -> None:
        wish = self.store.get_wish(effect.wish_id)
        room = (wish.post_room if wish else None) or self.room_id
        if wish is None or room is None:
            return
        content = self.renderer.render(effect.message, effect.language or self.language).content()
        if wish.post_event:
            content["m.relates_to"] = {
                "rel_type": "m.thread",
                "event_id": wish.post_event,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": wish.post_event},
            }
        self.store.enqueue(room, content, at=self.clock.now())

    def _wish_posted(self, wish_id: int, room_id: str, event_id: str, content: dict[str, Any]) -> None:
        """The wish's post was sent: remember it; anything that changed meanwhile is edited in."""
        self.store.set_wish_post(wish_id, room_id, event_id, content_hash(content))
        self._touch(wish_key(wish_id))
        self._schedule()

    def _edit_wish(self, wish_id: int) -> None:
        wish = self.store.get_wish(wish_id)
        if wish is None or not wish.post_event or not wish.post_room:
            return
        content = self._wish_content(wish_id)
        digest = content_hash(content)
        if self.store.wish_hash(wish_id) in (digest, DELETED):
            return
        self.store.set_wish_hash(wish_id, digest)
        self.store.enqueue(
            wish.post_room, edit_of(wish.post_event, content), at=self.clock.now(), purpose=WishEdit(wish_id)
        )

    def _touch_wishes(self) -> None:
        """At start: any wish's post may be stale after a crash; hashes keep unchanged ones untouched."""
        for wish in self.store.wishes_with_posts():
            self._touch(wish_key(wish.id))

    def _touch_wish_of(self, session_id: int) -> None:
        """A session's post now exists: the post of the wish it fulfils can link to it."""
        wish = self.store.wish_of_session(session_id)
        if wish is not None:
            self._touch(wish_key(wish.id))

    def wish_deleted(self, wish_id: int) -> None:
        """A moderator removed a wish's post: leave it removed (edits would show up as stray text)."""
        log.info("the post of wish W%d was deleted; it will not be edited any more", wish_id)
        with self.store.transaction():
            self.store.cancel_pending(WishEdit(wish_id))
            self.store.set_wish_hash(wish_id, DELETED)
