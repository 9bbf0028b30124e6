"""The two kinds of error: the user's mistakes (friendly reply) and everything else (a bug)."""

from __future__ import annotations

from kiwibot.core.messages import Msg, Param


class UserError(Exception):
    """A mistake the user can fix; rendered from the message catalogue in the user's language.

    `key` names a catalogue entry, `params` fill its placeholders. Several problems found at once
    (e.g. in an offer) travel together as `problems`, each itself a UserError, so one reply names all.
    """

    def __init__(self, key: str, problems: tuple[UserError, ...] = (), **params: Param) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        self.problems = problems

    def as_msg(self) -> Msg:
        """The error as a message value, to be told in a thread or nested in another message."""
        return Msg(self.key, self.params)

    def __repr__(self) -> str:
        return f"UserError({self.key!r}, {self.params!r})"


class StorageUnavailable(Exception):
    """The database could not do what was asked (locked, full, read-only): try again later."""
