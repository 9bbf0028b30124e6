"""The archive: what took place, newest first, a page at a time, found by words of title, description or giver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiwibot.core.base import KiwiBase
from kiwibot.core.errors import UserError
from kiwibot.core.learning import ARCHIVE_PAGE, Material, Years, search_terms, split_years
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
    query: str = ""  # what was searched, as typed (spaces made one), without a page number


class ArchiveArea(KiwiBase):
    """Past means ended; cancelled sessions took no place and are left out."""

    def archive(self, query: str | None, page: int | None = None) -> ArchivePage:
        """A page of past sessions; with a query, those whose title, description or givers' names or ids have a
        word beginning with each of its words (umlauts and case folded: "Ubung" and "uebung" find "Übung"), and
        that took place in the year it names or name it ("E-Akte 2026", "2026"). A year-like number at the end
        with no page after it is the page if there are that many pages (`!archiv 6000` of 100 000 sessions)."""
        shown = " ".join((query or "").split())
        words, years = split_years(shown)
        now = self.clock.now()
        terms = search_terms(words) if words else ()
        last = years[-1] if len(years) == 1 and shown.endswith(str(years[-1])) else None
        if page is None and last is not None:
            rest = shown.removesuffix(str(last)).strip()
            if self._pages(self.store.count_past(now, terms)) >= last and split_years(rest)[0] == words:
                shown, years, page = rest, (), last
        zone = self.settings.timezone
        spans = tuple((datetime(y, 1, 1, tzinfo=zone), datetime(y + 1, 1, 1, tzinfo=zone)) for y in years)
        named = Years(spans, tuple(map(str, years))) if years else None
        page = 1 if page is None else page
        total = self.store.count_past(now, terms, named)
        pages = self._pages(total)
        if total and not 1 <= page <= pages:
            if shown:
                raise UserError("archive.no_page_search", page=page, pages=pages, query=shown)
            raise UserError("archive.no_page", page=page, pages=pages)
        offset = (page - 1) * ARCHIVE_PAGE
        sessions = tuple(self.store.past_sessions(now, terms, ARCHIVE_PAGE, offset, named)) if total else ()
        ids = [s.id for s in sessions]
        counts, materials = self.headcounts(sessions), self.store.materials_for(ids)
        return ArchivePage(sessions, counts, materials, page, pages, total, shown)

    @staticmethod
    def _pages(total: int) -> int:
        return max(1, -(-total // ARCHIVE_PAGE))
