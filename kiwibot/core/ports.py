"""What the core needs from the outside world, as Protocols: it never imports the implementations."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from kiwibot.core.learning import Material, SearchTerm, Wish, Years
from kiwibot.core.model import Session, SessionDraft
from kiwibot.core.ports_privacy import PrivacyStore

if TYPE_CHECKING:
    from kiwibot.core.calendar import CalendarEntry, FeedIndex, Stamp
    from kiwibot.core.statistics_figures import HeldSession


class Platform(Protocol):
    """What the core must know of the chat platform it speaks through; each chat adapter implements it.

    Everything else about a platform stays in its adapter: how a person is shown (`Mention`), how a post is
    linked (`PostLink`) and how a message is built are its renderer's business.
    """

    @property
    def pings_per_message(self) -> int:
        """The most people one message may notify: more are told in several messages."""
        ...

    def is_mention_link(self, url: str) -> bool:
        """Whether a link in user formatting would show as a mention (of a person, room or message) here:
        text people write must never mention anyone, so such links lose their target."""
        ...

    def person(self, reference: str) -> str | None:
        """The person a word or link of a command names (here: an id written out, or a link that mentions them),
        or None: people are named to give them rights (co-givers), so nothing is guessed."""
        ...

    def no_account(self, user_id: str) -> bool:
        """Whether the platform knows for certain that this account does not exist (a mistyped id): the adapter
        asked before the command ran; unknown (not asked, or the server could not say) is False."""
        ...


class Clock(Protocol):
    """Injected so tests can move time; always returns an aware UTC datetime."""

    def now(self) -> datetime:
        """The one source of time, so tests can move it; aware UTC, never the host's local time."""


class UserStore(Protocol):
    """Per-user preferences."""

    def get_language(self, user_id: str) -> str | None:
        """A person's chosen language, or None: the network's default then applies."""

    def set_language(self, user_id: str, language: str) -> None:
        """Kept across restarts: a person chooses once."""


class MaterialStore(Protocol):
    """The links shared for a session, in the order they were added."""

    def materials(self, session_id: int) -> list[Material]:
        """A session's materials, numbered 1, 2, … in the order they were added."""

    def materials_for(self, session_ids: list[int]) -> dict[int, list[Material]]:
        """The materials of many sessions in one query (a page of the archive)."""

    def add_material(self, session_id: int, url: str, description: str, added_by: str, at: datetime) -> Material:
        """Added at the end of the session's list; its number is its place there."""

    def remove_material(self, session_id: int, position: int) -> Material | None:
        """Remove the material at this place; the ones after it move up. None: there is none there."""


class ArchiveStore(Protocol):
    """Past sessions, newest first, found by words of their title, description and giver's name."""

    def past_sessions(
        self, now: datetime, terms: tuple[SearchTerm, ...], limit: int, offset: int, years: Years | None = None
    ) -> list[Session]:
        """Ended, not cancelled sessions, newest first; with `terms`, only those with a word starting with each;
        with `years`, only those that began in one of them or name one."""

    def count_past(self, now: datetime, terms: tuple[SearchTerm, ...], years: Years | None = None) -> int:
        """How many sessions `past_sessions` would list in all, for its pages."""


class WishStore(Protocol):
    """Topic wishes and the reactions that show interest in them."""

    def create_wish(self, wisher: str, topic: str, description: str, at: datetime) -> Wish:
        """The store gives the number, so wish numbers are unique and never reused."""

    def get_wish(self, wish_id: int) -> Wish | None:
        """None for a number that names no wish."""

    def wish_by_post(self, event_id: str) -> Wish | None:
        """The wish a reaction on its post is about."""

    def wish_of_session(self, session_id: int) -> Wish | None:
        """The wish a session fulfilled, if any."""

    def wishes_of_session(self, session_id: int) -> list[Wish]:
        """Every wish a session fulfils now (an edit may have named a second one)."""

    def all_open_wishes(self) -> list[Wish]:
        """Every open wish, oldest first."""

    def open_wishes_of(self, wisher: str) -> list[Wish]:
        """A person's open wishes (a cap, and the same wish twice)."""

    def ranked_wishes(self, limit: int) -> list[tuple[Wish, int]]:
        """Open wishes with their interest (the wisher and everyone with a 👍), most interest first, then oldest."""

    def count_open_wishes(self) -> int:
        """How many wishes are open, for "and N more"."""

    def interest_count(self, wish_id: int) -> int:
        """How many are interested in a wish (the wisher and everyone with a 👍), for its post."""

    def interested(self, wish_id: int) -> list[str]:
        """Who showed interest by reaction, in the order they did (the wisher not among them)."""

    def add_interest(self, wish_id: int, user_id: str, source_id: str, at: datetime) -> bool:
        """One reaction more; True if it made the person interested (two 👍 of one person count once)."""

    def remove_interest(self, source_id: str) -> tuple[int, str] | None:
        """A reaction withdrawn: its (wish, person), or None if it was not counted."""

    def interest_sources(self, wish_id: int) -> dict[str, str]:
        """The counted reactions of a wish (reaction id → person), to compare with the server's."""

    def finish_wish(self, wish_id: int, status: str, session_id: int | None, by: str, at: datetime) -> Wish:
        """Close a wish or mark it fulfilled by a session; returns it as now stored."""

    def reopen_wish(self, wish_id: int) -> Wish:
        """A fulfilled wish open again (its session was cancelled or no longer names it), its interest kept."""


class CogiverStore(Protocol):
    """Co-givers of sessions (read back with every session as `Session.cogivers`)."""

    def set_cogivers(self, session_id: int, users: Sequence[str], by: str, at: datetime) -> None:
        """Replace a session's co-givers, in the order named; who named them is kept for the record."""

    def sessions_cohosted_by(self, user_id: str, now: datetime) -> list[Session]:
        """Sessions a person gives as co-giver that have not ended, for `!meine`."""


class FeedbackStore(Protocol):
    """Feedback: the answers, the ask after a session ended, the summaries owed to its givers."""

    def save_feedback(self, session_id: int, user_id: str, rating: int | None, comment: str, at: datetime) -> bool:
        """One answer per person and session; True if it replaced an earlier one."""

    def feedback_by(self, session_id: int, user_id: str) -> tuple[int | None, str] | None:
        """A person's stored answer as (rating, comment), to update it."""

    def has_feedback(self, session_id: int, user_id: str) -> bool:
        """Whether this person answered already."""

    def feedback_of(self, session_id: int) -> list[tuple[int | None, str]]:
        """The answers as (rating, comment), without names, in an order that does not tell who wrote when."""

    def sessions_to_ask(self, now: datetime, since: datetime) -> list[Session]:
        """Open sessions that ended in (since, now] whose participants were not asked yet."""

    def next_feedback_ask(self, since: datetime) -> datetime | None:
        """The end of the first open session after `since` not asked about yet (maybe already past)."""

    def set_feedback_ask(self, session_id: int, state: str, at: datetime) -> None:
        """Marks the ask sending, sent or skipped, so nobody is asked twice."""

    def asked_sessions(self, since: datetime) -> list[Session]:
        """Open sessions that ended after `since` whose participants were asked for feedback."""

    def feedback_summary_state(self, session_id: int) -> tuple[datetime | None, datetime | None]:
        """(when the next summary is owed, when the last went out)."""

    def owe_feedback_summary(self, session_id: int, due: datetime) -> None:
        """A summary is owed at `due`."""

    def feedback_summary_sent(self, session_id: int, at: datetime) -> None:
        """The summary was queued: nothing is owed until the next answer."""

    def due_feedback_summaries(self, now: datetime) -> list[int]:
        """Sessions whose summary is owed by now."""

    def next_feedback_summary(self) -> datetime | None:
        """When the next summary is owed; None if none is."""


class StatisticsStore(Protocol):
    """Figures that outlive the participant lists: held sessions frozen with their people as keys, never names."""

    def freeze_statistics(self, before: datetime) -> int:
        """Freeze every held session that ended by `before` (retention calls it before deleting names)."""

    def anonymise_statistics(self, user_id: str) -> None:
        """Cut the link from a person to their frozen figures (erasure); the counts stay."""

    def held_sessions(self, start: datetime, end: datetime) -> list[HeldSession]:
        """The frozen held sessions that started in [start, end)."""

    def first_held(self, keys: Iterable[str]) -> dict[str, datetime]:
        """For each giver's key, the start of the first session they ever gave."""

    def first_recorded_start(self) -> datetime | None:
        """The start of the first session the figures know (held and frozen, or cancelled); None if none is."""

    def cancelled_starts(self, start: datetime, end: datetime) -> list[datetime]:
        """The planned starts of sessions cancelled, in [start, end)."""

    def held_ratings(self, start: datetime, end: datetime) -> list[tuple[int, int]]:
        """(session, rating) of the rated answers about held sessions that started in [start, end)."""

    def monthly_report_recorded(self, month: str) -> bool:
        """Whether the report of `month` ("2026-10") was queued already."""

    def record_monthly_report(self, month: str, at: datetime) -> bool:
        """True if this call recorded the month: exactly one caller posts its report."""


class SessionStore(
    UserStore,
    MaterialStore,
    ArchiveStore,
    WishStore,
    CogiverStore,
    FeedbackStore,
    StatisticsStore,
    PrivacyStore,
    Protocol,
):
    """Sessions, signups and patrons, as the core needs them."""

    def transaction(self) -> AbstractContextManager[None]:
        """All-or-nothing, so a decision and the messages it causes are stored together or not at all."""

    def create_session(self, draft: SessionDraft, at: datetime) -> Session:
        """The store gives the number, so numbers are unique and never reused."""

    def get_session(self, session_id: int) -> Session | None:
        """None for a number that names no session: the caller tells the user, not a traceback."""

    def session_by_news(self, event_id: str) -> Session | None:
        """The session a reaction or redaction on a news post is about."""

    def update_session(self, session_id: int, at: datetime, **changes: object) -> Session:
        """Changes only the named fields and returns the session as now stored, for the news and replies."""

    def upcoming(self, now: datetime, limit: int = 1000, offset: int = 0) -> list[Session]:
        """Open sessions not yet ended, in date order, a page at a time: the programme."""

    def count_upcoming(self, now: datetime) -> int:
        """How many pages the programme has, without reading them."""

    def overlapping(self, start: datetime, end: datetime, exclude: int | None = None) -> list[Session]:
        """Open sessions sharing some time with [start, end): overlaps are named, duplicates refused."""

    def sessions_given_by(self, user_id: str, now: datetime) -> list[Session]:
        """A giver's sessions not yet ended, for `!meine` and the limit on open offers."""

    def sessions_joined_by(self, user_id: str, now: datetime) -> list[Session]:
        """Sessions a person signed up for that have not ended, for `!meine`."""

    def attendees(self, session_id: int) -> list[str]:
        """Everyone signed up, in signup order: the order decides seats and the waiting list."""

    def signup_counts(self, session_ids: list[int]) -> dict[int, int]:
        """Counts for many sessions in one query, so a list of sessions costs one read."""

    def is_signed_up(self, session_id: int, user_id: str) -> bool:
        """Whether any reason (a reaction or a command) still signs the person up."""

    def add_signup_source(self, session_id: int, user_id: str, source_id: str, kind: str, at: datetime) -> bool:
        """One reason more to be signed up; True if this made the person signed up (they were not)."""

    def source_of(self, source_id: str) -> tuple[int, str] | None:
        """The (session, person) a signup reaction belongs to, so its redaction withdraws exactly it."""

    def remove_signup_source(self, source_id: str) -> tuple[int, str, bool] | None:
        """Withdraw one reason; (session, person, still signed up) or None if it was unknown."""

    def remove_signup(self, session_id: int, user_id: str) -> bool:
        """Sign a person off entirely; their reactions are remembered as withdrawn, so none counts again."""

    def record_moves(self, session_id: int, user_ids: Sequence[str], at: datetime) -> None:
        """These people moved between the waiting list and a seat at `at`: their calendar event changed."""

    def is_withdrawn(self, event_id: str) -> bool:
        """A reaction already withdrawn must not sign up again when the reactions are read back."""

    def patrons(self) -> list[str]:
        """Patrons added in the chat (the configuration's are in the settings)."""

    def add_patron(self, user_id: str, added_by: str, at: datetime) -> bool:
        """True if the person was not a patron yet; who added them is kept for the record."""

    def remove_patron(self, user_id: str) -> bool:
        """True if the person was a chat-added patron."""

    def plan_reminders(
        self, session_id: int, start: datetime, plan: list[tuple[int, datetime, str]], at: datetime
    ) -> None:
        """Replace a session's open reminder plan for its (new) start: a moved session is reminded anew."""

    def cancel_reminders(self, session_id: int, at: datetime) -> None:
        """A cancelled session reminds nobody."""

    def due_reminders(self, now: datetime) -> list[tuple[int, int, datetime, datetime]]:
        """Planned reminders whose time has come: (session, offset, planned start, due)."""

    def next_reminder_due(self) -> datetime | None:
        """When the scheduler must wake next; None if nothing is planned."""

    def set_reminder_state(
        self, session_id: int, offset: int, planned_start: datetime, state: str, at: datetime
    ) -> None:
        """Marks a reminder sending, sent, skipped or cancelled, so none is sent twice."""

    def reminder_prefs(self, user_ids: list[str]) -> dict[str, str]:
        """How each of many people wants reminders and news (thread, dm, off), in one query; none: the default."""

    def languages(self, user_ids: list[str]) -> dict[str, str]:
        """The chosen languages of many people in one query (people without a choice are left out)."""

    def signup_kinds(self, session_id: int, user_id: str) -> set[str]:
        """Why a person is signed up ({"reaction"}, {"command"}, both): replies differ by it."""

    def set_reminder_pref(self, user_id: str, pref: str) -> None:
        """Kept across restarts: a person chooses once."""

    def digest_recorded(self, day: str) -> bool:
        """Whether today's digest is already owed or done, after a restart past its time."""

    def record_digest(self, day: str, at: datetime) -> bool:
        """True if this call recorded the day, so exactly one caller posts that day's digest."""

    def digest_sent(self, day: str) -> None:
        """The day's digest went out: it is not owed any more."""

    def sessions_between(self, start: datetime, end: datetime) -> list[Session]:
        """Open sessions starting in [start, end), for the digest's days."""

    def reaction_sources(self, session_id: int) -> dict[str, str]:
        """Signup reactions the database counts for a session (reaction id → person), to compare with the server's."""


class CalendarStore(UserStore, Protocol):
    """Calendar links and what the feeds hold (kiwibot/storage/calendar.py)."""

    def add_calendar_link(self, user_id: str, digest: str, at: datetime, *, replace: bool) -> None:
        """Keep one more link hash of a person; `replace` revokes every earlier one at once (`!kalender neu`)."""

    def calendar_link_count(self, user_id: str) -> int:
        """How many live links a person has: their number is capped so old links cannot pile up."""

    def calendar_link_owner(self, digest: str) -> tuple[str, str] | None:
        """The person a link hash belongs to (and the hash as stored), for the constant-time check."""

    def revoked_link(self, digest: str, since: datetime) -> bool:
        """Whether a link with this hash was revoked by `!kalender neu` after `since` (its calendar may still poll)."""

    def calendar_version(self) -> int:
        """A number that grows with every change any feed could show: unchanged means the cached bytes hold."""

    def calendar_versions(self) -> tuple[int, int, int]:
        """(sessions, signups, layout) change counts: a page or feed built at the same three still holds."""

    def change_marks(self, user_id: str, session_ids: Collection[int]) -> tuple[int, int]:
        """The newest session change and signup change among these sessions and the person's own signups."""

    def changed_since(self, version: int) -> dict[int, int]:
        """Sessions whose calendar data changed after `version` (index on `calendar_rev`): id → its revision."""

    def next_session_end(self, now: datetime) -> datetime | None:
        """When the next open session ends: lists of upcoming sessions change then by time alone."""

    def programme_stamps(self, now: datetime, keep: timedelta) -> FeedIndex:
        """What the programme feed holds (ids and change numbers only), cheap enough to ask at every poll."""

    def personal_stamps(self, user_id: str, now: datetime, keep: timedelta) -> FeedIndex:
        """What a person's feed holds: sessions they give or joined, and cancelled ones for `keep`."""

    def file_stamp(self, file_id: str) -> Stamp | None:
        """The one session behind a calendar-file id; None for an id that names none."""

    def calendar_file_id(self, session_id: int) -> str | None:
        """A session's unguessable calendar-file id, for the link in its news post."""

    def calendar_entries(self, session_ids: list[int]) -> dict[int, CalendarEntry]:
        """The full rows of only those sessions a feed cache lacks."""

    def direct_room(self, user_id: str) -> str | None:
        """The direct chat with a person, where their links go (never a shared room)."""
