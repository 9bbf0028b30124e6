"""What the core must know of Matrix (the `Platform` port of core/ports.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

from kiwibot.matrix.content import linked_user
from kiwibot.matrix.render import is_pill

# A Matrix user id as people write it out: @localpart:server (maybe with a port).
_USER_ID = re.compile(r"@[^\s:/\"'<>]+:[A-Za-z0-9.\-\[\]:]+")


def _never(user_id: str) -> bool:
    return False


class MatrixPlatform:
    """Matrix's limits and conventions as the core asks for them. `missing(user_id)`: whether the homeserver said
    there is no such account (the adapter asks before a command that names people runs, `names.Names.check`)."""

    def __init__(self, missing: Callable[[str], bool] = _never) -> None:
        self.missing = missing

    # The homeserver refuses events over 64 KiB; 50 pills with their names and `m.mentions` fit with room to
    # spare, so a big session's people are told in several messages.
    pings_per_message = 50

    def is_mention_link(self, url: str) -> bool:
        """matrix.to links to users, rooms and events show as pills."""
        return is_pill(url)

    def person(self, reference: str) -> str | None:
        """A pill's link (matrix.to or matrix:u/) or a user id written out ("@anna:example.org", maybe followed
        by punctuation)."""
        user = linked_user(reference)
        if user is not None:
            return user
        written = reference.strip().rstrip(".,;:!?)")
        return written if _USER_ID.fullmatch(written) else None

    def no_account(self, user_id: str) -> bool:
        """The homeserver said so (a mistyped id); a server that could not be asked does not count."""
        return self.missing(user_id)


def written_users(text: str) -> list[str]:
    """The user ids written out in a command's text (its pills are read from the HTML)."""
    return [user.rstrip(".:") for user in _USER_ID.findall(text)]
