"""The archive: past sessions, newest first, found through the full-text index `session_search` (migration 8).

The index holds each session's title, description and giver's name and id, folded (storage/folding.py) and
kept equal to `sessions` by triggers; the search words come folded from the core (`core.learning.search_terms`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiwibot.core.model import Session
from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import iso

# Ended (so started before now), not cancelled; `starts_at <= now` lets the index deliver them newest first.
_PAST = "status = 'open' AND starts_at <= ? AND ends_at <= ?"
_MATCHING = "id IN (SELECT rowid FROM session_search WHERE session_search MATCH ?)"


def match_expression(terms: tuple[str, ...]) -> str:
    """Every term as a quoted prefix ("ubung"*): all must occur, each at the start of some word."""
    return " ".join('"' + term.replace('"', '""') + '"*' for term in terms)


class ArchiveRows(StoreBase):
    """Reads `sessions` through `session_search`; writes nothing (the triggers keep the index)."""

    if TYPE_CHECKING:

        def _sessions(self, where: str, params: tuple[Any, ...] = ()) -> list[Session]: ...  # from SessionRows

    def _where(self, now: datetime, terms: tuple[str, ...]) -> tuple[str, tuple[Any, ...]]:
        params: tuple[Any, ...] = (iso(now), iso(now))
        if not terms:
            return f"WHERE {_PAST}", params
        return f"WHERE {_PAST} AND {_MATCHING}", (*params, match_expression(terms))

    def past_sessions(self, now: datetime, terms: tuple[str, ...], limit: int, offset: int) -> list[Session]:
        where, params = self._where(now, terms)
        return self._sessions(f"{where} ORDER BY starts_at DESC, id DESC LIMIT ? OFFSET ?", (*params, limit, offset))

    def count_past(self, now: datetime, terms: tuple[str, ...]) -> int:
        where, params = self._where(now, terms)
        return int(self._one(f"SELECT COUNT(*) FROM sessions {where}", params))
