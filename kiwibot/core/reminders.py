"""Reminders before a session: when they are due, what they say, and to whom (thread or direct message)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from kiwibot.core.base import KiwiBase, pings
from kiwibot.core.effects import Direct, Effect, Notify, Reminder
from kiwibot.core.messages import Lines, Link, Moment, Msg, Param
from kiwibot.core.model import Session
from kiwibot.core.present import session_link

LATE_AFTER = timedelta(minutes=5)  # a reminder sent later than this after its time says "(late)"

log = logging.getLogger(__name__)


class RemindersArea(KiwiBase):
    """Reminders are planned in the database and marked with the messages they queue: a restart neither loses nor
    repeats one."""

    def next_reminder(self) -> datetime | None:
        """The scheduler wakes for the next reminder only; the database says which one it is."""
        return self.store.next_reminder_due()

    def due_reminders(self) -> tuple[Effect, ...]:
        """Reminders whose time has come, recorded as being sent in the same transaction as their messages."""
        now = self.clock.now()
        effects: list[Effect] = []
        last_offset = min(self.settings.reminders, default=0)
        for session_id, offset, planned_start, due in self.store.due_reminders(now):
            session = self.store.get_session(session_id)
            if session is None or session.cancelled or session.starts_at != planned_start:
                self.store.set_reminder_state(session_id, offset, planned_start, "cancelled", now)
                continue
            if session.starts_at <= now:
                log.info("reminder %d min before session %d skipped: it began at %s", offset, session_id, planned_start)
                self.store.set_reminder_state(session_id, offset, planned_start, "skipped", now)
                continue
            purpose = Reminder(session_id, offset, planned_start)
            produced = self._reminder(session, now - due > LATE_AFTER, offset <= last_offset, purpose)
            state = "sending" if produced else "sent"
            self.store.set_reminder_state(session_id, offset, planned_start, state, now)
            effects += produced
        return tuple(effects)

    def reminder_delivered(self, reminder: Reminder) -> None:
        """All messages of one reminder went out (or were refused): it is done."""
        self.store.set_reminder_state(
            reminder.session_id, reminder.offset, reminder.planned_start, "sent", self.clock.now()
        )

    def _reminder(self, session: Session, late: bool, last: bool, purpose: Reminder) -> list[Effect]:
        """One reminder's messages: to the thread in each reader's language, or by direct message to who chose that."""
        attendance = self.attendance(session)
        coming = [*session.hosts, *attendance.confirmed]  # co-givers are reminded as the giver is
        waiting = list(attendance.waiting) if last else []
        prefs = self.store.reminder_prefs([*coming, *waiting])

        def wants(user: str, how: str) -> bool:
            return prefs.get(user, "thread") == how

        details = {
            "late": Msg.of("reminder.late") if late else "",
            "number": session.id,
            "title": session.title,
            "when": Moment(session.starts_at),
            "duration": session.duration,
            "link": Link(session.link) if session.link else Msg.of("news.no_link"),
        }
        effects: list[Effect] = []
        in_thread = [u for u in coming if wants(u, "thread")]
        waiting_thread = set(u for u in waiting if wants(u, "thread"))
        # One thread message per language of its readers; a small group gets one message with both parts.
        for language, group in self._by_language([*in_thread, *waiting_thread]).items():
            group_in = [u for u in group if u not in waiting_thread]
            group_waiting = [u for u in group if u in waiting_thread]
            if len(group) <= self.platform.pings_per_message:
                lines: list[Param] = [Msg.of("reminder.thread", users=pings(group_in), **details)]
                if group_waiting:
                    lines.append(self._still_waiting(group_waiting))
                effects.append(Notify(session.id, Lines(tuple(lines)), tuple(group), purpose, language))
                continue
            effects += [
                Notify(session.id, Msg.of("reminder.thread", users=pings(chunk), **details), chunk, purpose, language)
                for chunk in self._chunked(group_in)
            ] or [Notify(session.id, Msg.of("reminder.thread", users=(), **details), (), purpose, language)]
            effects += [
                Notify(session.id, self._still_waiting(chunk), chunk, purpose, language)
                for chunk in self._chunked(group_waiting)
            ]
        post = session_link(session)
        effects += [
            Direct(u, Msg.of("reminder.direct", post=post, **details), purpose) for u in coming if wants(u, "dm")
        ]
        effects += [
            Direct(u, Msg.of("reminder.direct_waiting", post=post, **details), purpose)
            for u in waiting
            if wants(u, "dm")
        ]
        return effects

    @staticmethod
    def _still_waiting(people: Sequence[str]) -> Msg:
        """The last reminder also tells those still waiting, so they can plan for a free seat."""
        return Msg.of("reminder.still_waiting", users=pings(people), count=len(people))
