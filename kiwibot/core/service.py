"""Use cases of the KIWI programme. Pure decisions over the ports (store, clock, platform): no chat platform's
types, no SQL."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiwibot.core.effects import Announce, Digest, Direct, Effect, Notify, Outcome, Post, Purpose, Refresh, Reminder
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Lines, Link, Mention, Moment, Msg
from kiwibot.core.model import MAX_AHEAD, Attendance, Headcount, Session, SessionDraft
from kiwibot.core.offer import OfferFields, sanitize_html
from kiwibot.core.ports import Clock, Platform, SessionStore
from kiwibot.core.present import digest_line, session_link
from kiwibot.core.schedule import day_bounds, digest_due_today, local_day, next_digest, reminder_plan
from kiwibot.i18n import LANGUAGES

PAGE_SIZE = 15
LATE_AFTER = timedelta(minutes=5)  # a reminder sent later than this after its time says "(late)"
REMINDER_CHOICES = {
    "thread": "thread",
    "faden": "thread",
    "dm": "dm",
    "direkt": "dm",
    "direct": "dm",
    "an": "thread",  # back from "aus": the default
    "ein": "thread",
    "on": "thread",
    "standard": "thread",
    "default": "thread",
    "aus": "off",
    "off": "off",
    "keine": "off",
    "none": "off",
    "nein": "off",
}

log = logging.getLogger(__name__)


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
    commands_per_minute: int = 10
    open_offers_per_user: int = 10


def server_of(user_id: str) -> str:
    return user_id.partition(":")[2]


def pings(users: list[str] | tuple[str, ...]) -> tuple[Mention, ...]:
    return tuple(Mention(user, ping=True) for user in users)


def chunked(people: Sequence[str], size: int) -> list[tuple[str, ...]]:
    """`people` in groups of at most `size`, in their order: one message each."""
    return [tuple(people[i : i + size]) for i in range(0, len(people), size)]


@dataclass(frozen=True, slots=True)
class ProgrammePage:
    sessions: tuple[Session, ...]
    counts: dict[int, Headcount]
    page: int
    pages: int


class Kiwi:
    def __init__(self, store: SessionStore, clock: Clock, settings: Settings, platform: Platform) -> None:
        """`platform`: what the chat platform allows (how many pings a message holds, which links mention)."""
        self.store = store
        self.clock = clock
        self.settings = settings
        self.platform = platform
        # Filled and kept current by the adapter from the space's membership; None = not known yet.
        self.space_members: frozenset[str] | None = None
        # In memory on purpose: limits protect the running bot; a restart may forget them.
        self._recent: dict[str, deque[datetime]] = {}
        self._noted: dict[str, datetime] = {}
        self._refused_on: dict[str, date] = {}

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

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.settings.admins

    def patrons(self) -> list[str]:
        return sorted(self.settings.patrons | set(self.store.patrons()))

    def is_patron(self, user_id: str) -> bool:
        return user_id in self.settings.patrons or user_id in self.store.patrons()

    def may_manage(self, user_id: str, session: Session) -> bool:
        """Givers manage their own sessions; patrons and admins help with every session."""
        return user_id == session.giver or self.is_admin(user_id) or self.is_patron(user_id)

    # -- preferences --------------------------------------------------------------------------

    def language_of(self, user_id: str) -> str:
        """The language a person reads: their own choice, else the network's configured one."""
        return self.store.get_language(user_id) or self.settings.language

    def _by_language(self, people: Sequence[str]) -> dict[str, list[str]]:
        """People grouped by the language they read, in their order (one query for all)."""
        chosen = self.store.languages(list(people))
        groups: dict[str, list[str]] = {}
        for person in people:
            groups.setdefault(chosen.get(person, self.settings.language), []).append(person)
        return groups

    def _notices(
        self,
        session_id: int,
        people: Sequence[str],
        build: Callable[[tuple[str, ...]], object],
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
        return chunked(people, self.platform.pings_per_message)

    def _formatting(self, html: str | None) -> str | None:
        """User formatting as stored: links the platform would show as mentions keep only their text."""
        return sanitize_html(html, self.platform.is_mention_link) if html else html

    def _tell_giver(self, actor: str, session: Session, message: Msg) -> tuple[Effect, ...]:
        """The giver hears of every change someone else made to their session, and who made it."""
        if actor == session.giver:
            return ()
        return (Direct(session.giver, message),)

    def set_language(self, user_id: str, language: str) -> str:
        """Store a person's language; raises a UserError naming the choices for anything else."""
        choice = language.strip().casefold()
        aliases = {"deutsch": "de", "german": "de", "englisch": "en", "english": "en"}
        choice = aliases.get(choice, choice)
        if choice not in LANGUAGES:
            raise UserError("error.bad_language", value=language)
        self.store.set_language(user_id, choice)
        return choice

    # -- sessions -----------------------------------------------------------------------------

    def session(self, number: int) -> Session:
        session = self.store.get_session(number)
        if session is None:
            raise UserError("session.unknown", number=number)
        return session

    def attendance(self, session: Session) -> Attendance:
        return Attendance.split(self.store.attendees(session.id), session.seats)

    def overlaps(self, session: Session) -> list[Session]:
        return self.store.overlapping(session.starts_at, session.ends_at, exclude=session.id)

    def _check_open_offers(self, giver: str) -> None:
        upcoming = [s for s in self.store.sessions_given_by(giver, self.clock.now()) if not s.cancelled]
        if len(upcoming) >= self.settings.open_offers_per_user:
            raise UserError("limits.too_many_offers", max=self.settings.open_offers_per_user)

    def offer(self, giver: str, fields: OfferFields, origin_room: str | None, origin_event: str | None) -> Outcome:
        """Anyone in the network may offer; the fields are validated already (see core.offer)."""
        self._check_open_offers(giver)
        assert fields.title and fields.starts_at and fields.duration and fields.format
        for same in self.store.overlapping(fields.starts_at, fields.starts_at + timedelta(minutes=fields.duration)):
            # The same offer sent twice (a second try, a double click) must not make two sessions.
            if same.giver == giver and same.starts_at == fields.starts_at and same.title == fields.title:
                raise UserError("session.already_offered", number=same.id, title=same.title)
        session = self.store.create_session(
            SessionDraft(
                giver=giver,
                title=fields.title,
                starts_at=fields.starts_at,
                duration=fields.duration,
                format=fields.format,
                description=fields.description or "",
                description_html=self._formatting(fields.description_html),
                link=fields.link,
                seats=fields.seats,
                origin_room=origin_room,
                origin_event=origin_event,
            ),
            self.clock.now(),
        )
        self.plan_reminders(session)
        return Outcome(None, (Announce(session.id),))

    def confirmation(self, session: Session, post: object) -> Msg:
        """The reply to an offer once its news post exists: number, link, and any overlap.

        A repeat may be asked for by a patron or admin for someone else's session: its reply says
        "the repeat of session N", never "your session".
        """
        overlaps = self.overlaps(session)
        if session.repeated_from is not None:
            created = Msg.of("repeat.created", old=session.repeated_from, number=session.id, post=post)
        else:
            created = Msg.of("offer.created", number=session.id, post=post)
        if overlaps:
            items = [Msg.of("offer.overlap_item", number=s.id, title=s.title) for s in overlaps]
            return Msg.of("offer.created_overlap", created=created, overlaps=items, count=len(items))
        return created

    def _manageable(self, user_id: str, number: int) -> Session:
        session = self.session(number)
        if not self.may_manage(user_id, session):
            raise UserError("manage.forbidden", number=number)
        return session

    def _changeable(self, user_id: str, number: int) -> Session:
        session = self._manageable(user_id, number)
        if session.cancelled:
            raise UserError("edit.cancelled", number=number)
        if session.ends_at <= self.clock.now():
            raise UserError("edit.over", number=number)
        return session

    def edit(self, user_id: str, number: int, fields: OfferFields) -> Outcome:
        session = self._changeable(user_id, number)
        changes: dict[str, object] = {}
        for name in ("title", "duration", "format", "link", "seats"):
            if name in fields.given:
                changes[name] = getattr(fields, name)
        if "when" in fields.given:
            changes["starts_at"] = fields.starts_at
        if "description" in fields.given:
            changes["description"] = fields.description or ""
            changes["description_html"] = self._formatting(fields.description_html)
        before = self.attendance(session)
        updated = self.store.update_session(session.id, self.clock.now(), **changes)
        after = self.attendance(updated)
        if updated.starts_at != session.starts_at:
            self.plan_reminders(updated)
        effects: list[Effect] = [Refresh(session.id)]
        people = [*after.confirmed, *after.waiting]
        moved = updated.starts_at != session.starts_at or updated.duration != session.duration
        if (moved or updated.link != session.link) and people:
            effects += self._personal_notices(session, people, self._changed_notice(updated))
        effects += self._waitlist_moves(updated, before, after)
        effects += self._tell_giver(
            user_id,
            session,
            Msg.of(
                "edit.giver_told",
                actor=Mention(user_id),
                number=session.id,
                title=updated.title,
                post=session_link(updated),
            ),
        )
        reply = Msg.of("edit.ok", number=session.id)
        overlaps = self.overlaps(updated) if moved else []
        if overlaps:
            reply = Msg.of(
                "edit.ok_overlap",
                number=session.id,
                overlaps=[Msg.of("offer.overlap_item", number=s.id, title=s.title) for s in overlaps],
                count=len(overlaps),
            )
        return Outcome(reply, tuple(effects))

    def _changed_notice(self, session: Session) -> Msg:
        return Msg.of(
            "edit.notify",
            number=session.id,
            title=session.title,
            when=session.starts_at,
            duration=session.duration,
            link=session.link or Msg.of("news.no_link"),
        )

    def _waitlist_moves(self, session: Session, before: Attendance, after: Attendance) -> list[Effect]:
        """Who moved up from the waiting list or down onto it, told each in their way.

        Not once the session is cancelled or has begun: a seat then means nothing, and the news would be false.
        """
        if session.cancelled or session.starts_at <= self.clock.now():
            return []
        promoted = [u for u in after.confirmed if u in before.waiting]
        demoted = [u for u in after.waiting if u in before.confirmed]
        details = {"number": session.id, "title": session.title}
        return [
            *self._personal_notices(session, promoted, Msg.of("waitlist.promoted", **details)),
            *self._personal_notices(session, demoted, Msg.of("waitlist.demoted", seats=session.seats, **details)),
        ]

    def _personal_notices(self, session: Session, people: Sequence[str], news: Msg) -> list[Effect]:
        """The same news for each of `people`: by direct message for those who chose that, else pinged in the
        session's thread (in their language)."""
        if not people:
            return []
        prefs = self.store.reminder_prefs(list(people))
        effects: list[Effect] = [Direct(u, news) for u in people if prefs.get(u) == "dm"]
        in_thread = [u for u in people if prefs.get(u) != "dm"]
        effects += self._notices(
            session.id, in_thread, lambda chunk: Msg.of("notice.to", users=pings(chunk), text=news)
        )
        return effects

    def cancel(self, user_id: str, number: int, reason: str | None) -> Outcome:
        session = self._manageable(user_id, number)
        if session.cancelled:
            raise UserError("cancel.already", number=number)
        if session.ends_at <= self.clock.now():
            raise UserError("edit.over", number=number)
        reason = (reason or "").strip()[:500] or None
        updated = self.store.update_session(session.id, self.clock.now(), status="cancelled", cancel_reason=reason)
        self.store.cancel_reminders(session.id, self.clock.now())
        people = self.store.attendees(session.id)
        effects: list[Effect] = [Refresh(session.id)]
        effects += self._personal_notices(
            session,
            people,
            Msg.of(
                "cancel.notify",
                number=session.id,
                title=updated.title,
                reason=Msg.of("cancel.reason", reason=reason) if reason else "",
            ),
        )
        effects += self._tell_giver(
            user_id,
            session,
            Msg.of(
                "cancel.giver_told",
                actor=Mention(user_id),
                number=session.id,
                title=session.title,
                reason=Msg.of("cancel.reason", reason=reason) if reason else "",
            ),
        )
        told = (
            Msg.of("cancel.ok", number=session.id, count=len(people))
            if people
            else Msg.of("cancel.ok_nobody", number=session.id)
        )
        return Outcome(told, tuple(effects))

    def repeat(
        self, user_id: str, number: int, starts_at: datetime, origin_room: str | None, origin_event: str | None
    ) -> Outcome:
        """The same session at a new time, as a new session with its own post; the asker gets the reply."""
        session = self._manageable(user_id, number)
        self._check_open_offers(session.giver)
        now = self.clock.now()
        if starts_at <= now:
            raise UserError("repeat.when_past", value=Moment(starts_at))
        if starts_at - now > MAX_AHEAD:
            raise UserError("repeat.when_too_far", value=Moment(starts_at))
        new = self.store.create_session(
            SessionDraft(
                giver=session.giver,
                title=session.title,
                starts_at=starts_at,
                duration=session.duration,
                format=session.format,
                description=session.description,
                description_html=session.description_html,
                link=session.link,
                seats=session.seats,
                origin_room=origin_room,
                origin_event=origin_event,
                repeated_from=session.id,
            ),
            now,
        )
        self.plan_reminders(new)
        told = self._tell_giver(
            user_id,
            session,
            Msg.of(
                "repeat.giver_told",
                actor=Mention(user_id),
                old=session.id,
                number=new.id,
                title=session.title,
                when=Moment(new.starts_at),
            ),
        )
        return Outcome(None, (Announce(new.id), *told))

    # -- signups ------------------------------------------------------------------------------

    def _refusal(self, session: Session, user_id: str) -> UserError | None:
        if user_id == session.giver:
            return UserError("signup.own", number=session.id)
        if session.cancelled:
            return UserError("signup.cancelled", number=session.id, title=session.title)
        if session.starts_at <= self.clock.now():
            return UserError("signup.past", number=session.id, title=session.title)
        return None

    def sign_up(self, user_id: str, number: int, source_id: str, kind: str) -> Outcome:
        """Sign a person up (reaction or command). A reaction's refusal is told in the session thread."""
        session = self.session(number)
        refusal = self._refusal(session, user_id)
        if refusal is not None:
            if kind == "command":
                raise refusal
            if refusal.key == "signup.own":
                return Outcome()  # the giver's own reaction simply does not count
            notice = Msg.of("signup.reaction_refused", reason=refusal.as_msg())
            return Outcome(None, tuple(self._personal_notices(session, [user_id], notice)))
        new_person = self.store.add_signup_source(session.id, user_id, source_id, kind, self.clock.now())
        if not new_person:
            if kind != "command":
                return Outcome()
            waiting = self.attendance(session).waiting
            if user_id in waiting:
                return Outcome(
                    Msg.of(
                        "signup.already_waiting",
                        number=session.id,
                        title=session.title,
                        position=waiting.index(user_id) + 1,
                    )
                )
            return Outcome(Msg.of("signup.already", number=session.id, title=session.title))
        if kind != "command":
            # No reply to a reaction, but a person who only got a waiting-list place must hear it. They are the
            # newest signup, so their place follows from the count (reading every attendee would cost O(n)).
            waiting = self._waiting_position(session)
            if waiting is None:
                return Outcome(None, (Refresh(session.id),))
            notice = Msg.of("signup.waitlist", number=session.id, title=session.title, position=waiting)
            return Outcome(None, (Refresh(session.id), *self._personal_notices(session, [user_id], notice)))
        attendance = self.attendance(session)
        if user_id in attendance.waiting:
            position = attendance.waiting.index(user_id) + 1
            reply = Msg.of("signup.waitlist", number=session.id, title=session.title, position=position)
        else:
            reply = Msg.of("signup.ok", number=session.id, title=session.title, when=session.starts_at)
        return Outcome(reply, (Refresh(session.id),))

    def _waiting_position(self, session: Session) -> int | None:
        """The waiting-list place of the person who signed up last, or None if they have a seat."""
        if session.seats is None:
            return None
        count = self.store.signup_counts([session.id]).get(session.id, 0)
        return count - session.seats if count > session.seats else None

    def withdraw_reaction(self, source_id: str) -> Outcome:
        """A signup reaction was redacted. Another 👍 of theirs (another skin tone) keeps the person signed up.

        If only a `!anmelden` of theirs is left, taking back the last 👍 is the newest thing they did: it signs
        them off, and they are told, so nobody stays counted and reminded without knowing it.
        """
        found = self.store.source_of(source_id)
        if found is None:
            return Outcome()
        session = self.store.get_session(found[0])
        assert session is not None
        if not session.cancelled and session.starts_at <= self.clock.now():
            return Outcome()  # once it has begun, who took part stays on record (as !abmelden says)
        before = self.attendance(session)
        removed = self.store.remove_signup_source(source_id)
        if removed is None:
            return Outcome()
        user_id, still_in = removed[1], removed[2]
        told: list[Effect] = []
        if still_in:
            open_session = not session.cancelled and session.starts_at > self.clock.now()
            if "reaction" in self.store.signup_kinds(session.id, user_id) or not open_session:
                return Outcome()
            self.store.remove_signup(session.id, user_id)
            notice = Msg.of("signoff.by_reaction", number=session.id, title=session.title)
            told = self._personal_notices(session, [user_id], notice)
        moves = self._waitlist_moves(session, before, self.attendance(session))
        return Outcome(None, (Refresh(session.id), *told, *moves))

    def sign_off(self, user_id: str, number: int) -> Outcome:
        session = self.session(number)
        if not self.store.is_signed_up(session.id, user_id):
            if user_id == session.giver:
                raise UserError("signoff.own", number=session.id, title=session.title)
            raise UserError("signoff.not", number=session.id, title=session.title)
        if not session.cancelled and session.starts_at <= self.clock.now():
            # Who took part stays on record (and nobody moves up into a session that is already running).
            raise UserError("signoff.begun", number=session.id, title=session.title)
        before = self.attendance(session)
        reacted = "reaction" in self.store.signup_kinds(session.id, user_id)
        self.store.remove_signup(session.id, user_id)
        effects = (Refresh(session.id), *self._waitlist_moves(session, before, self.attendance(session)))
        reply = "signoff.ok_reaction" if reacted else "signoff.ok"
        return Outcome(Msg.of(reply, number=session.id, title=session.title), effects)

    def reconcile(self, session_id: int, present: dict[str, str]) -> tuple[list[str], list[str], tuple[Effect, ...]]:
        """Make stored signups equal the signup reactions the homeserver has on the news post.

        `present` maps reaction event ids to senders. Returns who was added, who removed, and the effects
        (post refresh, waitlist notices). Members only; the giver's own and withdrawn reactions never count.
        """
        stored = self.store.reaction_sources(session_id)
        added: list[str] = []
        removed: list[str] = []
        effects: list[Effect] = []
        for event_id, user in present.items():
            if event_id in stored or self.store.is_withdrawn(event_id) or not self.is_member(user):
                continue
            was_in = self.store.is_signed_up(session_id, user)
            effects += self.sign_up(user, session_id, event_id, "reaction").effects
            if not was_in and self.store.is_signed_up(session_id, user):
                added.append(user)
        for event_id, user in stored.items():
            if event_id not in present:
                effects += self.withdraw_reaction(event_id).effects
                if not self.store.is_signed_up(session_id, user):
                    removed.append(user)
        return added, removed, tuple(effects)

    def participants(self, user_id: str, number: int) -> tuple[Session, Attendance]:
        session = self.session(number)
        if not self.may_manage(user_id, session):
            raise UserError("participants.forbidden", number=number)
        return session, self.attendance(session)

    # -- programme ----------------------------------------------------------------------------

    def programme(self, page: int = 1) -> ProgrammePage:
        now = self.clock.now()
        total = self.store.count_upcoming(now)
        pages = max(1, -(-total // PAGE_SIZE))
        if page < 1 or page > pages:
            raise UserError("programme.no_page", page=page, pages=pages)
        sessions = tuple(self.store.upcoming(now, PAGE_SIZE, (page - 1) * PAGE_SIZE))
        return ProgrammePage(sessions, self.headcounts(sessions), page, pages)

    def headcounts(self, sessions: tuple[Session, ...] | list[Session]) -> dict[int, Headcount]:
        """Counts for many sessions in one query (programme, overview, digest)."""
        counts = self.store.signup_counts([s.id for s in sessions])
        return {s.id: Headcount.of(counts.get(s.id, 0), s.seats) for s in sessions}

    def mine(self, user_id: str) -> tuple[list[Session], list[tuple[Session, int | None]]]:
        """Sessions I give, and those I signed up for with my waitlist position (None = I have a seat)."""
        now = self.clock.now()
        given = self.store.sessions_given_by(user_id, now)
        joined = []
        for session in self.store.sessions_joined_by(user_id, now):
            attendance = self.attendance(session)
            position = attendance.waiting.index(user_id) + 1 if user_id in attendance.waiting else None
            joined.append((session, position))
        return given, joined

    # -- patrons ------------------------------------------------------------------------------

    def add_patron(self, admin: str, user_id: str) -> Msg:
        if not self.is_admin(admin):
            raise UserError("patron.forbidden")
        if self.is_patron(user_id):
            return Msg.of("patron.already", user=Mention(user_id))
        self.store.add_patron(user_id, admin, self.clock.now())
        return Msg.of("patron.added", user=Mention(user_id))

    def remove_patron(self, admin: str, user_id: str) -> Msg:
        if not self.is_admin(admin):
            raise UserError("patron.forbidden")
        if user_id in self.settings.patrons:
            raise UserError("patron.in_config", user=Mention(user_id))
        if not self.store.remove_patron(user_id):
            raise UserError("patron.not", user=Mention(user_id))
        return Msg.of("patron.removed", user=Mention(user_id))

    # -- reminders ----------------------------------------------------------------------------

    def plan_reminders(self, session: Session) -> None:
        """Plan each configured reminder for the session's (new) start; ones already past are skipped."""
        now = self.clock.now()
        self.store.plan_reminders(
            session.id, session.starts_at, reminder_plan(session.starts_at, self.settings.reminders, now), now
        )

    def set_reminder_pref(self, user_id: str, choice: str) -> Msg:
        pref = REMINDER_CHOICES.get(choice.strip().casefold())
        if pref is None:
            raise UserError("reminders.bad_choice", value=choice)
        self.store.set_reminder_pref(user_id, pref)
        return Msg.of(f"reminders.set_{pref}")

    def next_reminder(self) -> datetime | None:
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
        attendance = self.attendance(session)
        coming = [session.giver, *attendance.confirmed]
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
                lines: list[object] = [Msg.of("reminder.thread", users=pings(group_in), **details)]
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
        return Msg.of("reminder.still_waiting", users=pings(people), count=len(people))

    # -- digest -------------------------------------------------------------------------------

    def digest(self) -> Msg | Lines:
        """Today's sessions and those of the next days, as posted daily and on demand."""
        now, tz = self.clock.now(), self.settings.timezone
        today = local_day(now, tz)
        start, end = day_bounds(today, tz)
        todays = self.store.sessions_between(start, end)
        soon = (
            self.store.sessions_between(end, end + timedelta(days=self.settings.digest_days))
            if self.settings.digest_days
            else []
        )
        if not todays and not soon:
            return Msg.of("digest.empty", date=Moment(now, "weekday_date"))
        counts = self.headcounts([*todays, *soon])
        lines: list[object] = [Msg.of("digest.title", date=Moment(now, "weekday_date")), Msg.of("digest.today")]
        lines += [digest_line(s, counts[s.id], session_link(s), "time") for s in todays] or [
            Msg.of("digest.none_today")
        ]
        if soon:
            lines.append(Msg.of("digest.soon", days=self.settings.digest_days))
            lines += [digest_line(s, counts[s.id], session_link(s), "datetime") for s in soon]
        return Lines(tuple(lines))

    def next_digest(self) -> datetime:
        """Now, if today's digest is owed (e.g. after a restart past its time); else the next digest time."""
        now, tz, at = self.clock.now(), self.settings.timezone, self.settings.digest_time
        if digest_due_today(now, at, tz) and not self.store.digest_recorded(local_day(now, tz).isoformat()):
            return now
        return next_digest(now, at, tz)

    def daily_digest(self) -> tuple[Effect, ...]:
        """Today's digest, at most once a day: the day is recorded with the queued post."""
        now, tz = self.clock.now(), self.settings.timezone
        if not digest_due_today(now, self.settings.digest_time, tz):
            return ()
        day = local_day(now, tz)
        if not self.store.record_digest(day.isoformat(), now):
            return ()
        message = self.digest()
        if isinstance(message, Msg) and message.key == "digest.empty" and not self.settings.digest_when_empty:
            self.store.digest_sent(day.isoformat())
            return ()
        return (Post("digest", message, Digest(day)),)

    def digest_delivered(self, digest: Digest) -> None:
        """The day's digest was posted: it is not owed any more."""
        self.store.digest_sent(digest.day.isoformat())
