"""The archive: past sessions, newest first, found through the full-text index `session_search` (migration 16).

The index holds each session's title, description, giver's name and id and co-givers' ids, folded, with words
written with joining marks also joined (storage/folding.py), kept equal to `sessions` by triggers. The search
words come folded from the core (`core.learning.search_terms`), each with its forms; a named year limits the
search to sessions that began in it or name it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiwibot.core.learning import SearchTerm, Years
from kiwibot.core.model import Session
from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import iso

# Ended (so started before now), not cancelled; `starts_at <= now` lets the index deliver them newest first.
_PAST = "status = 'open' AND starts_at <= ? AND ends_at <= ?"
_MATCHING = "id IN (SELECT rowid FROM session_search WHERE session_search MATCH ?)"


def match_expression(terms: tuple[SearchTerm, ...]) -> str:
    """Every term as a quoted prefix ("ubung"*): all must occur, each at the start of some word; a term with
    several forms ("e akte", "eakte") matches by any of them."""
    return " AND ".join(_any_of(term) for term in terms)


def _any_of(forms: SearchTerm) -> str:
    quoted = ['"' + form.replace('"', '""') + '"*' for form in forms]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


class ArchiveRows(StoreBase):
    """Reads `sessions` through `session_search`; writes nothing (the triggers keep the index)."""

    if TYPE_CHECKING:

        def _sessions(self, where: str, params: tuple[Any, ...] = ()) -> list[Session]: ...  # from SessionRows

    def _where(self, now: datetime, terms: tuple[SearchTerm, ...], years: Years | None) -> tuple[str, tuple[Any, ...]]:
        where, params = [_PAST], [iso(now), iso(now)]
        if years is not None:
            spans = ["(starts_at >= ? AND starts_at < ?)" for _ in years.spans]
            where.append("(" + " OR ".join((*spans, _MATCHING)) + ")")
            params += [iso(moment) for span in years.spans for moment in span]
            params.append(" OR ".join(f'"{word}"' for word in years.words))
        if terms:
            where.append(_MATCHING)
            params.append(match_expression(terms))
        return "WHERE " + " AND ".join(where), tuple(params)

    def past_sessions(
        self, now: datetime, terms: tuple[SearchTerm, ...], limit: int, offset: int, years: Years | None = None
    ) -> list[Session]:
        where, params = self._where(now, terms, years)
        return self._sessions(f"{where} ORDER BY starts_at DESC, id DESC LIMIT ? OFFSET ?", (*params, limit, offset))

    def count_past(self, now: datetime, terms: tuple[SearchTerm, ...], years: Years | None = None) -> int:
        where, params = self._where(now, terms, years)
        return int(self._one(f"SELECT COUNT(*) FROM sessions {where}", params))
