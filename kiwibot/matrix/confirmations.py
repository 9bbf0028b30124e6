"""The answer to `!anbieten` (and a repeat): given at once, then edited to link to the news post (#15).

Before, the answer was queued only once the news post was sent, so the member waited for a second message to
go out first. Now it is queued with the offer ("the announcement is being posted"), and whichever of the two
is sent second queues the edit that puts the post's link into the answer. Each step happens in the
transaction that records a message as sent, so a restart between the two still edits the answer.
"""

from __future__ import annotations

from typing import Any

from kiwibot.core.effects import Confirmation
from kiwibot.core.messages import Msg
from kiwibot.core.model import Session
from kiwibot.core.ports import Clock
from kiwibot.core.present import session_link
from kiwibot.core.service import Kiwi
from kiwibot.matrix.edits import edit_of
from kiwibot.matrix.posts import reply_relation
from kiwibot.matrix.render import Renderer
from kiwibot.storage import Store

QUEUED = "queued"  # the answer waits in the outbox: its event id is not known yet


def _meta_key(session_id: int) -> str:
    """Where the sent answer's event id waits for the news post."""
    return f"confirmation:{session_id}"


class Confirmations:
    """Queues the early answer and its edit; called by the posts inside the transactions that send."""

    def __init__(self, store: Store, kiwi: Kiwi, renderer: Renderer, clock: Clock) -> None:
        self.store = store
        self.kiwi = kiwi
        self.renderer = renderer
        self.clock = clock

    def _content(self, session: Session, post: Any) -> tuple[str, dict[str, Any]]:
        """(the origin room, the rendered answer as a rich reply to the command) in the asker's language."""
        assert session.origin_room and session.origin_event
        command = self.store.command(session.origin_event)
        asker = command.sender if command else session.giver  # a repeat may be asked for by a patron
        reply = self.kiwi.confirmation(session, post)
        content = self.renderer.render(reply, self.kiwi.language_of(asker)).content()
        content["m.relates_to"] = reply_relation(session.origin_event, command.thread_root if command else None)
        return session.origin_room, content

    def answer_now(self, session: Session) -> None:
        """With the offer: the answer with its number, the link to follow."""
        if not (session.origin_room and session.origin_event):
            return
        room, content = self._content(session, Msg.of("post.link_pending"))
        self.store.enqueue(room, content, at=self.clock.now(), purpose=Confirmation(session.id))
        self.store.set_meta(_meta_key(session.id), QUEUED)

    def answer_sent(self, session_id: int, event_id: str) -> None:
        """The answer went out: link it now if the post exists, else once it does."""
        session = self.store.get_session(session_id)
        if session is None:
            return
        if session.news_event:
            self.store.delete_meta(_meta_key(session_id))
            self._link(session, event_id)
        else:
            self.store.set_meta(_meta_key(session_id), event_id)

    def post_sent(self, session: Session) -> None:
        """The news post went out: link the answer if it was sent already (if only queued, `answer_sent` will).
        A post queued by an older version has no answer yet: it gets the full one now, as it did then."""
        answer = self.store.get_meta(_meta_key(session.id))
        if answer == QUEUED:
            return
        if answer is None:
            if session.origin_room and session.origin_event:
                room, content = self._content(session, session_link(session))
                self.store.enqueue(room, content, at=self.clock.now(), purpose=Confirmation())
            return
        self.store.delete_meta(_meta_key(session.id))
        self._link(session, answer)

    def _link(self, session: Session, answer: str) -> None:
        room, content = self._content(session, session_link(session))
        del content["m.relates_to"]  # an edit's new content keeps the original's relation
        self.store.enqueue(room, edit_of(answer, content), at=self.clock.now())
