"""A command event → its handler's call: the context (who, where, language, formatting) and the parsed arguments.

Kept apart from `events.py`, which decides *when* a command runs (once, in which transaction); this decides *how*.
"""

from __future__ import annotations

from typing import Any

from nio import AsyncClient

from kiwibot.commands.registry import CommandRegistry, Context, Invocation
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code
from kiwibot.core.ports import Clock
from kiwibot.core.service import Kiwi
from kiwibot.matrix.content import named_users, posts_answered, strip_html_reply_fallback
from kiwibot.storage import Store


def dispatch(
    kiwi: Kiwi,
    registry: CommandRegistry,
    store: Store,
    clock: Clock,
    client: AsyncClient,
    invocation: Invocation,
    room_id: str,
    event: dict[str, Any],
) -> Any:
    """Call the command's handler with its parsed arguments; what it returns is the answer (or an Outcome)."""
    sender = str(event["sender"])
    content = event.get("content") or {}
    language = kiwi.language_of(sender)
    html = content.get("formatted_body") if content.get("format") == "org.matrix.custom.html" else None
    html = strip_html_reply_fallback(html) if isinstance(html, str) else None
    command = invocation.command
    if command is None:
        help_code = registry.help_code(language)
        closest = registry.closest(invocation.word, language, has_text=bool(invocation.text))
        if closest:
            raise UserError(
                "error.unknown_command",
                command=Code(registry.prefix + invocation.word),
                suggestion=Code(registry.prefix + closest),
                help=help_code,
            )
        raise UserError("error.unknown_command_plain", command=Code(registry.prefix + invocation.word), help=help_code)
    ctx = Context(
        kiwi=kiwi,
        registry=registry,
        sender=sender,
        room_id=room_id,
        language=language,
        now=clock.now(),
        # Only the person's own direct chat with the bot is private (feedback is confirmed there).
        is_direct=room_id == store.direct_room(sender),
        html=html,
        event_id=str(event["event_id"]),
        named_users=named_users(html),
        sender_name=_display_name(client, room_id, sender),
    )
    text = invocation.text
    if command.number_from_post and not text:
        text = _session_answered(store, content)
    args = registry.parse_args(command, text, language)
    return command.handler(ctx, *args)


def _session_answered(store: Store, content: dict[str, Any]) -> str:
    """The number of the session whose news post the message replies to or is in the thread of, else ""."""
    for post in posts_answered(content.get("m.relates_to") or {}):
        session = store.session_by_news(post)
        if session is not None:
            return str(session.id)
    return ""


def _display_name(client: AsyncClient, room_id: str, user_id: str) -> str:
    """The sender's display name as the room knows it (lazy loading brings the senders' member events)."""
    room = client.rooms.get(room_id)
    user = room.users.get(user_id) if room is not None else None
    return str(user.display_name or "") if user is not None else ""
