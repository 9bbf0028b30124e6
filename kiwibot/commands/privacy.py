"""`!meinedaten` / `!mydata` and `!vergessen [bestätigen]` / `!forget [confirm]`: a member's rights."""

from __future__ import annotations

from kiwibot.commands.registry import Context
from kiwibot.core.effects import Outcome
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code
from kiwibot.i18n import template

CONFIRM_WORDS = frozenset({"bestätigen", "bestaetigen", "bestätige", "confirm", "confirmed"})


def is_confirmation(word: str) -> bool:
    """ "bestätigen", "Bestätigen!", "confirm." – the word people type, whatever case and closing mark."""
    return word.casefold().rstrip(".!") in CONFIRM_WORDS


def my_data(ctx: Context) -> Outcome:
    """Everything stored about the sender, by direct message (a summary and the JSON file)."""
    forget = Code(ctx.registry.named("forget", ctx.language))
    return ctx.kiwi.my_data(ctx.sender, ctx.is_direct, forget, ctx.language)


def forget(ctx: Context, word: str | None) -> Outcome:
    """Without a word: what forgetting does, and the confirmation to send; with `bestätigen`: do it."""
    ask = ctx.registry.named("forget", ctx.language)
    confirm = Code(f"{ask} {template(ctx.language, 'arg.confirm')}")
    handover = f"{ctx.registry.named('edit', ctx.language)} {{number}} {template(ctx.language, 'forget.handover')}"
    cancel = f"{ctx.registry.named('cancel', ctx.language)} {{number}}"
    if word is None:
        return ctx.kiwi.ask_to_forget(ctx.sender, confirm, handover, cancel)
    if not is_confirmation(word):
        raise UserError("forget.bad_word", value=word, confirm=confirm, ask=Code(ask))
    return ctx.kiwi.forget(ctx.sender, Code(ask), handover, cancel)
