"""Use cases of the KIWI programme. Pure decisions over the Store and Clock ports: no Matrix, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from kiwibot.core.errors import UserError
from kiwibot.core.ports import Clock, UserStore
from kiwibot.i18n import LANGUAGES


@dataclass(frozen=True, slots=True)
class Settings:
    """The parts of the configuration the core decides with."""

    language: str = "de"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Berlin"))
    allowed_servers: frozenset[str] = frozenset()
    space: str | None = None
    admins: frozenset[str] = frozenset()
    patrons: frozenset[str] = frozenset()


def server_of(user_id: str) -> str:
    return user_id.partition(":")[2]


class Kiwi:
    def __init__(self, store: UserStore, clock: Clock, settings: Settings) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings
        # Filled and kept current by the adapter from the space's membership; None = not known yet.
        self.space_members: frozenset[str] | None = None

    # -- who belongs --------------------------------------------------------------------------

    def is_member(self, user_id: str) -> bool:
        """Network members: users of an allowed homeserver or members of the network's space.

        With neither configured, everyone who can reach the bot counts (a small, closed homeserver).
        """
        settings = self.settings
        if not settings.allowed_servers and settings.space is None:
            return True
        if server_of(user_id) in settings.allowed_servers:
            return True
        return self.space_members is not None and user_id in self.space_members

    def may_invite(self, user_id: str) -> bool:
        """Only members (and admins) may bring the bot into a room."""
        return user_id in self.settings.admins or self.is_member(user_id)

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
