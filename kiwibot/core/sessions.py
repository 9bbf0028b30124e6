"""Sessions over their life: offered, confirmed, changed, cancelled, repeated; and what is on (programme, mine)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiwibot.core.base import KiwiBase
from kiwibot.core.cogivers import choose_cogivers, cogiver_news
from kiwibot.core.effects import Announce, Direct, Effect, Outcome, Refresh
from kiwibot.core.errors import UserError
from kiwibot.core.learning import Wish, similar_wishes
from kiwibot.core.messages import Lines, Mention, Moment, Msg, Param
from kiwibot.core.model import MAX_AHEAD, Headcount, Session, SessionDraft
from kiwibot.core.offer import OfferFields, sanitize_html
from kiwibot.core.overlaps import overlap_list
from kiwibot.core.present import session_link
from kiwibot.core.pseudonyms import named
from kiwibot.core.wishnumbers import wish_label

PAGE_SIZE = 15


@dataclass(frozen=True, slots=True)
class ProgrammePage:
    """One page of the programme, with the headcounts read for all its sessions at once."""

    sessions: tuple[Session, ...]
    counts: dict[int, Headcount]
    page: int
    pages: int


# The fields of a session an edit may change, in the order the giver is told of them.
_CHANGE_NAMES = ("title", "starts_at", "duration", "format", "link", "seats", "description")


class SessionsArea(KiwiBase):
    """Everything that makes or changes a session; each change tells those it concerns, and the giver when someone
    else made it."""

    # -- offering -----------------------------------------------------------------------------

    def _check_open_offers(self, giver: str) -> None:
        """A cap on one person's upcoming sessions keeps a slip or a script from flooding the programme."""
        upcoming = [s for s in self.store.sessions_given_by(giver, self.clock.now()) if not s.cancelled]
        if len(upcoming) >= self.settings.open_offers_per_user:
            raise UserError("limits.too_many_offers", max=self.settings.open_offers_per_user)

    def offer(
        self,
        giver: str,
        fields: OfferFields,
        origin_room: str | None,
        origin_event: str | None,
        giver_name: str = "",
    ) -> Outcome:
        """Anyone in the network may offer; the fields are validated already (see core.offer). `giver_name`: how
        the platform shows the giver now, kept so the archive finds the session by it."""
        assert fields.title and fields.starts_at and fields.duration and fields.format
        for same in self.store.overlapping(fields.starts_at, fields.starts_at + timedelta(minutes=fields.duration)):
            # The same offer sent twice (a second try, a double click) must not make two sessions; checked first, so
            # the second try hears that, not that its wish is fulfilled (by the first) or its open offers too many.
            if same.giver == giver and same.starts_at == fields.starts_at and same.title == fields.title:
                raise UserError("session.already_offered", number=same.id, title=same.title)
        self._check_open_offers(giver)
        wish = self.open_wish(fields.wish) if fields.wish is not None else None
        cogivers = self._cogivers(fields, giver, "offer.invalid")
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
                giver_name=giver_name,
            ),
            self.clock.now(),
        )
        self.plan_reminders(session)
        fulfilled = self.fulfil_wish(wish, session, giver) if wish is not None else []
        named = self._name_cogivers(giver, session, cogivers or ())
        return Outcome(None, (Announce(session.id), *named, *fulfilled))

    def confirmation(self, session: Session, post: Param) -> Msg | Lines:
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
            listed = overlap_list(overlaps)
            created = Msg.of("offer.created_overlap", created=created, overlaps=listed, count=len(overlaps))
        alike = self._alike_wishes(session)
        if not alike:
            return created
        # The people who wished for it hear of the session only once it names the wish (`Wunsch: W7`).
        hint = Msg.of("offer.alike_wishes", number=session.id, wish=wish_label(alike[0].id))
        lines = [Msg.of("offer.alike_wish", wish=wish_label(w.id), topic=w.topic) for w in alike]
        return Lines((created, hint, *lines))

    def _alike_wishes(self, session: Session) -> list[Wish]:
        """Open wishes the new session may fulfil, when it names none: a repeat was offered once already."""
        if session.repeated_from is not None or self.store.wish_of_session(session.id) is not None:
            return []
        return similar_wishes(session.title, self.store.all_open_wishes())

    def overlaps(self, session: Session) -> list[Session]:
        """Other sessions at the same time: the giver is told, since people can attend only one of them."""
        return self.store.overlapping(session.starts_at, session.ends_at, exclude=session.id)

    def _formatting(self, html: str | None) -> str | None:
        """User formatting as stored: links the platform would show as mentions keep only their text."""
        return sanitize_html(html, self.platform.is_mention_link) if html else html

    # -- co-givers (the rules: core/cogivers.py) ----------------------------------------------

    def _cogivers(self, fields: OfferFields, giver: str, header: str) -> tuple[str, ...] | None:
        """The co-givers an offer or edit names (None: it does not say), checked before anything is stored."""
        if "cogivers" not in fields.given:
            return None
        platform = self.platform
        return choose_cogivers(fields.cogivers, giver, platform.person, self.is_member, header, platform.no_account)

    def _name_cogivers(self, actor: str, session: Session, chosen: Sequence[str]) -> list[Effect]:
        """Store the co-givers and tell who was named or removed. A co-giver gives the session and holds no seat:
        one who had signed up is signed off (the caller tells whoever moves up from the waiting list)."""
        if tuple(chosen) == session.cogivers:
            return []
        self.store.set_cogivers(session.id, chosen, actor, self.clock.now())
        added = [user for user in chosen if user not in session.cogivers]
        removed = [user for user in session.cogivers if user not in chosen]
        signed_off = [user for user in added if self.store.is_signed_up(session.id, user)]
        for user in signed_off:
            self.store.remove_signup(session.id, user)
        return cogiver_news(actor, session, added, removed, signed_off)

    # -- changing -----------------------------------------------------------------------------

    def _manageable(self, user_id: str, number: int) -> Session:
        """The session, if this person may change it; everyone else hears whose session it is not."""
        session = self.session(number)
        if not self.may_manage(user_id, session):
            raise UserError("manage.forbidden", number=number)
        return session

    def _changeable(self, user_id: str, number: int) -> Session:
        """A cancelled or finished session stays as it was: its news and its record must not change."""
        session = self._manageable(user_id, number)
        if session.cancelled:
            raise UserError("edit.cancelled", number=number)
        if session.ends_at <= self.clock.now():
            raise UserError("edit.over", number=number)
        return session

    def edit(self, user_id: str, number: int, fields: OfferFields) -> Outcome:
        """Change what the giver asks; those whose time or link changed, or whose seat moved, are told in their way."""
        session = self._changeable(user_id, number)
        fulfilled = [w.id for w in self.store.wishes_of_session(session.id)]
        # `Wunsch: W8` again changes nothing; another number or "Wunsch: keiner" reopens the wish named before.
        wish_changed = "wish" in fields.given and (fields.wish is None or fields.wish not in fulfilled)
        wish_changed = wish_changed and (fields.wish is not None or bool(fulfilled))
        wish = self.open_wish(fields.wish) if wish_changed and fields.wish is not None else None
        cogivers = self._cogivers(fields, session.giver, "edit.invalid")
        changes: dict[str, object] = {}
        for name in ("title", "duration", "format", "link", "seats"):
            if name in fields.given:
                changes[name] = getattr(fields, name)
        if "when" in fields.given:
            changes["starts_at"] = fields.starts_at
        if "description" in fields.given:
            changes["description"] = fields.description or ""
            changes["description_html"] = self._formatting(fields.description_html)
        changes = {name: value for name, value in changes.items() if getattr(session, name) != value}
        if not changes and cogivers in (None, session.cogivers) and not wish_changed:
            # Sent twice, or the template's own values: nothing to store, and nobody to tell of a "change".
            return Outcome(Msg.of("edit.unchanged", number=session.id, post=session_link(session)))
        before = self.attendance(session)
        updated = self.store.update_session(session.id, self.clock.now(), **changes) if changes else session
        named: list[Effect] = []
        if cogivers is not None:  # told with the session as it is now (new time, new title)
            named = self._name_cogivers(user_id, updated, cogivers)
            updated = self.session(number)
        after = self.attendance(updated)
        if updated.starts_at != session.starts_at:
            self.plan_reminders(updated)
        effects: list[Effect] = [Refresh(session.id), *named]
        people = [*after.confirmed, *after.waiting]
        moved = updated.starts_at != session.starts_at or updated.duration != session.duration
        if (moved or updated.link != session.link) and people:
            effects += self._personal_notices(session, people, self._changed_notice(updated))
        effects += self._waitlist_moves(updated, before, after)
        if wish_changed:
            effects += self.release_wishes(updated, "wish.reopened_changed", {user_id})
        effects += self.fulfil_wish(wish, updated, user_id) if wish is not None else []
        effects += self._tell_giver(
            user_id,
            updated,
            Msg.of(
                "edit.giver_told",
                actor=Mention(user_id),
                number=session.id,
                title=updated.title,
                what=self._what_changed(changes, cogivers not in (None, session.cogivers)),
                post=session_link(updated),
            ),
            told=[e.user_id for e in named if isinstance(e, Direct)],
        )
        reply = Msg.of("edit.ok", number=session.id)
        overlaps = self.overlaps(updated) if moved else []
        if overlaps:
            reply = Msg.of(
                "edit.ok_overlap",
                number=session.id,
                overlaps=overlap_list(overlaps),
                count=len(overlaps),
            )
        return Outcome(reply, tuple(effects))

    @staticmethod
    def _what_changed(changes: dict[str, object], cogivers_changed: bool) -> Param:
        """The fields an edit changed, named for the giver who did not make it ("" when only a wish was named)."""
        fields = [name for name in _CHANGE_NAMES if name in changes] + (["cogivers"] if cogivers_changed else [])
        return Msg.of("edit.what", fields=tuple(Msg.of(f"edit.what.{name}") for name in fields)) if fields else ""

    def _changed_notice(self, session: Session) -> Msg:
        """The news for attendees of a moved session or new link: the new time and link in full, to act on."""
        return Msg.of(
            "edit.notify",
            number=session.id,
            title=session.title,
            when=session.starts_at,
            duration=session.duration,
            link=session.link or Msg.of("news.no_link"),
        )

    def cancel(self, user_id: str, number: int, reason: str | None) -> Outcome:
        """Everyone signed up hears it (with the reason, if given), and the reminders are withdrawn."""
        session = self._manageable(user_id, number)
        if session.cancelled:
            raise UserError("cancel.already", number=number)
        if session.ends_at <= self.clock.now():
            raise UserError("edit.over", number=number)
        reason = (reason or "").strip()[:500] or None
        updated = self.store.update_session(session.id, self.clock.now(), status="cancelled", cancel_reason=reason)
        self.store.cancel_reminders(session.id, self.clock.now())
        people = self.store.attendees(session.id)
        effects: list[Effect] = [
            Refresh(session.id),
            *self.release_wishes(session, "wish.reopened_cancelled", {user_id}),
        ]
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
                giver_name=session.giver_name,
            ),
            now,
        )
        self.plan_reminders(new)
        if session.cogivers:  # they give the repeat too, and hear of it below as the giver does
            self.store.set_cogivers(new.id, session.cogivers, user_id, now)
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

    def _tell_giver(self, actor: str, session: Session, message: Msg, told: Collection[str] = ()) -> tuple[Effect, ...]:
        """The giver and co-givers hear of every change someone else made to their session, and who made it
        (except those `told` already, e.g. just named co-giver)."""
        return tuple(Direct(host, message) for host in named(session.hosts) if host != actor and host not in told)

    # -- what is on ---------------------------------------------------------------------------

    def programme(self, page: int = 1) -> ProgrammePage:
        """The programme a page at a time: a long list in one chat message would be cut or unreadable."""
        now = self.clock.now()
        total = self.store.count_upcoming(now)
        pages = max(1, -(-total // PAGE_SIZE))
        if page < 1 or page > pages:
            raise UserError("programme.no_page", page=page, pages=pages)
        sessions = tuple(self.store.upcoming(now, PAGE_SIZE, (page - 1) * PAGE_SIZE))
        return ProgrammePage(sessions, self.headcounts(sessions), page, pages)

    def mine(self, user_id: str) -> tuple[list[Session], list[tuple[Session, int | None]]]:
        """Sessions I give (as giver or co-giver), and those I signed up for with my waitlist position (None = I
        have a seat)."""
        now = self.clock.now()
        given = self.store.sessions_given_by(user_id, now) + self.store.sessions_cohosted_by(user_id, now)
        given.sort(key=lambda s: (s.starts_at, s.id))
        joined = []
        for session in self.store.sessions_joined_by(user_id, now):
            attendance = self.attendance(session)
            position = attendance.waiting.index(user_id) + 1 if user_id in attendance.waiting else None
            joined.append((session, position))
        return given, joined
