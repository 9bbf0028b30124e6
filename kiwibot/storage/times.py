"""Moments as stored: UTC, as sortable text, so range queries work on the columns directly."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(moment: datetime) -> str:
    """UTC timestamps as sortable text, so range queries work on the column directly."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str) -> datetime:
    """A stored moment back (fromisoformat: ~50 times faster than strptime, read several times per event)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not UTC:
        raise ValueError(f"not a stored UTC moment: {text!r}")
    return moment
