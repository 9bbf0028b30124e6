"""Feedback, private to the givers: asked for once a session has ended, given with `!feedback`, summed up for
the giver and co-givers without names (admins and patrons see only counts and averages).

The database holds what happened (the ask, each answer, when a summary is owed); the scheduler only says when to
look (`next_feedback_due`), so a restart neither loses nor repeats an ask or a summary.
"""

from __future__ import annotations

from datetime import datetime

from kiwibot.core.base import KiwiBase, pings
from kiwibot.core.effects import Direct, Effect, FeedbackAsk, FeedbackSummary, Outcome
from kiwibot.core.errors import UserError
from kiwibot.core.feedback_rules import (
    FEEDBACK_WINDOW,
    SHOWN_FROM,
    SUMMARY_AFTER,
    SUMMARY_EVERY,
    Answer,
    Window,
    average,
    feedback_until,
    read_answer,
    window,
)
from kiwibot.core.messages import Lines, Moment, Msg, Param, Text
from kiwibot.core.model import Session
from kiwibot.core.present import hosts_together, session_link
from kiwibot.core.pseudonyms import named


class FeedbackArea(KiwiBase):
    """Asking after the end, taking answers (one per participant, the newest counts), and the summaries."""

    # -- when the scheduler must look -----------------------------------------------------------

    def next_feedback_due(self) -> datetime | None:
        """The next session end not asked about yet, or the next summary owed; whichever comes first."""
        since = self.clock.now() - FEEDBACK_WINDOW
        due = [t for t in (self.store.next_feedback_ask(since), self.store.next_feedback_summary()) if t is not None]
        return min(due, default=None)

    def due_feedback(self) -> tuple[Effect, ...]:
        """Asks for sessions that ended and summaries owed, each recorded in the transaction that queues it."""
        now = self.clock.now()
        effects: list[Effect] = []
        # A session that ended while the bot was away is asked about late, while answers are still taken.
        for session in self.store.sessions_to_ask(now, now - FEEDBACK_WINDOW):
            asked = self._ask(session)
            self.store.set_feedback_ask(session.id, "sending" if asked else "skipped", now)
            effects += asked
        for session_id in self.store.due_feedback_summaries(now):
            self.store.feedback_summary_sent(session_id, now)
            summed = self.store.get_session(session_id)
            if summed is not None:
                summary = self._summary(summed, comments=True, footer=True)
                effects += [Direct(host, summary, FeedbackSummary(summed.id)) for host in named(summed.hosts)]
        return tuple(effects)

    def feedback_asked(self, ask: FeedbackAsk) -> None:
        """All messages of an ask went out (or were refused): it is done."""
        self.store.set_feedback_ask(ask.session_id, "sent", self.clock.now())

    def _ask(self, session: Session) -> list[Effect]:
        """Everyone who had a seat is asked, in the thread or by direct message as they chose; not those who
        turned reminders off, nor those who only waited."""
        people = [user for user in named(self.attendance(session).confirmed) if user not in session.hosts]
        prefs = self.store.reminder_prefs(people)
        purpose = FeedbackAsk(session.id)
        details: dict[str, Param] = {
            "number": session.id,
            "title": session.title,
            "givers": hosts_together(session),
            "until": Moment(feedback_until(session), "date"),
            "anonymity": Msg.of("feedback.anonymity", shown_from=SHOWN_FROM),
        }
        effects: list[Effect] = [
            Direct(user, Msg.of("feedback.ask_direct", post=session_link(session), **details), purpose)
            for user in people
            if prefs.get(user) == "dm"
        ]
        in_thread = [user for user in people if prefs.get(user, "thread") == "thread"]
        effects += self._notices(
            session.id, in_thread, lambda chunk: Msg.of("feedback.ask_thread", users=pings(chunk), **details), purpose
        )
        return effects

    # -- answers --------------------------------------------------------------------------------

    def give_feedback(self, user_id: str, number: int, text: str, private: bool) -> Outcome:
        """Store one participant's answer and owe the givers a summary. A second answer updates the first: what it
        does not say anew (the rating, or the comment) stays.

        `private`: written in the person's direct chat with the bot. Anywhere else the room sees only a thank-you
        and the confirmation, with the answer, goes by direct message.
        """
        session = self.session(number)
        self._may_answer(session, user_id)
        answer = read_answer(text)
        earlier = self.store.feedback_by(session.id, user_id)
        kept_rating = earlier is not None and answer.rating is None and earlier[0] is not None
        if earlier is not None:  # "5" after a comment adds the rating; a comment after "4" keeps the 4
            answer = Answer(answer.rating if answer.rating is not None else earlier[0], answer.comment or earlier[1])
        replaced = self.store.save_feedback(session.id, user_id, answer.rating, answer.comment, self.clock.now())
        self._owe_summary(session)
        confirmation = self._confirmation(session, answer, replaced, kept_rating)
        if private:
            return Outcome(confirmation)
        return Outcome(Msg.of("feedback.thanks_room"), (Direct(user_id, confirmation),))

    def plain_direct(self, user_id: str, text: str, help_command: Param) -> Outcome:
        """A message without a command in the person's own direct chat (never in a room). If exactly one ask waits
        for their answer, it is their feedback on that session, and the answer says so and how to change it; with
        several, they hear the command for each; otherwise where the commands are explained."""
        now = self.clock.now()
        waiting = [
            session
            for session in self.store.asked_sessions(now - FEEDBACK_WINDOW)
            if window(session, now) is Window.OPEN
            and user_id not in session.hosts
            and user_id in self.attendance(session).confirmed
            and not self.store.has_feedback(session.id, user_id)
        ]
        if len(waiting) == 1:
            [session] = waiting
            given = self.give_feedback(user_id, session.id, text, private=True)
            taken = Msg.of("feedback.taken_plain", number=session.id, title=session.title)
            return Outcome(Lines((taken, given.reply)), given.effects)
        if waiting:
            choices = [Msg.of("feedback.which_one", number=s.id, title=s.title) for s in waiting]
            return Outcome(Msg.of("feedback.which", choices=Lines(tuple(choices)), help=help_command))
        return Outcome(Msg.of("direct.plain", help=help_command))

    def _may_answer(self, session: Session, user_id: str) -> None:
        """Only those who had a seat answer, once the session has ended and for `FEEDBACK_WINDOW` after."""
        number, title = session.id, session.title
        if session.cancelled:
            raise UserError("feedback.cancelled", number=number, title=title)
        if user_id in session.hosts:
            raise UserError("feedback.own", number=number, title=title)
        attendance = self.attendance(session)
        if user_id in attendance.waiting:
            raise UserError("feedback.waiting", number=number, title=title)
        if user_id not in attendance.confirmed:
            raise UserError("feedback.not_participant", number=number, title=title)
        match window(session, self.clock.now()):
            case Window.NOT_ENDED:
                raise UserError("feedback.not_ended", end=Moment(session.ends_at), number=number, title=title)
            case Window.CLOSED:
                days = FEEDBACK_WINDOW.days
                raise UserError(
                    "feedback.too_late",
                    until=Moment(feedback_until(session), "date"),
                    days=days,
                    number=number,
                    title=title,
                )

    def _owe_summary(self, session: Session) -> None:
        """The givers hear of new answers one day after the end, and after that at most once a day."""
        due, sent = self.store.feedback_summary_state(session.id)
        if due is not None:
            return  # a summary is owed already: it will hold this answer too
        due = session.ends_at + SUMMARY_AFTER
        if sent is not None:
            due = max(due, sent + SUMMARY_EVERY)
        self.store.owe_feedback_summary(session.id, due)

    @staticmethod
    def _confirmation(session: Session, answer: Answer, replaced: bool, kept_rating: bool = False) -> Msg:
        """What was stored, to the person who gave it: rating and comment, and until when it can be replaced. A
        rating kept from the earlier answer says how to change it ("Doch eher 3" is text, not a new rating)."""
        rating: Param = Msg.of("feedback.your_rating", rating=answer.rating) if answer.rating else ""
        if kept_rating:
            rating = Msg.of("feedback.rating_kept", rating=rating, number=session.id)
        return Msg.of(
            "feedback.replaced" if replaced else "feedback.thanks",
            number=session.id,
            title=session.title,
            rating=rating,
            comment=Msg.of("feedback.your_comment", comment=answer.comment) if answer.comment else "",
            until=Moment(feedback_until(session), "date"),
            shown_from=SHOWN_FROM,
        )

    # -- the summary ----------------------------------------------------------------------------

    def feedback_summary(self, user_id: str, number: int, private: bool) -> Outcome:
        """`!feedback N` alone: the summary for the givers, counts and average for admins and patrons, and how to
        answer for a participant; by direct message unless asked in the direct chat."""
        session = self.session(number)
        number, title = session.id, session.title
        if session.cancelled:
            raise UserError("feedback.cancelled", number=number, title=title)
        host = user_id in session.hosts
        if not host and not (self.is_admin(user_id) or self.is_patron(user_id)):
            if user_id in self.attendance(session).confirmed:
                given = self.store.has_feedback(session.id, user_id)
                until = Moment(feedback_until(session), "date")
                return Outcome(
                    Msg.of(
                        "feedback.how",
                        given=Msg.of("feedback.how_given") if given else "",
                        until=until,
                        number=number,
                        title=title,
                    )
                )
            raise UserError("feedback.forbidden", number=number, title=title)
        if window(session, self.clock.now()) is Window.NOT_ENDED:
            raise UserError("feedback.summary_not_ended", end=Moment(session.ends_at), number=number, title=title)
        summary = self._summary(session, comments=host, footer=False)
        if private:
            return Outcome(summary)
        return Outcome(Msg.of("feedback.summary_sent", number=number, title=title), (Direct(user_id, summary),))

    def _summary(self, session: Session, comments: bool, footer: bool) -> Text:
        """Number of answers, the average rating, and (for the givers only) the comments – never a name; ratings
        and comments only from `SHOWN_FROM` answers on, so no single answer is shown as the one person's."""
        answers = self.store.feedback_of(session.id)
        seated = [user for user in self.attendance(session).confirmed if user not in session.hosts]
        too_few = Msg.of("feedback.summary.too_few", shown_from=SHOWN_FROM)
        lines: list[Param] = [
            Msg.of(
                "feedback.summary.title", number=session.id, title=session.title, when=Moment(session.starts_at, "date")
            ),
            Msg.of(
                "feedback.summary.counts",
                answers=Msg.of("feedback.summary.answers", count=len(answers)),
                of=Msg.of("feedback.summary.of", participants=len(seated)),
            ),
        ]
        lines += self._content(answers, comments) if len(answers) >= SHOWN_FROM else [too_few]
        if footer:
            lines.append(Msg.of("feedback.summary.footer", number=session.id))
        return Lines(tuple(lines))

    @staticmethod
    def _content(answers: list[tuple[int | None, str]], comments: bool) -> list[Param]:
        """The average and (for the givers) the comments, each with its rating, in no order that tells who."""
        ratings = [rating for rating, _ in answers if rating is not None]
        mean = average(ratings)
        lines: list[Param] = [
            Msg.of("feedback.summary.average", average=mean, rated=len(ratings))
            if mean is not None
            else Msg.of("feedback.summary.no_rating")
        ]
        if not comments:
            lines.append(Msg.of("feedback.summary.counts_only"))
        elif written := [(rating, comment) for rating, comment in answers if comment]:
            lines.append(Msg.of("feedback.summary.comments", count=len(written)))
            lines += [
                Msg.of("feedback.summary.comment_rated", comment=comment, rating=rating)
                if rating
                else Msg.of("feedback.summary.comment", comment=comment)
                for rating, comment in written
            ]
        else:
            lines.append(Msg.of("feedback.summary.no_comments"))
        return lines
