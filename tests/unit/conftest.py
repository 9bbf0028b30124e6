"""Fixtures shared by the offline adapter tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.unit.adapterkit import Bot


@pytest.fixture
async def bots() -> AsyncIterator[list[Bot]]:
    """Bots a test starts; each is closed afterwards, whatever the test did."""
    started: list[Bot] = []
    yield started
    for bot in started:
        await bot.close()
