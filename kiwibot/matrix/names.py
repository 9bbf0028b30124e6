"""How the web side names people: the display name the bot's client knows from the rooms it shares with them.

Staff read names, not Matrix ids. The client learns display names from the member events it syncs (with lazy
loading: those of people who wrote or joined while the bot was there); someone it knows no name for is shown by
their id's local part, as the chat's plain text shows them.
"""

from __future__ import annotations

from collections.abc import Callable

from nio import AsyncClient

from kiwibot.matrix.render import localpart


def display_names(client: AsyncClient) -> Callable[[str], str]:
    """`name(user_id)`: the person's display name in the first room that knows one, else their id's local part."""

    def name(user_id: str) -> str:
        for room in client.rooms.values():
            user = room.users.get(user_id)
            if user is not None and user.display_name:
                return str(user.display_name)
        return localpart(user_id)

    return name
