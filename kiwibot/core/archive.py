"""The archive: what took place, newest first, a page at a time, found by words of title, description or giver."""

from __future__ import annotations

from dataclasses import dataclass

from kiwibot.core.base import KiwiBase
from kiwibot.core.errors import UserError
from kiwibot.core.learning import ARCHIVE_PAGE, Material, search_terms
from kiwibot.core.model import Headcount, Session


@dataclass(frozen=True, slots=True)
class ArchivePage:
    """One page of past sessions with their headcounts and materials, read for the whole page at once."""

    sessions: tuple[Session, ...]
    counts: dict[int, Headcount]
    materials: dict[int, list[Material]]
    page: int
    pages: int
    total: int


class ArchiveArea(KiwiBase):
    """Past means ended; cancelled sessions took no place and are left out."""

    def archive(self, query: str | None, page: int = 1) -> ArchivePage:
        """A page of past sessions; with a query, those whose title, description or giver's name has a word
        beginning with each of its words (umlauts and case folded: "Ubung" and "uebung" find "Übung")."""
        terms = search_terms(query) if query else ()
        now = self.clock.now()
        total = self.store.count_past(now, terms)
        pages = max(1, -(-total // ARCHIVE_PAGE))
        if total and not 1 <= page <= pages:
            if terms:
                raise UserError("archive.no_page_search", page=page, pages=pages, query=" ".join((query or "").split()))
            raise UserError("archive.no_page", page=page, pages=pages)
        sessions = tuple(self.store.past_sessions(now, terms, ARCHIVE_PAGE, (page - 1) * ARCHIVE_PAGE)) if total else ()
        ids = [s.id for s in sessions]
        return ArchivePage(sessions, self.headcounts(sessions), self.store.materials_for(ids), page, pages, total)
