"""Storage: the only package that speaks SQL."""

from kiwibot.storage.store import AlreadyRunning, DatabaseTooNew, InstanceLock, OutboxItem, Store

__all__ = ["AlreadyRunning", "DatabaseTooNew", "InstanceLock", "OutboxItem", "Store"]
