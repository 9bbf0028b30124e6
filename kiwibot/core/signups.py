"""Signing up and off, by command or by reaction, and keeping the stored signups equal to the reactions."""

from __future__ import annotations

from kiwibot.core.base import KiwiBase
from kiwibot.core.effects import Effect, Outcome, Refresh
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Msg
from kiwibot.core.model import Attendance, Session


class SignupsArea(KiwiBase):
    """A signup comes from a 👍 or a command, and the newest word counts: taking back the last 👍 signs off even a
    command's signup. The waiting list moves, and is told, with every change."""

    def _refusal(self, session: Session, user_id: str) -> UserError | None:
        """Why this person cannot sign up now, as a value: a command raises it, a reaction hears it in the thread."""
        if user_id in session.hosts:  # the giver and co-givers give it: no seat for them
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
            place = self._waiting_position(session)
            if place is None:
                return Outcome(None, (Refresh(session.id),))
            notice = Msg.of("signup.waitlist", number=session.id, title=session.title, position=place)
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
        """Leaving frees a seat for the next one waiting, who is told; a 👍 still on the post no longer counts."""
        session = self.session(number)
        if not self.store.is_signed_up(session.id, user_id):
            if user_id in session.hosts:
                raise UserError("signoff.own", number=session.id, title=session.title)
            raise UserError("signoff.not", number=session.id, title=session.title)
        if not session.cancelled and session.starts_at <= self.clock.now():
            # Who took part stays on record (and nobody moves up into a session that is already running).
            raise UserError("signoff.begun", number=session.id, title=session.title)
        reacted = "reaction" in self.store.signup_kinds(session.id, user_id)
        waiting = user_id in self.attendance(session).waiting  # "no longer on the waiting list", not "signed off"
        effects = self._sign_off(session, user_id)
        reply = ("signoff.ok_waiting" if waiting else "signoff.ok") + ("_reaction" if reacted else "")
        return Outcome(Msg.of(reply, number=session.id, title=session.title), effects)

    def reconcile(self, session_id: int, present: dict[str, str]) -> tuple[list[str], list[str], tuple[Effect, ...]]:
        """Make stored signups equal the signup reactions the homeserver has on the news post.

        `present` maps reaction event ids to senders. Returns who was added, who removed, and the effects
        (post refresh, waitlist notices). Members only; the giver's own and withdrawn reactions never count, nor
        those of a person who was forgotten.
        """
        stored = self.store.reaction_sources(session_id)
        added: list[str] = []
        removed: list[str] = []
        effects: list[Effect] = []
        for event_id, user in present.items():
            if event_id in stored or self.store.is_withdrawn(event_id) or not self.is_member(user):
                continue
            if self.store.forgotten_at(user) is not None:
                continue  # a forgotten person's 👍 from before stays uncounted (a new one was counted when made)
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
        """Only those who run the session see who comes: the list is personal data."""
        session = self.session(number)
        if not self.may_manage(user_id, session):
            raise UserError("participants.forbidden", number=number)
        return session, self.attendance(session)
