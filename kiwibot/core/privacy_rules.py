"""What the bot keeps about a person, and for how long: the record `!meinedaten` exports (Art. 15 DSGVO), its readable
summary (the JSON file: privacy_export.py), and the periods the retention job and `!vergessen` work with.

Pure values and functions: the store fills a `PersonRecord`, the privacy area adds what only it knows (who waits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kiwibot.core.learning import Wish
from kiwibot.core.messages import Code, Lines, Moment, Msg, Param
from kiwibot.core.model import Session

CONFIRM_WITHIN = timedelta(minutes=10)  # `!vergessen bestätigen` must follow `!vergessen` this soon
REQUEST_KEPT = timedelta(days=1)  # an expired request is kept this long, so a late confirmation hears "too late"
# Technical records (events handled, commands run, messages sent) matter this long: a message edited, a
# reaction or a redaction sent again by the server, an answer still to be delivered. Then they go.
TECHNICAL_KEEP = timedelta(days=30)
# The file's name in the person's language (a German name in an English chat reads as a mistake).
EXPORT_FILES = {"de": "kiwi-meine-daten.json", "en": "kiwi-my-data.json"}


def export_file_name(language: str) -> str:
    """The `!meinedaten` file's name in `language` (German for a language without its own name)."""
    return EXPORT_FILES.get(language, EXPORT_FILES["de"])


@dataclass(frozen=True, slots=True)
class SignupRecord:
    """A seat or waiting place of the person (the session, when they signed up, by reaction and/or command)."""

    session: Session
    signed_up_at: datetime
    via: tuple[str, ...]
    waiting: bool = False


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """An answer the person gave: their own text and rating."""

    session: Session
    rating: int | None
    comment: str
    given_at: datetime


@dataclass(frozen=True, slots=True)
class InterestRecord:
    """A wish the person showed interest in (a 👍 on its post)."""

    wish: Wish
    since: datetime


@dataclass(frozen=True, slots=True)
class MaterialRecord:
    """A link the person shared for a session."""

    session: Session
    url: str
    description: str
    added_at: datetime


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """Everything the database holds that names one person (only the fact of calendar links, never a secret)."""

    user_id: str
    given: tuple[Session, ...] = ()
    cogiven: tuple[Session, ...] = ()
    signups: tuple[SignupRecord, ...] = ()
    feedback: tuple[FeedbackRecord, ...] = ()
    wishes: tuple[Wish, ...] = ()
    interest: tuple[InterestRecord, ...] = ()
    materials: tuple[MaterialRecord, ...] = ()
    language: str | None = None
    reminders: str | None = None
    calendar_links: bool = False
    direct_chat: bool = False
    patron_since: datetime | None = None
    commands: tuple[datetime, ...] = ()  # when each command of theirs was handled
    queued_messages: int = 0
    forget_requested: datetime | None = None

    def is_empty(self) -> bool:
        """Nothing but technical traces and the direct chat (where the summary is read, so it always exists by
        then): the summary then says so plainly."""
        return not (
            self.given
            or self.cogiven
            or self.signups
            or self.feedback
            or self.wishes
            or self.interest
            or self.materials
            or self.language
            or self.reminders
            or self.calendar_links
            or self.patron_since
        )


def stamp(moment: datetime | None, tz: ZoneInfo) -> str | None:
    """ISO 8601 to the second in the programme's zone, with its offset ("2026-11-23T09:00:00+01:00"): the clock
    time people saw in the chat, and still the one exact moment for a program reading it."""
    if moment is None:
        return None
    return moment.astimezone(tz).replace(microsecond=0).isoformat()


def session_status(session: Session, now: datetime) -> str:
    """The session's state as the file names it: "cancelled", "held" once it has ended, "running" while it runs,
    else "open" (still to come) – a past session is no longer open for anything."""
    if session.cancelled:
        return "cancelled"
    if session.ends_at <= now:
        return "held"
    return "running" if session.starts_at <= now else "open"


def names_removed_after(session: Session, retention_days: int) -> datetime:
    """When the retention job removes the participants' names of a session (and the names on its feedback)."""
    return session.ends_at + timedelta(days=retention_days)


def summary(record: PersonRecord, now: datetime, retention_days: int, forget: Code, file: str) -> Lines:
    """The readable part of the export, for someone who never read a privacy notice: first what they did (sessions,
    signups, feedback, with when their name goes), then what they shared and chose, then the technical traces, and
    last how to have it deleted. `file`: the attached file's name."""
    upcoming = [names_removed_after(s.session, retention_days) for s in record.signups]
    upcoming += [names_removed_after(f.session, retention_days) for f in record.feedback]
    next_removal = min((at for at in upcoming if at > now), default=None)
    lines: list[Param] = [Msg.of("privacy.summary.title", file=Code(file))]
    if record.is_empty():
        lines.append(Msg.of("privacy.summary.nothing"))
    else:
        hosted = len(record.given) + len(record.cogiven)
        lines += [
            Msg.of("privacy.summary.sessions", count=hosted, forget=forget),
            Msg.of(
                "privacy.summary.signups",
                count=len(record.signups),
                waiting=sum(1 for s in record.signups if s.waiting),
                days=retention_days,
            ),
            Msg.of("privacy.summary.feedback", count=len(record.feedback), days=retention_days),
        ]
        if next_removal is not None:  # right under the two kinds it is about
            lines.append(Msg.of("privacy.summary.next", when=Moment(next_removal, "date")))
        lines += [
            Msg.of(
                "privacy.summary.wishes",
                count=len(record.wishes),
                materials=len(record.materials),
                forget=forget,
            ),
            Msg.of("privacy.summary.interest", interest=len(record.interest), forget=forget),
            Msg.of(
                "privacy.summary.settings",
                language=Msg.of(f"privacy.language.{record.language or 'default'}"),
                reminders=Msg.of(f"privacy.reminders.{record.reminders or 'thread'}"),
                calendar=Msg.of("privacy.yes" if record.calendar_links else "privacy.no"),
                direct=Msg.of("privacy.yes" if record.direct_chat else "privacy.no"),
                forget=forget,
            ),
        ]
        if record.patron_since is not None:
            lines.append(Msg.of("privacy.summary.patron", since=Moment(record.patron_since, "date")))
    lines.append(
        Msg.of(
            "privacy.summary.technical",
            count=len(record.commands),
            queued=record.queued_messages,
            days=TECHNICAL_KEEP.days,
        )
    )
    lines.append(Msg.of("privacy.summary.footer", forget=forget))
    return Lines(tuple(lines))


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What forgetting a person touched: the sessions and wishes whose posts named them (to be edited)."""

    sessions: tuple[int, ...] = ()
    wishes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Removed:
    """What one retention run removed, as counts only (the log line; never a name or a text)."""

    sessions: int = 0  # sessions whose participants' names were removed
    participants: int = 0  # signup rows put under a pseudonym
    feedback: int = 0  # answers whose name was removed (the text stays)
    records: tuple[tuple[str, int], ...] = ()  # technical records pruned, by kind

    def total(self) -> int:
        """Whether the run removed anything at all."""
        return self.participants + self.feedback + sum(count for _, count in self.records)
