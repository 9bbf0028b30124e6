"""What every area of the use cases stands on: the ports, the settings, and what two or more areas share.

`Kiwi` (core/service.py) is assembled from one class per area (access, people, sessions, signups, reminders,
digest), each in its own module and each a subclass of `KiwiBase`. An area calls only its own methods and
those here, never a sibling's (tests/unit/test_architecture.py checks it), so each module reads on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import time
from zoneinfo import ZoneInfo

from kiwibot.core.effects import Direct, Effect, Notify, NotifyWish, Purpose, Refresh, RefreshWish
from kiwibot.core.errors import UserError
from kiwibot.core.learning import Wish, WishStatus
from kiwibot.core.messages import Mention, Moment, Msg, Param, Text
from kiwibot.core.model import Attendance, Headcount, Session
from kiwibot.core.ports import Clock, Platform, SessionStore
from kiwibot.core.present import session_link
from kiwibot.core.present_loop import wish_link
from kiwibot.core.pseudonyms import named
from kiwibot.core.schedule import reminder_plan
from kiwibot.core.wishnumbers import wish_label


@dataclass(frozen=True, slots=True)
class Settings:
    """The parts of the configuration the core decides with."""

    language: str = "de"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Berlin"))
    allowed_servers: frozenset[str] = frozenset()
    space: str | None = None
    admins: frozenset[str] = frozenset()
    patrons: frozenset[str] = frozenset()
    reminders: tuple[int, ...] = (1440, 15)
    digest_time: time = time(8, 0)
    digest_days: int = 7
    digest_when_empty: bool = False
    monthly_reports: bool = False  # last month's statistics posted on the 1st (`reports.monthly` with a room)
    commands_per_minute: int = 10
    open_offers_per_user: int = 10
    retention_days: int = 90  # participants' names are removed this many days after their session ended


def server_of(user_id: str) -> str:
    """The homeserver part of a user id: membership by server is decided on it."""
    return user_id.partition(":")[2]


def pings(users: Sequence[str]) -> tuple[Mention, ...]:
    """Mentions that notify: the people a message is meant for, never anyone else."""
    return tuple(Mention(user, ping=True) for user in users)


def chunked(people: Sequence[str], size: int) -> list[tuple[str, ...]]:
    """`people` in groups of at most `size`, in their order: one message each."""
    return [tuple(people[i : i + size]) for i in range(0, len(people), size)]


class KiwiBase:
    """The ports and the shared vocabulary of the use cases: lookups, roles, and the notices that ping people."""

    def __init__(self, store: SessionStore, clock: Clock, settings: Settings, platform: Platform) -> None:
        """`platform`: what the chat platform allows (how many pings a message holds, which links mention)."""
        self.store = store
        self.clock = clock
        self.settings = settings
        self.platform = platform
        # Filled and kept current by the adapter from the space's membership; None = not known yet.
        self.space_members: frozenset[str] | None = None

    # -- who belongs and who may do what ------------------------------------------------------

    def is_member(self, user_id: str) -> bool:
        """Network members: users of an allowed homeserver or members of the network's space.

        With neither configured, everyone who can reach the bot counts (a small, closed homeserver).
        """
        settings = self.settings
        if not settings.allowed_servers and settings.space is None:
            return True
        if user_id in settings.admins or user_id in settings.patrons:
            return True  # named in the configuration: members by definition
        if server_of(user_id) in settings.allowed_servers:
            return True
        return self.space_members is not None and user_id in self.space_members

    def _has_left(self, user_id: str) -> bool:
        """Known not to be a member: while the space's members are not known yet, nobody is taken for gone."""
        if self.settings.space is not None and self.space_members is None:
            return False
        return not self.is_member(user_id)

    def is_admin(self, user_id: str) -> bool:
        """Admins come only from the configuration: nobody can make themselves one in the chat."""
        return user_id in self.settings.admins

    def is_patron(self, user_id: str) -> bool:
        """Patrons help with every session: named in the configuration or added by an admin in the chat."""
        return user_id in self.settings.patrons or user_id in self.store.patrons()

    def may_manage(self, user_id: str, session: Session) -> bool:
        """Who may do what the giver may (edit, cancel, repeat, see participants, add materials): the giver and the
        co-givers (`Session.hosts`) for their own sessions; patrons and admins help with every session."""
        return user_id in session.hosts or self.is_admin(user_id) or self.is_patron(user_id)

    # -- lookups ------------------------------------------------------------------------------

    def session(self, number: int) -> Session:
        """The session a person named by its number; a number that names none is their mistake, told kindly."""
        session = self.store.get_session(number)
        if session is None:
            raise UserError("session.unknown", number=number)
        return session

    def attendance(self, session: Session) -> Attendance:
        """Who has a seat and who waits: decided by the order of signing up, read fresh each time."""
        return Attendance.split(self.store.attendees(session.id), session.seats)

    def headcounts(self, sessions: tuple[Session, ...] | list[Session]) -> dict[int, Headcount]:
        """Counts for many sessions in one query (programme, overview, digest)."""
        counts = self.store.signup_counts([s.id for s in sessions])
        return {s.id: Headcount.of(counts.get(s.id, 0), s.seats) for s in sessions}

    # -- telling people -----------------------------------------------------------------------

    def _by_language(self, people: Sequence[str]) -> dict[str, list[str]]:
        """People grouped by the language they read, in their order (one query for all); pseudonyms (a forgotten
        member, a name the retention period removed) are nobody to tell."""
        people = named(tuple(people))
        chosen = self.store.languages(people)
        groups: dict[str, list[str]] = {}
        for person in people:
            groups.setdefault(chosen.get(person, self.settings.language), []).append(person)
        return groups

    def _notices(
        self,
        session_id: int,
        people: Sequence[str],
        build: Callable[[tuple[str, ...]], Text],
        purpose: Purpose | None = None,
    ) -> list[Effect]:
        """Thread messages that ping `people`: each in its readers' language, as many pings each as the platform
        allows."""
        return [
            Notify(session_id, build(chunk), chunk, purpose, language)
            for language, group in self._by_language(people).items()
            for chunk in self._chunked(group)
        ]

    def _chunked(self, people: Sequence[str]) -> list[tuple[str, ...]]:
        """`people` in as many groups as the platform needs: one message may ping only so many."""
        return chunked(people, self.platform.pings_per_message)

    def _personal_notices(self, session: Session, people: Sequence[str], news: Msg) -> list[Effect]:
        """The same news for each of `people`: by direct message for those who chose that, else pinged in the
        session's thread (in their language)."""
        people = named(tuple(people))
        if not people:
            return []
        prefs = self.store.reminder_prefs(people)
        effects: list[Effect] = [Direct(u, news) for u in people if prefs.get(u) == "dm"]
        in_thread = [u for u in people if prefs.get(u) != "dm"]
        effects += self._notices(
            session.id, in_thread, lambda chunk: Msg.of("notice.to", users=pings(chunk), text=news)
        )
        return effects

    def _sign_off(self, session: Session, user_id: str) -> tuple[Effect, ...]:
        """Take a person off a session (seat or waiting place): the post shows the new count and whoever moves up
        from the waiting list is told (`!abmelden`, and `!vergessen` for each future signup)."""
        before = self.attendance(session)
        self.store.remove_signup(session.id, user_id)
        return (Refresh(session.id), *self._waitlist_moves(session, before, self.attendance(session)))

    def _waitlist_moves(self, session: Session, before: Attendance, after: Attendance) -> list[Effect]:
        """Who moved up from the waiting list or down onto it, told each in their way; their calendar event
        changed, so the move is counted for it.

        Only members move up: someone who left the network is taken off the list when a seat would be theirs,
        and the next one moves up instead. Not once the session is cancelled or has begun: a seat then means
        nothing, and the news would be false.
        """
        if session.cancelled or session.starts_at <= self.clock.now():
            return []
        promoted = [u for u in after.confirmed if u in before.waiting]
        left = [u for u in promoted if self._has_left(u)]
        while left:  # only members move up: whoever left the network is taken off when their turn comes
            for user_id in left:
                self.store.remove_signup(session.id, user_id)
            after = self.attendance(session)
            promoted = [u for u in after.confirmed if u in before.waiting]
            left = [u for u in promoted if self._has_left(u)]
        demoted = [u for u in after.waiting if u in before.confirmed]
        self.store.record_moves(session.id, [*promoted, *demoted], self.clock.now())
        details: dict[str, Param] = {"number": session.id, "title": session.title}
        effects = self._personal_notices(session, promoted, Msg.of("waitlist.promoted", **details))
        # Each one moved onto the waiting list hears their own place, so one message per person.
        for user in demoted:
            place = Msg.of("waitlist.demoted", seats=session.seats, position=after.waiting.index(user) + 1, **details)
            effects += self._personal_notices(session, [user], place)
        return effects

    # -- wishes: an offer fulfils one, the wishes area collects and closes them --------------------

    def wish(self, number: int) -> Wish:
        """The wish a person named by its number (W7); a number that names none is told kindly."""
        wish = self.store.get_wish(number)
        if wish is None:
            raise UserError("wish.unknown", wish=wish_label(number))
        return wish

    def open_wish(self, number: int) -> Wish:
        """The wish, if it still waits for a session: a fulfilled or closed one says so."""
        wish = self.wish(number)
        if wish.status is WishStatus.FULFILLED:
            raise UserError("wish.already_fulfilled", wish=wish_label(wish.id), number=wish.session_id)
        if wish.status is WishStatus.CLOSED:
            raise UserError("wish.already_closed", wish=wish_label(wish.id))
        return wish

    def fulfil_wish(self, wish: Wish, session: Session, actor: str) -> list[Effect]:
        """A session takes the wish up: its post points to the session, and the wisher and everyone interested
        hear of it with a link to the session's post. A session not posted yet has no link: they hear of it once
        its post is out (`wish_news`)."""
        self.store.finish_wish(wish.id, WishStatus.FULFILLED, session.id, actor, self.clock.now())
        effects: list[Effect] = [RefreshWish(wish.id)]
        if session.news_event:
            effects += self._fulfilled_notices(wish, session)
        return effects

    def _fulfilled_notices(self, wish: Wish, session: Session) -> list[Effect]:
        news = Msg.of(
            "wish.fulfilled_notice",
            wish=wish_label(wish.id),
            topic=wish.topic,
            number=session.id,
            title=session.title,
            when=Moment(session.starts_at),
            post=session_link(session),
        )
        return self._tell_wishers(wish, news, {session.giver})

    def release_wishes(self, session: Session, key: str, spared: set[str]) -> list[Effect]:
        """The session no longer takes its wishes up (cancelled, or an edit names another wish or none): each is
        open again with its interest, its post says so, and those who heard it was fulfilled hear it is open
        again (`key`: why; nobody in `spared`, who did it and knows)."""
        effects: list[Effect] = []
        for wish in self.store.wishes_of_session(session.id):
            wish = self.store.reopen_wish(wish.id)
            news = Msg.of(
                key,
                wish=wish_label(wish.id),
                topic=wish.topic,
                number=session.id,
                title=session.title,
                post=wish_link(wish),
            )
            effects += [RefreshWish(wish.id), *self._tell_wishers(wish, news, {session.giver, *spared})]
        return effects

    def _tell_wishers(self, wish: Wish, news: Msg, spared: set[str]) -> list[Effect]:
        """The wisher and everyone interested, in the post's thread or by direct message, as each chose (nobody
        who chose "off"), each in their language."""
        people = [p for p in named([wish.wisher, *self.store.interested(wish.id)]) if p not in spared]
        people = list(dict.fromkeys(people))
        prefs = self.store.reminder_prefs(people)
        effects: list[Effect] = [Direct(p, news) for p in people if prefs.get(p) == "dm"]
        in_thread = [p for p in people if prefs.get(p, "thread") == "thread"]
        effects += [
            NotifyWish(wish.id, Msg.of("notice.to", users=pings(chunk), text=news), chunk, language)
            for language, group in self._by_language(in_thread).items()
            for chunk in self._chunked(group)
        ]
        return effects

    # -- reminders ----------------------------------------------------------------------------

    def plan_reminders(self, session: Session) -> None:
        """Plan each configured reminder for the session's (new) start; ones already past are skipped."""
        now = self.clock.now()
        self.store.plan_reminders(
            session.id, session.starts_at, reminder_plan(session.starts_at, self.settings.reminders, now), now
        )
