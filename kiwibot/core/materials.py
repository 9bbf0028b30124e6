"""Materials: links a session's giver (or a patron, or an admin) shares for it, before or after it took place."""

from __future__ import annotations

from kiwibot.core.base import KiwiBase, pings
from kiwibot.core.effects import Direct, Effect, Outcome, Refresh
from kiwibot.core.errors import UserError
from kiwibot.core.learning import MATERIALS_MAX, Material, material_link, material_text
from kiwibot.core.messages import Link, Msg
from kiwibot.core.model import Session
from kiwibot.core.pseudonyms import named


class MaterialsArea(KiwiBase):
    """Sharing is mostly done after the session ended: the news post shows the links, and those who took part
    hear of each new one."""

    def _shareable(self, user_id: str, number: int) -> Session:
        session = self.session(number)
        if not self.may_manage(user_id, session):
            raise UserError("material.forbidden", number=session.id)
        if session.cancelled:
            raise UserError("material.cancelled", number=session.id, title=session.title)
        return session

    def materials_of(self, number: int) -> tuple[Session, list[Material]]:
        """A session's materials, for anyone: the news post shows them to the whole room anyway."""
        session = self.session(number)
        return session, self.store.materials(session.id)

    def add_material(self, user_id: str, number: int, link: str, description: str) -> Outcome:
        """Add a link (http or https, at most MATERIALS_MAX a session); the news post shows it and those who took
        part (or have a seat) are told: pinged in the thread, by direct message, or not at all, as each chose."""
        session = self._shareable(user_id, number)
        url = material_link(link)
        text = material_text(description)
        listed = self.store.materials(session.id)
        same = next((m for m in listed if m.url == url), None)
        if same is not None:
            raise UserError("material.duplicate", number=session.id, position=same.position)
        if len(listed) >= MATERIALS_MAX:
            raise UserError("material.too_many", number=session.id, max=MATERIALS_MAX)
        material = self.store.add_material(session.id, url, text, user_id, self.clock.now())
        people = [p for p in named(self.attendance(session).confirmed) if p != user_id]
        news = Msg.of("material.notice", number=session.id, title=session.title, material=Link(url, text or None))
        added = "material.added" if people else "material.added_nobody_yet"
        reply = Msg.of(added, number=session.id, position=material.position, count=len(people))
        return Outcome(reply, (Refresh(session.id), *self._tell(session, people, news)))

    def _tell(self, session: Session, people: list[str], news: Msg) -> list[Effect]:
        """As reminders reach people: in the session's thread (pings in chunks), by direct message, or not."""
        prefs = self.store.reminder_prefs(people)
        in_thread = [p for p in people if prefs.get(p, "thread") == "thread"]
        effects: list[Effect] = [Direct(p, news) for p in people if prefs.get(p) == "dm"]
        effects += self._notices(
            session.id, in_thread, lambda chunk: Msg.of("notice.to", users=pings(chunk), text=news)
        )
        return effects

    def remove_material(self, user_id: str, number: int, position: int) -> Outcome:
        """Remove one by its number in the list; the ones after it move up."""
        session = self._shareable(user_id, number)
        removed = self.store.remove_material(session.id, position)
        if removed is None:
            count = len(self.store.materials(session.id))
            if count == 0:
                raise UserError("material.none_to_remove", number=session.id)
            raise UserError("material.no_such", number=session.id, position=position, count=count)
        reply = Msg.of("material.removed", number=session.id, position=position, material=Link(removed.url))
        return Outcome(reply, (Refresh(session.id),))
