"""Who may talk to the bot, and how often: network membership decides, a rate limit protects the running bot."""

from __future__ import annotations

from collections import deque
from datetime import date, datetime, timedelta

from kiwibot.core.base import KiwiBase, Settings
from kiwibot.core.messages import Msg
from kiwibot.core.ports import Clock, Platform, SessionStore


class AccessArea(KiwiBase):
    """Runs before every command, so it decides from memory and the settings alone, never from the store."""

    def __init__(self, store: SessionStore, clock: Clock, settings: Settings, platform: Platform) -> None:
        """The limits start empty: in memory on purpose, they protect the running bot; a restart may forget them."""
        super().__init__(store, clock, settings, platform)
        self._recent: dict[str, deque[datetime]] = {}
        self._noted: dict[str, datetime] = {}
        self._refused_on: dict[str, date] = {}

    def admit(self, user_id: str) -> Msg | bool | None:
        """May this person's command run now? True, or a message to send instead, or None for silence.

        Non-members get a polite refusal at most once a day; a person over the rate limit gets one note,
        then silence until the minute has passed.
        """
        now = self.clock.now()
        if not self.is_member(user_id):
            today = now.date()
            if self._refused_on.get(user_id) == today:
                return None
            self._refused_on[user_id] = today
            return Msg.of("access.not_member")
        window = self._recent.setdefault(user_id, deque())
        while window and now - window[0] >= timedelta(minutes=1):
            window.popleft()
        if len(window) >= self.settings.commands_per_minute:
            noted = self._noted.get(user_id)
            if noted is not None and now - noted < timedelta(minutes=1):
                return None
            self._noted[user_id] = now
            return Msg.of("limits.slow_down", limit=self.settings.commands_per_minute)
        window.append(now)
        return True

    def may_invite(self, user_id: str) -> bool:
        """Only members (and admins) may bring the bot into a room."""
        return user_id in self.settings.admins or self.is_member(user_id)
