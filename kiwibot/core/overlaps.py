"""The sessions at the same time as an offered or moved one, as its answer names them: a few, then how many more."""

from __future__ import annotations

from collections.abc import Sequence

from kiwibot.core.messages import Msg, Param
from kiwibot.core.model import Session

SHOWN = 3  # a busy slot can hold dozens: one sentence names this many and counts the rest


def overlap_list(sessions: Sequence[Session]) -> Param:
    """ "Nr. 4 „A“, Nr. 7 „B“, Nr. 9 „C“ und 13 weitere": the first `SHOWN` by number and title, the rest counted."""
    items = [Msg.of("offer.overlap_item", number=s.id, title=s.title) for s in sessions[:SHOWN]]
    if len(sessions) <= SHOWN:
        return items
    return Msg.of("offer.overlap_more", items=items, more=len(sessions) - SHOWN)
