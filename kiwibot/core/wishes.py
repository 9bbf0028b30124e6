"""Topic wishes: anyone asks for a topic, others show interest with a 👍, a session on it fulfils the wish.

Wishes have their own numbers, shown as W7. An offer or change with the line `Wunsch: W7` fulfils one (core/base.py
`fulfil_wish`, asked by the sessions area); here a wish is made, counted, listed and closed.
"""

from __future__ import annotations

from kiwibot.core.base import KiwiBase
from kiwibot.core.effects import AnnounceWish, Direct, Effect, Outcome, RefreshWish
from kiwibot.core.errors import UserError
from kiwibot.core.learning import OPEN_WISHES_MAX, Wish, WishStatus, same_topic, similar_wishes, wish_text
from kiwibot.core.messages import Lines, Mention, Msg, Param
from kiwibot.core.present_loop import wish_link
from kiwibot.core.pseudonyms import is_pseudonym
from kiwibot.core.wishnumbers import wish_label

WISHES_SHOWN = 20


class WishesArea(KiwiBase):
    """Interest is counted as signups are: a row per 👍 (any skin tone), a person once however many they give;
    withdrawn with the reaction, read back from the post after time away."""

    def make_wish(self, user_id: str, text: str) -> Outcome:
        """The first line is the topic, the lines below describe it; the wish is posted in the programme room."""
        topic, description = wish_text(text)
        mine = self.store.open_wishes_of(user_id)
        same = next((w for w in mine if same_topic(w.topic, topic)), None)
        if same is not None:
            raise UserError("wish.already_wished", wish=wish_label(same.id), topic=same.topic)
        others = self.store.all_open_wishes()
        theirs = next((w for w in others if same_topic(w.topic, topic)), None)
        if theirs is not None:  # one wish per topic, so interest adds up in one place
            raise UserError(
                "wish.wished_by_others", wish=wish_label(theirs.id), topic=theirs.topic, post=wish_link(theirs)
            )
        if len(mine) >= OPEN_WISHES_MAX:
            raise UserError("wish.too_many", max=OPEN_WISHES_MAX)
        wish = self.store.create_wish(user_id, topic, description, self.clock.now())
        created = Msg.of("wish.created", wish=wish_label(wish.id), topic=topic)
        reply: list[Param] = [created]
        alike = similar_wishes(topic, [w for w in others if w.wisher != user_id])
        if alike:
            # Interest adds up only on one wish: the wisher may find theirs is one already asked for.
            reply.append(Msg.of("wish.similar", wish=wish_label(wish.id)))
            reply += [
                Msg.of("wish.similar_line", wish=wish_label(w.id), topic=w.topic, post=wish_link(w)) for w in alike
            ]
        return Outcome(Lines(tuple(reply)) if len(reply) > 1 else created, (AnnounceWish(wish.id),))

    def close_wish(self, user_id: str, number: int) -> Outcome:
        """The wisher takes a wish back, or a patron or admin closes it; its post says so."""
        wish = self.wish(number)
        if user_id != wish.wisher and not self.is_patron(user_id) and not self.is_admin(user_id):
            raise UserError("wish.close_forbidden", wish=wish_label(wish.id))
        wish = self.open_wish(number)
        self.store.finish_wish(wish.id, WishStatus.CLOSED, None, user_id, self.clock.now())
        effects: list[Effect] = [RefreshWish(wish.id)]
        if user_id != wish.wisher and not is_pseudonym(wish.wisher):
            told = Msg.of("wish.closed_told", actor=Mention(user_id), wish=wish_label(wish.id), topic=wish.topic)
            effects.append(Direct(wish.wisher, told))
        return Outcome(Msg.of("wish.closed", wish=wish_label(wish.id), topic=wish.topic), tuple(effects))

    def wish_news(self, session_id: int) -> list[Effect]:
        """The session's post is out: the wishers of the wishes it fulfils hear of it now, with its link (an
        offer naming a wish is told nobody before, since its post did not exist yet)."""
        session = self.store.get_session(session_id)
        if session is None or session.cancelled:
            return []
        return [e for w in self.store.wishes_of_session(session_id) for e in self._fulfilled_notices(w, session)]

    def open_wishes(self) -> tuple[list[tuple[Wish, int]], int]:
        """The open wishes most asked for first (then the oldest), with their interest; and how many there are."""
        return self.store.ranked_wishes(WISHES_SHOWN), self.store.count_open_wishes()

    def wish_post_facts(self, wish_id: int) -> tuple[Wish, int]:
        """A wish as its post shows it: the wish and how many are interested (the wisher included)."""
        return self.wish(wish_id), self.store.interest_count(wish_id)

    # -- interest by reaction ----------------------------------------------------------------------

    def show_interest(self, user_id: str, wish_id: int, source_id: str) -> Outcome:
        """A 👍 on an open wish's post. The wisher's own does not count twice; a closed wish counts no more."""
        wish = self.store.get_wish(wish_id)
        if wish is None or wish.status is not WishStatus.OPEN or user_id == wish.wisher:
            return Outcome()
        if not self.store.add_interest(wish.id, user_id, source_id, self.clock.now()):
            return Outcome()  # another 👍 of someone already counted
        return Outcome(None, (RefreshWish(wish.id),))

    def withdraw_interest(self, source_id: str) -> Outcome:
        """A 👍 taken back; another of the same person (another skin tone) keeps them interested."""
        found = self.store.remove_interest(source_id)
        if found is None:
            return Outcome()
        wish = self.store.get_wish(found[0])
        if wish is None or wish.status is not WishStatus.OPEN or found[1] in self.store.interested(wish.id):
            return Outcome()
        return Outcome(None, (RefreshWish(wish.id),))

    def reconcile_interest(self, wish_id: int, present: dict[str, str]) -> tuple[list[str], list[str], list[Effect]]:
        """Make the stored interest equal the reactions the homeserver has on the wish's post (members only).

        `present` maps reaction event ids to senders (a forgotten person's are not counted again). Returns who was
        added, who removed, and the effects.
        """
        stored = self.store.interest_sources(wish_id)
        before = set(self.store.interested(wish_id))
        effects: list[Effect] = []
        for event_id, user in present.items():
            if event_id not in stored and self.is_member(user) and self.store.forgotten_at(user) is None:
                effects += self.show_interest(user, wish_id, event_id).effects
        for event_id in stored:
            if event_id not in present:
                effects += self.withdraw_interest(event_id).effects
        after = set(self.store.interested(wish_id))
        return sorted(after - before), sorted(before - after), list(dict.fromkeys(effects))
