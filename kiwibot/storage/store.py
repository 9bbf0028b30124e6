"""`Store`, the bot's persistent state, assembled from one mixin per area: each `storage/<area>.py` holds a
`…Rows(StoreBase)` class with that area's SQL, and `storage/base.py` the connection and the one transaction.
A new area is a new module with a `StoreBase` mixin, added to the bases below (its tables: a new migration).
"""

from __future__ import annotations

from kiwibot.storage.archive import ArchiveRows
from kiwibot.storage.base import AlreadyRunning, DatabaseTooNew, InstanceLock, StoreBase
from kiwibot.storage.calendar import CalendarRows
from kiwibot.storage.cogivers import CogiverRows
from kiwibot.storage.events import CommandRecord, EventRows
from kiwibot.storage.feedback import FeedbackRows
from kiwibot.storage.materials import MaterialRows
from kiwibot.storage.outbox import OutboxItem, OutboxRows
from kiwibot.storage.people import PeopleRows
from kiwibot.storage.privacy import PrivacyRows
from kiwibot.storage.reminders import ReminderRows
from kiwibot.storage.retention import RetentionRows
from kiwibot.storage.sessions import MAX_DURATION, SessionRows
from kiwibot.storage.signups import SignupRows
from kiwibot.storage.statistics import StatisticsRows
from kiwibot.storage.times import iso
from kiwibot.storage.wishes import WishRows

__all__ = [
    "MAX_DURATION",
    "AlreadyRunning",
    "CommandRecord",
    "DatabaseTooNew",
    "InstanceLock",
    "OutboxItem",
    "Store",
    "StoreBase",
    "iso",
]


class Store(
    EventRows,
    SessionRows,
    SignupRows,
    ReminderRows,
    OutboxRows,
    PeopleRows,
    CalendarRows,
    MaterialRows,
    ArchiveRows,
    WishRows,
    CogiverRows,
    FeedbackRows,
    StatisticsRows,
    PrivacyRows,
    RetentionRows,
):
    """Persistent state of the bot; the database is the truth, everything else is rebuilt from it."""
