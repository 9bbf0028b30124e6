"""`!feedback N [1–5] [Text]`: give feedback on a session, or (without text) read it as one of its givers."""

from __future__ import annotations

import re

from kiwibot.commands.registry import Arg, Command, Context
from kiwibot.core.effects import Outcome

# The session number as `!anmelden` reads it ("7", "Nr. 7", "#7", "7:"); what follows is the answer, and may
# itself start with a number (the rating), so it is not refused as a second session number.
_SESSION = re.compile(r"(?P<num>(?:#\s*|(?:nr|no|nummer|number)\.?\s*)?\d{1,9})\.?(?:\s*[,:;]|(?=\s|$))", re.I)


def take_session(text: str) -> tuple[str, str]:
    """The session number, and everything after it as the answer: "7 5 Super" is session 7, rating 5."""
    match = _SESSION.match(text)
    if match is None:
        parts = text.split(maxsplit=1)
        return (parts[0], parts[1] if len(parts) > 1 else "") if parts else ("", "")
    return match["num"], text[match.end() :].strip()


def feedback(ctx: Context, session: int, text: str | None) -> Outcome:
    # Outside the direct chat the answer is confirmed by direct message: the room sees only a thank-you.
    if not text:
        return ctx.kiwi.feedback_summary(ctx.sender, session, ctx.is_direct)
    return ctx.kiwi.give_feedback(ctx.sender, session, text, ctx.is_direct)


def plain_direct(ctx: Context, text: str) -> Outcome:
    """A message without a command in the sender's direct chat with the bot: maybe their feedback, else a hint."""
    return ctx.kiwi.plain_direct(ctx.sender, text, ctx.registry.help_code(ctx.language))


# Not in the registry (no word calls it): the adapter runs it for plain text in a person's own direct chat, so it is
# admitted, rate limited, recorded and answered like any command.
PLAIN_DIRECT = Command("plain", {}, "cmd.feedback", plain_direct, (Arg("text", rest=True),), hidden=True)
