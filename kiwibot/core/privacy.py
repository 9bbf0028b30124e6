"""A member's rights: what the bot keeps about them (`!meinedaten`, Art. 15 DSGVO) and being forgotten
(`!vergessen`, Art. 17).

Forgetting happens in the one transaction of the confirming command: future signups are signed off as `!abmelden`
does (the next person moves up and is told), the rest is deleted or put under a pseudonym by the store, and the
posts that named the person are edited to say "ehemaliges Mitglied". Sessions they still give in the future must
be cancelled or handed over first: forgetting must not leave a session without anyone who runs it.
"""

from __future__ import annotations

from dataclasses import replace

from kiwibot.core.base import KiwiBase
from kiwibot.core.effects import Direct, Effect, Outcome, Refresh, RefreshWish
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code, Lines, Msg
from kiwibot.core.model import Session
from kiwibot.core.privacy_export import export_file
from kiwibot.core.privacy_rules import CONFIRM_WITHIN, PersonRecord, export_file_name, summary
from kiwibot.core.pseudonyms import former_member


class PrivacyArea(KiwiBase):
    """`!meinedaten` and `!vergessen [bestätigen]`."""

    # -- Art. 15: the export ----------------------------------------------------------------------

    def person_record(self, user_id: str) -> PersonRecord:
        """Everything stored about the person, with each signup marked seat or waiting place."""
        record = self.store.person_record(user_id)
        signups = tuple(replace(s, waiting=user_id in self.attendance(s.session).waiting) for s in record.signups)
        return replace(record, signups=signups)

    def my_data(self, user_id: str, in_direct_chat: bool, forget: Code, language: str) -> Outcome:
        """The summary and the JSON file, only ever in the person's direct chat: in a room, the room hears only
        that a direct message was sent. `forget`: the command that deletes it all, to name in the summary;
        `language`: the person's, for the file's explanations (its keys stay English)."""
        now = self.clock.now()
        record = self.person_record(user_id)
        # Forgetting deleted the direct chat's record with everything else, so the answer opens a new one: the person
        # is told, so a second chat with the bot is no surprise. (The old room cannot be found again: its id, kept,
        # would lead back to the person through the homeserver.) The keyed marker says they were forgotten.
        reopens = not in_direct_chat and not record.direct_chat and self.store.forgotten_at(user_id) is not None
        if not in_direct_chat:  # the answer opens the direct chat (and stores it) before the person reads it
            record = replace(record, direct_chat=True)
        days = self.settings.retention_days
        message = summary(record, now, days, forget, export_file_name(language))
        file = export_file(record, now, days, self.settings.timezone, language)
        if in_direct_chat:
            return Outcome(message, files=(file,))
        sent = Msg.of("privacy.sent_new_dm", forget=forget) if reopens else Msg.of("privacy.sent_dm")
        return Outcome(sent, (Direct(user_id, message, files=(file,)),))

    # -- Art. 17: forgetting ------------------------------------------------------------------------

    def _future_hosted(self, user_id: str) -> list[Session]:
        """Sessions still to come, not cancelled, that the person gives or co-gives, in date order."""
        now = self.clock.now()
        hosted = {s.id: s for s in self.store.sessions_given_by(user_id, now)}
        hosted |= {s.id: s for s in self.store.sessions_cohosted_by(user_id, now)}
        return sorted(
            (s for s in hosted.values() if not s.cancelled and s.starts_at > now), key=lambda s: (s.starts_at, s.id)
        )

    def _still_giving(self, user_id: str) -> list[Session]:
        """What must be handed over or cancelled first: sessions the person gives alone, and those they co-give (a
        co-giver leaves by `!ändern N Co-Geber:in: …` without themselves). A session they give with co-givers is
        handed to the first co-giver when they are forgotten."""
        return [s for s in self._future_hosted(user_id) if user_id in s.cogivers or not s.cogivers]

    def _refuse_while_giving(self, user_id: str, handover: str, cancel: str) -> None:
        """Named with number and title, each with the commands that hand it over or cancel it; a session the person
        only co-gives with the command that takes them off it (the giver gives it on without them). `handover`: an
        edit with `{number}` and `{who}` (the co-givers to name) to fill."""
        giving = self._still_giving(user_id)
        alone = [s for s in giving if user_id not in s.cogivers]
        cogiven = [s for s in giving if user_id in s.cogivers]
        reasons: list[Msg] = []
        if alone:
            reasons.append(
                Msg.of(
                    "forget.still_giving",
                    sessions=_listed(alone),
                    count=len(alone),
                    handover=Code(handover.format(number=alone[0].id, who="@name")),
                    cancel=Code(cancel.format(number=alone[0].id)),
                )
            )
        if cogiven:
            others = " ".join(c for c in cogiven[0].cogivers if c != user_id) or "-"
            reasons.append(
                Msg.of(
                    "forget.still_cogiving",
                    sessions=_listed(cogiven),
                    count=len(cogiven),
                    leave=Code(handover.format(number=cogiven[0].id, who=others)),
                )
            )
        if reasons:
            raise UserError("forget.refused", reasons=Lines(tuple(reasons)))

    def ask_to_forget(self, user_id: str, confirm: Code, handover: str, cancel: str) -> Outcome:
        """`!vergessen`: say what will happen and wait CONFIRM_WITHIN for `confirm`. `handover`, `cancel`: the
        commands (with a `{number}` to fill) that hand over or cancel a session the person still gives."""
        self._refuse_while_giving(user_id, handover, cancel)
        now = self.clock.now()
        self.store.request_forget(user_id, now)
        minutes = int(CONFIRM_WITHIN.total_seconds() // 60)
        return Outcome(Msg.of("forget.ask", confirm=confirm, minutes=minutes))

    def forget(self, user_id: str, ask: Code, handover: str, cancel: str) -> Outcome:
        """`!vergessen bestätigen`: within CONFIRM_WITHIN of `!vergessen` (`ask`), forget the person in this one
        transaction. Afterwards no row names them; a keyed hash remembers only that reactions they made before
        must not count again."""
        now = self.clock.now()
        requested = self.store.forget_requested(user_id)
        if requested is None:
            # The keyed marker kept against old 👍 also tells that it is done (it stores nothing more).
            if self.store.forgotten_at(user_id) is not None:
                raise UserError("forget.already_done", ask=ask)
            raise UserError("forget.nothing_to_confirm", ask=ask)
        if now - requested > CONFIRM_WITHIN:
            self.store.drop_forget_request(user_id)
            minutes = int(CONFIRM_WITHIN.total_seconds() // 60)
            raise UserError("forget.expired", ask=ask, minutes=minutes)
        self._refuse_while_giving(user_id, handover, cancel)
        effects: list[Effect] = []
        handed = self._future_hosted(user_id)
        for session in handed:  # given with co-givers: the first one takes it over
            heir = session.cogivers[0]
            self.store.hand_over(session.id, heir, now)
            effects += [
                Refresh(session.id),
                Direct(heir, Msg.of("forget.handed_over", number=session.id, title=session.title)),
            ]
        left = 0
        for session in self.store.sessions_joined_by(user_id, now):
            if session.starts_at > now:  # a seat or waiting place still to come: as `!abmelden`
                effects += self._sign_off(session, user_id)
                left += 1
        # The figures of sessions held so far are kept first, then cut from the person (statistics survive).
        self.store.freeze_statistics(now)
        self.store.anonymise_statistics(user_id)
        touched = self.store.forget_person(user_id, former_member(), now)
        self.store.erase_traces()  # not only out of the tables: out of the files too
        effects += [Refresh(number) for number in touched.sessions if Refresh(number) not in effects]
        effects += [RefreshWish(number) for number in touched.wishes]
        done: list[Msg] = [Msg.of("forget.done")]
        if left:
            done.append(Msg.of("forget.done_signups", signups=left))
        if handed:
            done.append(Msg.of("forget.done_handed", count=len(handed)))
        return Outcome(Lines((*done, Msg.of("forget.done_bye"))), tuple(effects))


def _listed(sessions: list[Session]) -> Lines:
    """One line per session: number and title."""
    return Lines(tuple(Msg.of("forget.session", number=s.id, title=s.title) for s in sessions))
