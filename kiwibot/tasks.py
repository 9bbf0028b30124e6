"""Background tasks are owned: each is started with a name and the line that says why it ended badly.

A task's exception is otherwise only seen when someone awaits it; for the bot's long-lived tasks nobody
does until shutdown, so the failure is logged at the task boundary, here, the same way for every task.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from kiwibot.core.errors import StorageUnavailable


def spawn(
    work: Coroutine[Any, Any, None],
    *,
    name: str,
    log: logging.Logger,
    failed: str,
    storage: str | None = None,
) -> asyncio.Task[None]:
    """Start `work` as a task whose failure is logged as `failed` (with the traceback), or as `storage` (one
    line, no traceback) when the database was unavailable: that is an outage, not a bug."""
    task = asyncio.get_running_loop().create_task(work, name=name)

    def ended(task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is None or isinstance(error, SystemExit):  # SystemExit: said by whoever ends the process
            return
        if storage is not None and isinstance(error, StorageUnavailable):
            log.error("%s: %s", storage, error)
        else:
            log.error("%s", failed, exc_info=error)

    task.add_done_callback(ended)
    return task
