"""Who may talk to the bot, and how often: network membership decides, a rate limit protects the running bot."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiwibot.core.base import KiwiBase, Settings
from kiwibot.core.messages import Moment, Msg
from kiwibot.core.ports import Clock, Platform, SessionStore

RATE_WINDOW = timedelta(minutes=1)
REMIND_AFTER = timedelta(seconds=20)  # a command this long after the note is a retry, not the same burst


@dataclass(slots=True)
class _Hold:
    """A person over the rate limit: commands are not carried out until `free`; when they were told."""

    free: datetime
    noted: datetime
    reminded: bool


class AccessArea(KiwiBase):
    """Runs before every command, so it decides from memory and the settings alone, never from the store."""

    def __init__(self, store: SessionStore, clock: Clock, settings: Settings, platform: Platform) -> None:
        """The limits start empty: in memory on purpose, they protect the running bot; a restart may forget them."""
        super().__init__(store, clock, settings, platform)
        self._recent: dict[str, deque[datetime]] = {}
        self._held: dict[str, _Hold] = {}
        self._refused_on: dict[str, date] = {}

    def admit(self, user_id: str) -> Msg | bool | None:
        """May this person's command run now? True, or a message to send instead, or None for silence.

        Non-members get a polite refusal at most once a day. A person over the rate limit is told that their
        commands are not carried out and from what time they can send them again, so nothing is lost unnoticed;
        the rest of a burst gets no answer, but a command sent again at least `REMIND_AFTER` later, while still
        held, gets one reminder (a person retrying too early would otherwise lose it in silence).
        """
        now = self.clock.now()
        if not self.is_member(user_id):
            today = now.date()
            if self._refused_on.get(user_id) == today:
                return None
            self._refused_on[user_id] = today
            return Msg.of("access.not_member")
        window = self._recent.setdefault(user_id, deque())
        while window and now - window[0] >= RATE_WINDOW:
            window.popleft()
        if len(window) >= self.settings.commands_per_minute:
            # The time told is when the whole minute's allowance is back (the last command admitted has left the
            # window): a person sending the held commands again then is not held a second time.
            return self._held_note(user_id, now, window[-1] + RATE_WINDOW)
        window.append(now)
        self._held.pop(user_id, None)
        return True

    def _held_note(self, user_id: str, now: datetime, free: datetime) -> Msg | None:
        hold = self._held.get(user_id)
        if hold is None or now >= hold.free:  # a new burst: the first note
            self._held[user_id] = _Hold(free, now, reminded=False)
            return self._note(free)
        if hold.reminded or now - hold.noted < REMIND_AFTER:  # the rest of the burst
            return None
        hold.reminded = True
        return Msg.of("limits.still_held", time=_minute_after(free))

    def _note(self, free: datetime) -> Msg:
        return Msg.of("limits.slow_down", limit=self.settings.commands_per_minute, time=_minute_after(free))

    def may_invite(self, user_id: str) -> bool:
        """Only members (and admins) may bring the bot into a room."""
        return user_id in self.settings.admins or self.is_member(user_id)


def _minute_after(free: datetime) -> Moment:
    """The time shown is rounded up to the minute ("ab 14:04 Uhr"): never earlier than the person may send."""
    rounded = free.replace(second=0, microsecond=0)
    return Moment(rounded if rounded == free else rounded + timedelta(minutes=1), "time")
