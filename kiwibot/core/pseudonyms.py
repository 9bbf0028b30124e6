"""Pseudonyms: what stands where a person's id stood once their name had to go.

A forgotten member (`!vergessen`) and a participant whose name the retention period removed keep their rows, so
every count stays true (participants, givers, feedback answers), but the row names nobody any more. A pseudonym can
never be a platform's user id: it starts with "~". Platforms show it as "ehemaliges Mitglied" / "Name gelöscht"
and never ping or message it.
"""

from __future__ import annotations

import secrets

FORMER = "~former-"  # a member who asked to be forgotten
ANONYMOUS = "~anon-"  # a participant of a session that ended longer ago than the retention period


def is_pseudonym(user_id: str) -> bool:
    """Whether this "user id" stands for nobody any more: never pinged, never sent a message."""
    return user_id.startswith("~")


def former_member() -> str:
    """A new pseudonym for one forgotten person: random, so nothing leads back to them."""
    return FORMER + secrets.token_hex(8)


def shown_as(user_id: str) -> str:
    """The catalogue key that names a pseudonym ("ehemaliges Mitglied", "Name gelöscht")."""
    return "person.former" if user_id.startswith(FORMER) else "person.anonymous"


def named(people: list[str] | tuple[str, ...]) -> list[str]:
    """Only real people, in their order: pseudonyms are counted but never told anything."""
    return [person for person in people if not is_pseudonym(person)]
