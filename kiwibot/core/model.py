"""The domain's values: sessions, formats, signups. Frozen, typed, free of any chat platform and of SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# People, rooms and posts are the platform's opaque id strings: the core compares and stores them, never reads
# them, so one `str` type serves Matrix and any other platform alike.

DURATIONS: tuple[int, ...] = (30, 60, 90)
# How far ahead a session may be planned (offered or repeated): further is more likely a typo than a plan.
MAX_AHEAD = timedelta(days=365)


class Format(StrEnum):
    """Session formats; the values are stored, the names shown come from the catalogue."""

    TALK = "talk"
    AMA = "ama"
    EXCHANGE = "exchange"
    WORKSHOP = "workshop"
    GROUP = "group"


# What people may type, German and English. The first German name is the one shown in templates.
FORMAT_WORDS: dict[str, Format] = {
    "impuls": Format.TALK,
    "talk": Format.TALK,
    "vortrag": Format.TALK,
    "ama": Format.AMA,
    "ask me anything": Format.AMA,
    "austausch": Format.EXCHANGE,
    "exchange": Format.EXCHANGE,
    "erfahrungsaustausch": Format.EXCHANGE,
    "werkstatt": Format.WORKSHOP,
    "workshop": Format.WORKSHOP,
    "gruppe": Format.GROUP,
    "group": Format.GROUP,
    "gruppentreffen": Format.GROUP,
}

FORMAT_KEYWORD: dict[str, dict[Format, str]] = {
    "de": {
        Format.TALK: "impuls",
        Format.AMA: "ama",
        Format.EXCHANGE: "austausch",
        Format.WORKSHOP: "werkstatt",
        Format.GROUP: "gruppe",
    },
    "en": {
        Format.TALK: "talk",
        Format.AMA: "ama",
        Format.EXCHANGE: "exchange",
        Format.WORKSHOP: "workshop",
        Format.GROUP: "group",
    },
}


class Status(StrEnum):
    """Cancelled sessions are kept, not deleted: their news post and the signups stay on record."""

    OPEN = "open"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class SessionDraft:
    """A validated offer, before it has a number."""

    giver: str
    title: str
    starts_at: datetime
    duration: int
    format: Format
    description: str = ""
    description_html: str | None = None
    link: str | None = None
    seats: int | None = None
    origin_room: str | None = None
    origin_event: str | None = None
    repeated_from: int | None = None
    giver_name: str = ""  # the giver's display name when offering: the archive finds sessions by it


@dataclass(frozen=True, slots=True)
class Session:
    """A session as stored, with its number; values only, so every layer can pass it around safely."""

    id: int
    giver: str
    title: str
    starts_at: datetime
    duration: int
    format: Format
    description: str
    description_html: str | None
    link: str | None
    seats: int | None
    status: Status
    cancel_reason: str | None
    news_room: str | None
    news_event: str | None
    origin_room: str | None
    origin_event: str | None
    repeated_from: int | None = None  # the session this one repeats (`!wiederholen`)
    giver_name: str = ""  # the giver's display name when offering ("" if the platform gave none)
    cogivers: tuple[str, ...] = ()  # up to three co-givers, in the order named (`Co-Geber:in:`)

    @property
    def hosts(self) -> tuple[str, ...]:
        """Who gives the session: the giver and the co-givers, who may do all the giver may."""
        return (self.giver, *self.cogivers)

    @property
    def ends_at(self) -> datetime:
        """Derived from start and duration, so the end can never disagree with them."""
        return self.starts_at + timedelta(minutes=self.duration)

    @property
    def cancelled(self) -> bool:
        """Asked everywhere a cancelled session must not change or count any more."""
        return self.status is Status.CANCELLED


@dataclass(frozen=True, slots=True)
class Attendance:
    """Who is coming, in signup order: `confirmed` fit the seats, `waiting` queue behind them."""

    confirmed: tuple[str, ...]
    waiting: tuple[str, ...]

    @classmethod
    def split(cls, ordered: list[str] | tuple[str, ...], seats: int | None) -> Attendance:
        """Seats go by signup order: the first `seats` people come, the rest wait in their order."""
        if seats is None:
            return cls(tuple(ordered), ())
        return cls(tuple(ordered[:seats]), tuple(ordered[seats:]))

    def headcount(self, seats: int | None) -> Headcount:
        """The numbers only, for lists where names are not needed."""
        return Headcount(len(self.confirmed), len(self.waiting), seats)


@dataclass(frozen=True, slots=True)
class Headcount:
    """How many come and wait, read for many sessions at once without the names."""

    confirmed: int
    waiting: int
    seats: int | None

    @classmethod
    def of(cls, signed_up: int, seats: int | None) -> Headcount:
        """From a plain count: the store counts signups, the seats decide who waits."""
        confirmed = signed_up if seats is None else min(signed_up, seats)
        return cls(confirmed, signed_up - confirmed, seats)

    @property
    def free(self) -> int | None:
        """Seats still free, None without a limit: the digest says "free" or "full" by it."""
        return None if self.seats is None else max(0, self.seats - self.confirmed)
