"""`!kalender [neu]` / `!calendar [new]`: a person's calendar links, by direct message only."""

from __future__ import annotations

from dataclasses import dataclass

from kiwibot.commands.registry import Context
from kiwibot.core.calendar import Calendars
from kiwibot.core.effects import Outcome
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code
from kiwibot.i18n import template

RENEW_WORDS = frozenset({"neu", "neue", "erneuern", "new", "renew"})


@dataclass(frozen=True, slots=True)
class CalendarCommand:
    """The handler, given the calendar use cases by the composition root (None: the web side is off)."""

    calendars: Calendars | None

    def __call__(self, ctx: Context, word: str | None) -> Outcome:
        renew = False
        if word is not None:
            if word.casefold() not in RENEW_WORDS:
                usage = Code(ctx.registry.named("calendar", ctx.language))
                raise UserError("calendar.bad_word", value=word, usage=usage)
            renew = True
        if self.calendars is None:
            raise UserError("calendar.off")
        renew_command = f"{ctx.registry.named('calendar', ctx.language)} {template(ctx.language, 'arg.new')}"
        return self.calendars.command(ctx.sender, ctx.room_id, renew=renew, renew_command=renew_command)
