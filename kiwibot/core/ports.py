"""What the core needs from the outside world, as Protocols: it never imports the implementations."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Injected so tests can move time; always returns an aware UTC datetime."""

    def now(self) -> datetime: ...


class UserStore(Protocol):
    """Per-user preferences."""

    def get_language(self, user_id: str) -> str | None: ...

    def set_language(self, user_id: str, language: str) -> None: ...
