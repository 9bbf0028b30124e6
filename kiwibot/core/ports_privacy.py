"""What the privacy and retention areas need from storage (kiwibot/storage/privacy.py, retention.py), as a Protocol;
part of `ports.py`, kept apart so that neither is too long to read at once."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiwibot.core.privacy_rules import Forgotten, PersonRecord


class PrivacyStore(Protocol):
    """A person's data (export, forgetting) and the retention period (kiwibot/storage/privacy.py, retention.py)."""

    def get_meta(self, key: str) -> str | None:
        """Bot state by name that must survive a restart (here: when the retention job last ran)."""

    def set_meta(self, key: str, value: str) -> None:
        """Kept across restarts."""

    def person_record(self, user_id: str) -> PersonRecord:
        """Every row that names the person (calendar links only as a yes or no)."""

    def request_forget(self, user_id: str, at: datetime) -> None:
        """`!vergessen` was asked: a confirmation is awaited from `at`."""

    def forget_requested(self, user_id: str) -> datetime | None:
        """When the person asked to be forgotten, if a confirmation is awaited."""

    def drop_forget_request(self, user_id: str) -> None:
        """An expired ask is gone: a late confirmation must not count."""

    def forget_person(self, user_id: str, pseudonym: str, at: datetime) -> Forgotten:
        """Delete what only serves the person, put the rest under `pseudonym`, keep only a keyed-hash marker."""

    def erase_traces(self) -> None:
        """What was just deleted or replaced leaves no copy in the database's files (after the open transaction)."""

    def hand_over(self, session_id: int, heir: str, at: datetime) -> None:
        """The co-giver `heir` becomes the session's giver (their co-giver place goes): the giver is forgotten."""

    def forgotten_at(self, user_id: str) -> datetime | None:
        """When the person was forgotten (None: never): their reactions from before do not count again."""

    def sessions_with_names(self, cutoff: datetime) -> list[tuple[int, datetime]]:
        """Sessions that ended before `cutoff` and still name their participants: (id, start)."""

    def month_key(self, month: str) -> bytes:
        """The key of one month's pseudonyms, made the first time it is needed."""

    def drop_month_keys(self, before: str) -> int:
        """Keys of months before `before` go: no session of theirs can still have names."""

    def remove_names(self, session_id: int, key: bytes, at: datetime) -> tuple[int, int]:
        """Participants and feedback of a session under pseudonyms; (participants, answers) changed."""

    def prune_records(self, before: datetime, now: datetime) -> dict[str, int]:
        """Technical records older than `before` that can no longer matter; how many of each kind went."""
