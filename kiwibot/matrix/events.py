"""Events → core calls: commands (and edits of them), signup reactions and their redactions, invites.

Every handled event id is recorded in the same transaction as its effects and its queued replies, so no
event is handled twice, across restarts too. Replies are queued in the outbox and sent afterwards.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Iterable
from typing import Any

from nio import AsyncClient, JoinResponse, LocalProtocolError, OlmTrustError, RoomGetEventResponse

from kiwibot.commands.feedback import PLAIN_DIRECT
from kiwibot.commands.registry import CommandRegistry, Invocation
from kiwibot.config import Config
from kiwibot.core.effects import Announce, Effect, Outcome
from kiwibot.core.errors import StorageUnavailable, UserError
from kiwibot.core.messages import Attachment, Code, Lines, Msg
from kiwibot.core.ports import Clock
from kiwibot.core.service import Kiwi
from kiwibot.matrix.content import (
    EditAction,
    Original,
    classify_edit,
    named_users,
    normalise_key,
    replaced,
    strip_reply_fallback,
    thread_root,
)
from kiwibot.matrix.crypto import Crypto
from kiwibot.matrix.dispatch import dispatch
from kiwibot.matrix.names import Names
from kiwibot.matrix.network import NETWORK_ERRORS
from kiwibot.matrix.outbox import Outbox, RoomNotReady
from kiwibot.matrix.platform import written_users
from kiwibot.matrix.posts import Posts, reply_relation
from kiwibot.matrix.render import Renderer
from kiwibot.matrix.rooms import Rooms
from kiwibot.matrix.uploads import queue_files
from kiwibot.scheduling.wakeups import Wakeups
from kiwibot.storage import Store

log = logging.getLogger(__name__)


class Events:
    def __init__(
        self,
        *,
        config: Config,
        store: Store,
        kiwi: Kiwi,
        registry: CommandRegistry,
        renderer: Renderer,
        clock: Clock,
        client: AsyncClient,
        crypto: Crypto,
        rooms: Rooms,
        posts: Posts,
        outbox: Outbox,
        wakeups: Wakeups,
        names: Names | None = None,
    ) -> None:
        """`names`: asked before a command that names people runs, whether their accounts exist."""
        self.store = store
        self.kiwi = kiwi
        self.registry = registry
        self.renderer = renderer
        self.clock = clock
        self.client = client
        self.crypto = crypto
        self.rooms = rooms
        self.posts = posts
        self.outbox = outbox
        self.wakeups = wakeups
        self.names = names
        self.reactions = frozenset(normalise_key(key) for key in config.signup_reactions)
        self._told_storage: set[str] = set()  # "try again later" once per event, not once per retry
        self._poke_pending = False  # the wake-ups are set again once the loop is free

    async def handle(self, room_id: str, event: dict[str, Any]) -> None:
        """One timeline event (already decrypted, and new to the bot)."""
        kind = event.get("type")
        if kind == "m.room.message":
            await self._on_message(room_id, event)
        elif kind == "m.reaction":
            await self._on_reaction(event)
        elif kind == "m.room.redaction":
            await self._on_redaction(event)

    def is_signup(self, key: object) -> bool:
        """Is this reaction key one of the configured signup reactions (in any of its spellings)?"""
        return normalise_key(key) in self.reactions

    async def on_invite(self, room_id: str, invite_state: Iterable[Any]) -> None:
        inviter = None
        direct = False
        for event in invite_state:
            # nio pops `content` out of the source of invite-state events: read its attributes instead.
            if (
                getattr(event, "state_key", None) == self.client.user_id
                and getattr(event, "membership", "") == "invite"
            ):
                inviter = getattr(event, "sender", None)
                direct = bool((getattr(event, "content", None) or {}).get("is_direct"))
        if room_id in self.rooms.configured() or (inviter and self.kiwi.may_invite(inviter)):
            response = await self.client.join(room_id)
            log.info("accepted the invite of %s to %s: %s", inviter, room_id, type(response).__name__)
            if direct and inviter and isinstance(response, JoinResponse) and not self.store.direct_room(inviter):
                self.store.set_direct_room(inviter, room_id)
        else:
            await self.client.room_leave(room_id)
            log.warning("rejected the invite of %s to %s: not a member of the network", inviter, room_id)

    def apply(self, effects: tuple[Effect, ...]) -> None:
        """Carry out a use case's effects (from the chat or the web page); any use case may move the next wake-up
        (a change to a session, an answer that makes a feedback summary owed), so the wake-ups are set again from
        the database: once the event loop is free, after the commit and once for a whole batch of events."""
        self.posts.apply(effects)
        if self._poke_pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.wakeups.poke()
            return
        self._poke_pending = True
        loop.call_soon(self._poke)

    def _poke(self) -> None:
        self._poke_pending = False
        try:
            self.wakeups.poke()
        except StorageUnavailable as exc:  # the next use case or wake-up sets them again
            log.warning("wake-ups not set again, database unavailable: %s", exc)
        except Exception:
            log.exception("setting the wake-ups again failed")

    # -- signups by reaction --------------------------------------------------------------------

    async def _on_reaction(self, event: dict[str, Any]) -> None:
        relates = (event.get("content") or {}).get("m.relates_to") or {}
        if relates.get("rel_type") != "m.annotation" or not self.is_signup(relates.get("key")):
            return
        # A 👍 on a news post signs up; on a topic wish's post it shows interest, counted the same way.
        post = str(relates.get("event_id"))
        session = self.store.session_by_news(post)
        wish = self.store.wish_by_post(post) if session is None else None
        event_id, sender = str(event["event_id"]), str(event["sender"])
        if (session is None and wish is None) or self.store.is_handled(event_id) or self.store.is_withdrawn(event_id):
            return
        if not self.kiwi.is_member(sender):
            log.info("reaction %s of %s not counted: not a network member", event_id, sender)
            return
        forgotten = self.store.forgotten_at(sender)
        if forgotten is not None and _origin_ts(event) < int(forgotten.timestamp() * 1000):
            log.info("reaction %s not counted: made before its sender asked to be forgotten", event_id)
            return
        with self.store.transaction():
            self.store.mark_handled(event_id, self.clock.now(), _origin_ts(event))
            if session is not None:
                outcome = self.kiwi.sign_up(sender, session.id, event_id, "reaction")
            else:
                assert wish is not None
                outcome = self.kiwi.show_interest(sender, wish.id, event_id)
            self.apply(outcome.effects)
        self.outbox.send_soon()

    async def _on_redaction(self, event: dict[str, Any]) -> None:
        redacts = (event.get("content") or {}).get("redacts") or event.get("redacts")
        if not redacts or self.store.is_handled(str(event["event_id"])):
            return
        redacts = str(redacts)
        if redacts == self.store.get_meta("overview_event"):
            self.posts.overview_deleted(redacts)
        deleted_post = self.store.session_by_news(redacts)
        if deleted_post is not None:
            self.posts.news_deleted(deleted_post)
        deleted_wish = self.store.wish_by_post(redacts)
        if deleted_wish is not None:
            self.posts.wish_deleted(deleted_wish.id)
        with self.store.transaction():
            self.store.mark_handled(str(event["event_id"]), self.clock.now(), _origin_ts(event))
            outcome = self.kiwi.withdraw_reaction(redacts)
            self.apply(outcome.effects)
            self.apply(self.kiwi.withdraw_interest(redacts).effects)
        self.outbox.send_soon()

    # -- commands -------------------------------------------------------------------------------

    async def _on_message(self, room_id: str, event: dict[str, Any]) -> None:
        content = event.get("content") or {}
        relates = content.get("m.relates_to") or {}
        if relates.get("rel_type") == "m.replace":
            await self._on_edit(room_id, event)
            return
        if content.get("msgtype") != "m.text":
            return  # notices come from bots
        body = content.get("body")
        if not isinstance(body, str):
            return
        text = strip_reply_fallback(body, relates)
        invocation = self.registry.match(text) or self._plain_direct(room_id, event, text)
        if invocation is None:
            return
        event_id = str(event["event_id"])
        if self.store.is_handled(event_id):
            return
        await self._run_command(room_id, event, invocation, event_id, _origin_ts(event))

    def _plain_direct(self, room_id: str, event: dict[str, Any], text: str) -> Invocation | None:
        """Plain text in the sender's own direct chat is answered (maybe it is their feedback); in any other room
        the bot leaves chat alone."""
        sender = event.get("sender")
        if not text.strip() or sender == self.client.user_id or room_id != self.store.direct_room(str(sender)):
            return None
        return Invocation("", PLAIN_DIRECT, text.strip())

    async def _on_edit(self, room_id: str, event: dict[str, Any]) -> None:
        """An edited message: a failed command (or chat turned into a command) runs with the new text; a
        command that succeeded is never run again, its author hears once that edits are not applied."""
        edit = replaced(event.get("content") or {})
        if edit is None:
            return
        original_id, new = edit
        body = new.get("body")
        invocation = None
        if new.get("msgtype") == "m.text" and isinstance(body, str):
            invocation = self.registry.match(strip_reply_fallback(body, {"m.in_reply_to": {}}))
        record = self.store.command(original_id)
        event_id, sender = str(event["event_id"]), str(event["sender"])
        if (record is None and invocation is None) or self.store.is_handled(event_id):
            return  # chat edited into chat: the common case, decided without asking the homeserver
        if record is not None:
            if record.sender != sender:
                return  # only the author's own edits count (as in every client)
            root = record.thread_root
            state = Original.NOTED if record.edit_noted else Original.SUCCEEDED if record.succeeded else Original.FAILED
        else:
            original = await self._fetch_event(room_id, original_id)
            if original is None or original.get("sender") != sender:
                log.info("edit %s ignored: its original %s is unreadable or not by %s", event_id, original_id, sender)
                return
            root = thread_root((original.get("content") or {}).get("m.relates_to") or {})
            # Handled but without a record: a command from before the record existed, or one whose record was
            # pruned with the old events (retention); take it as succeeded.
            pruned = _origin_ts(original) < self.store.events_horizon_ms()
            state = Original.SUCCEEDED if pruned or self.store.is_handled(original_id) else Original.NO_COMMAND
        action = classify_edit(state, edit_is_command=invocation is not None)
        if action is EditAction.IGNORE:
            return
        # Answers go to the original (clients show it with the edited text), in its thread.
        thread = {"rel_type": "m.thread", "event_id": root} if root else {}
        target = {"event_id": original_id, "sender": sender, "content": {**new, "m.relates_to": thread}}
        if action is EditAction.RUN:
            assert invocation is not None
            await self._run_command(room_id, target, invocation, event_id, _origin_ts(event))
            return
        now, language = self.clock.now(), self.kiwi.language_of(sender)
        note = Msg.of("edited.done")
        if record is not None and record.session_id is not None:
            change = Code(f"{self.registry.named('edit', language)} {record.session_id}")
            note = Msg.of("edited.session", number=record.session_id, usage=change)
        with self.store.transaction():
            if not self.store.mark_handled(event_id, now, _origin_ts(event)):
                return
            if record is None:
                self.store.record_command(original_id, room_id, sender, root, True, None, now)
            self.store.note_edit(original_id)
            self._enqueue_reply(room_id, target, note, language)
        self.outbox.send_soon()

    async def _fetch_event(self, room_id: str, event_id: str) -> dict[str, Any] | None:
        """One event's readable source from the homeserver; None if it is gone or stays encrypted."""
        response = await self.client.room_get_event(room_id, event_id)
        if not isinstance(response, RoomGetEventResponse):
            log.warning("cannot read event %s in %s: %s", event_id, room_id, getattr(response, "message", response))
            return None
        return self.crypto.decrypt(room_id, response.event)

    async def _run_command(
        self, room_id: str, command: dict[str, Any], invocation: Invocation, handled_id: str, origin_ts: int
    ) -> None:
        """Run a command once: `handled_id` (the command's event, or the edit that carried it; sent at `origin_ts`)
        is marked handled and the outcome recorded under the command's event id in the transaction that queues
        the answer."""
        event_id = str(command["event_id"])  # answers reply to it; offers remember it as their origin
        sender = str(command["sender"])
        root = thread_root((command.get("content") or {}).get("m.relates_to") or {})
        now = self.clock.now()
        # `!vergessen`: afterwards no row may name the person, not even the record of the command itself
        recorded_sender = "" if invocation.command is not None and invocation.command.private else sender

        def record(succeeded: bool, session_id: int | None = None) -> None:
            self.store.record_command(event_id, room_id, recorded_sender, root, succeeded, session_id, now)

        def handled() -> bool:
            return self.store.mark_handled(handled_id, now, origin_ts)

        admitted = self.kiwi.admit(sender)
        if admitted is not True:
            with self.store.transaction():
                handled()
                record(False)
                if admitted is not None and admitted is not False:
                    self._enqueue_reply(room_id, command, admitted, self.kiwi.language_of(sender))
            if admitted is None:
                log.info("command %s of %s not answered (limit or non-member already told today)", handled_id, sender)
            self.outbox.send_soon()
            return
        if self.names is not None and invocation.command is not None and invocation.text:
            await self.names.check(_named(command))  # the core then tells a mistyped co-giver's id from a person
        try:
            # A slow command (statistics: a chart) decides nothing: it is worked out first, its slow part in a
            # thread, so neither the event loop nor the transaction below waits for it.
            slow = invocation.command is not None and invocation.command.slow
            prepared = await self.dispatch(invocation, room_id, command) if slow else None
            with self.store.transaction():
                if not handled():
                    return
                asked_in = self.kiwi.language_of(sender)  # after `!vergessen` no choice of theirs is left
                reply = prepared if slow else self.dispatch(invocation, room_id, command)
                session_id = None
                files: tuple[Attachment, ...] = ()
                effects: tuple[Effect, ...] = ()
                if isinstance(reply, Outcome):
                    session_id = next((e.session_id for e in reply.effects if isinstance(e, Announce)), None)
                    effects = reply.effects
                    files = reply.files
                    reply = reply.reply
                record(True, session_id)  # first: an offer's answer, queued with its effects, replies in its thread
                self.apply(effects)
                if reply is not None or files:
                    # the answer to `!sprache` speaks the new language, the one to `!vergessen` the one asked in
                    language = asked_in if recorded_sender != sender else self.kiwi.language_of(sender)
                    self._enqueue_reply(room_id, command, reply, language, files)
        except UserError as err:
            with self.store.transaction():
                handled()
                record(False)
                self._enqueue_reply(room_id, command, _error_message(err), self.kiwi.language_of(sender))
        except StorageUnavailable:
            if handled_id not in self._told_storage:
                self._told_storage.add(handled_id)
                await self._send_now(room_id, command, Msg.of("error.storage"), self.kiwi.language_of(sender))
            raise
        except Exception:
            ref = secrets.token_hex(4)
            log.exception("command in event %s failed (ref %s)", handled_id, ref)
            with self.store.transaction():
                handled()
                record(False)
                self._enqueue_reply(room_id, command, Msg.of("error.internal", ref=ref), self.kiwi.language_of(sender))
        self.outbox.send_soon()

    def dispatch(self, invocation: Invocation, room_id: str, event: dict[str, Any]) -> Any:
        """Call the command's handler with its parsed arguments; what it returns is the answer (or an Outcome)."""
        return dispatch(self.kiwi, self.registry, self.store, self.clock, self.client, invocation, room_id, event)

    def reply_content(self, event: dict[str, Any], message: Any, language: str) -> dict[str, Any]:
        """A rendered rich reply to `event`, in the thread it was written in."""
        content = self.renderer.render(message, language).content()
        content["m.relates_to"] = _answer_relation(event)
        return content

    def _enqueue_reply(
        self, room_id: str, event: dict[str, Any], message: Any, language: str, files: tuple[Attachment, ...] = ()
    ) -> None:
        """The answer, then its files as replies to the same command (in its thread)."""
        if message is not None:
            self.store.enqueue(room_id, self.reply_content(event, message, language), at=self.clock.now())
        queue_files(self.store, room_id, files, _answer_relation(event), at=self.clock.now())

    async def _send_now(self, room_id: str, event: dict[str, Any], message: Any, language: str) -> None:
        """Only for when the database itself fails: a best-effort reply that bypasses the outbox."""
        try:
            await self.outbox.room_send(room_id, "m.room.message", self.reply_content(event, message, language))
        except (*NETWORK_ERRORS, LocalProtocolError, OlmTrustError, RoomNotReady) as exc:
            log.warning("could not tell %s that the database is unavailable: %s", event.get("sender"), exc)


def _origin_ts(event: dict[str, Any]) -> int:
    """The event's server time in ms (0 if the server gave none)."""
    value = event.get("origin_server_ts")
    return value if isinstance(value, int) else 0


def _named(event: dict[str, Any]) -> list[str]:
    """The accounts a command names: its pills and the ids written out in its text."""
    content = event.get("content") or {}
    html = content.get("formatted_body") if content.get("format") == "org.matrix.custom.html" else None
    body = content.get("body")
    written = written_users(body) if isinstance(body, str) else []
    return [*named_users(html if isinstance(html, str) else None), *written]


def _answer_relation(event: dict[str, Any]) -> dict[str, Any]:
    """How an answer (and each of its files) relates to the command: a reply to it, in its thread."""
    relates = (event.get("content") or {}).get("m.relates_to") or {}
    return reply_relation(str(event["event_id"]), thread_root(relates))


def _error_message(err: UserError) -> Msg | Lines:
    if err.problems:
        return Lines((Msg(err.key, err.params), *(Msg(p.key, p.params) for p in err.problems)))
    return Msg(err.key, err.params)
