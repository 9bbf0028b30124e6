"""What the core must know of Matrix (the `Platform` port of core/ports.py)."""

from __future__ import annotations

from kiwibot.matrix.render import is_pill


class MatrixPlatform:
    """Matrix's limits and conventions as the core asks for them."""

    # The homeserver refuses events over 64 KiB; 50 pills with their names and `m.mentions` fit with room to
    # spare, so a big session's people are told in several messages.
    pings_per_message = 50

    def is_mention_link(self, url: str) -> bool:
        """matrix.to links to users, rooms and events show as pills."""
        return is_pill(url)
