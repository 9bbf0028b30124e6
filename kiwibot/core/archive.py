"""The archive: what took place, newest first, a page at a time, found by words of title, description or giver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiwibot.core.base import KiwiBase
from kiwibot.core.errors import UserError
from kiwibot.core.learning import ARCHIVE_PAGE, Material, search_terms, split_years
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
        """A page of past sessions; with a query, those whose title, description or givers' names or ids have a
        word beginning with each of its words (umlauts and case folded: "Ubung" and "uebung" find "Übung"), and
        that took place in the year it names, if it names one ("E-Akte 2026", "2026")."""
        words, years = split_years(query or "")
        terms = search_terms(words) if words else ()
        zone = self.settings.timezone
        spans = tuple((datetime(y, 1, 1, tzinfo=zone), datetime(y + 1, 1, 1, tzinfo=zone)) for y in years)
        now = self.clock.now()
        total = self.store.count_past(now, terms, spans)
        pages = max(1, -(-total // ARCHIVE_PAGE))
        if total and not 1 <= page <= pages:
            if query:
                raise UserError("archive.no_page_search", page=page, pages=pages, query=" ".join(query.split()))
            raise UserError("archive.no_page", page=page, pages=pages)
        found = self.store.past_sessions(now, terms, ARCHIVE_PAGE, (page - 1) * ARCHIVE_PAGE, spans) if total else []
        sessions = tuple(found)
        ids = [s.id for s in sessions]
        return ArchivePage(sessions, self.headcounts(sessions), self.store.materials_for(ids), page, pages, total)
