"""The use cases of the KIWI programme as one object, `Kiwi`, which every adapter calls.

Pure decisions over the ports (store, clock, platform): no chat platform's types, no SQL. Each area lives in
its own module as a subclass of `KiwiBase` (core/base.py); `Kiwi` only assembles them, so an adapter holds one
object and a use case is found by its area.
"""

from __future__ import annotations

from kiwibot.core.access import AccessArea
from kiwibot.core.archive import ArchiveArea, ArchivePage
from kiwibot.core.base import KiwiBase, Settings, chunked, pings, server_of
from kiwibot.core.digest import DigestArea
from kiwibot.core.feedback import FeedbackArea
from kiwibot.core.materials import MaterialsArea
from kiwibot.core.people import REMINDER_CHOICES, PeopleArea
from kiwibot.core.privacy import PrivacyArea
from kiwibot.core.reminders import LATE_AFTER, RemindersArea
from kiwibot.core.retention import RetentionArea
from kiwibot.core.sessions import PAGE_SIZE, ProgrammePage, SessionsArea
from kiwibot.core.signups import SignupsArea
from kiwibot.core.statistics import StatisticsArea
from kiwibot.core.wishes import WishesArea

__all__ = [
    "LATE_AFTER",
    "PAGE_SIZE",
    "REMINDER_CHOICES",
    "ArchivePage",
    "Kiwi",
    "KiwiBase",
    "ProgrammePage",
    "Settings",
    "chunked",
    "pings",
    "server_of",
]


class Kiwi(
    AccessArea,
    PeopleArea,
    SessionsArea,
    SignupsArea,
    RemindersArea,
    DigestArea,
    FeedbackArea,
    MaterialsArea,
    ArchiveArea,
    WishesArea,
    StatisticsArea,
    PrivacyArea,
    RetentionArea,
):
    """Every use case, built once in app.py from the store, the clock, the settings and the platform port.

    Who may do what (access), a person's choices and the patrons (people), sessions and the programme
    (sessions), signups and the waiting list (signups), reminders, the daily digest (digest), and the learning
    loop: feedback after a session (feedback), materials of a session (materials), past sessions (archive),
    topic wishes (wishes); a member's rights (privacy: `!meinedaten`, `!vergessen`) and the retention period; and the
    figures for the sponsor (statistics).
    """
