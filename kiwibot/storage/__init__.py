"""Storage: the only package that speaks SQL."""

from kiwibot.storage.store import DatabaseTooNew, OutboxItem, Store

__all__ = ["DatabaseTooNew", "OutboxItem", "Store"]
