"""Storage: the only package that speaks SQL."""

from kiwibot.storage.store import AlreadyRunning, CommandRecord, DatabaseTooNew, InstanceLock, OutboxItem, Store

__all__ = ["AlreadyRunning", "CommandRecord", "DatabaseTooNew", "InstanceLock", "OutboxItem", "Store"]
