"""A person's own choices (language, how reminders reach them) and the patrons who help with every session."""

from __future__ import annotations

import re

from kiwibot.core.base import KiwiBase
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Mention, Msg
from kiwibot.i18n import LANGUAGES

REMINDER_CHOICES = {
    "thread": "thread",
    "faden": "thread",
    "dm": "dm",
    "direkt": "dm",
    "direct": "dm",
    "direktnachricht": "dm",
    "direktnachrichten": "dm",
    "direct message": "dm",
    "direct messages": "dm",
    "privatnachricht": "dm",
    "private message": "dm",
    "an": "thread",  # back from "aus": the default
    "ein": "thread",
    "on": "thread",
    "standard": "thread",
    "default": "thread",
    "aus": "off",
    "off": "off",
    "keine": "off",
    "none": "off",
    "nein": "off",
}
# Words around the choice that say nothing more: "per DM", "im Thread", "by direct message", "dm bitte".
_AROUND = frozenset({"per", "im", "in", "als", "über", "ueber", "by", "via", "as", "the", "a", "bitte", "please"})


def reminder_choice(text: str) -> str | None:
    """The choice ("thread", "dm", "off") a person's words name, or None: "Direktnachricht", "per DM", "im Thread"."""
    words = [word for word in re.findall(r"[\w-]+", text.casefold()) if word not in _AROUND]
    return REMINDER_CHOICES.get(" ".join(words))


class PeopleArea(KiwiBase):
    """What outlives any one session: what a person chose for themselves, and who helps with everyone's."""

    # -- preferences --------------------------------------------------------------------------

    def language_of(self, user_id: str) -> str:
        """The language a person reads: their own choice, else the network's configured one."""
        return self.store.get_language(user_id) or self.settings.language

    def set_language(self, user_id: str, language: str) -> str:
        """Store a person's language; raises a UserError naming the choices for anything else."""
        choice = language.strip().casefold()
        aliases = {"deutsch": "de", "german": "de", "englisch": "en", "english": "en"}
        choice = aliases.get(choice, choice)
        if choice not in LANGUAGES:
            raise UserError("error.bad_language", value=language)
        self.store.set_language(user_id, choice)
        return choice

    def set_reminder_pref(self, user_id: str, choice: str) -> Msg:
        """How reminders and news reach a person (thread, direct message, or not at all), in their words."""
        pref = reminder_choice(choice)
        if pref is None:
            raise UserError("reminders.bad_choice", value=choice)
        self.store.set_reminder_pref(user_id, pref)
        return Msg.of(f"reminders.set_{pref}")

    # -- patrons ------------------------------------------------------------------------------

    def patrons(self) -> list[str]:
        """Everyone who helps with every session: from the configuration and those added in the chat."""
        return sorted(self.settings.patrons | set(self.store.patrons()))

    def add_patron(self, admin: str, user_id: str) -> Msg:
        """Admins name patrons in the chat, so the configuration need not change for each helper."""
        if not self.is_admin(admin):
            raise UserError("patron.forbidden")
        if self.is_patron(user_id):
            return Msg.of("patron.already", user=Mention(user_id))
        self.store.add_patron(user_id, admin, self.clock.now())
        return Msg.of("patron.added", user=Mention(user_id))

    def remove_patron(self, admin: str, user_id: str) -> Msg:
        """Only chat-added patrons can be removed here: the configuration's stay until the file changes."""
        if not self.is_admin(admin):
            raise UserError("patron.forbidden")
        if user_id in self.settings.patrons:
            raise UserError("patron.in_config", user=Mention(user_id))
        if not self.store.remove_patron(user_id):
            raise UserError("patron.not", user=Mention(user_id))
        return Msg.of("patron.removed", user=Mention(user_id))
