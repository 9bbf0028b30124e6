"""The scheduler's wake-ups: set again after every use case, but only touched when the moment changes (#15)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kiwibot.core.clock import ShiftedClock
from kiwibot.scheduling.wakeups import Wakeups


async def _nothing() -> None:
    return None


def counting(wakeups: Wakeups) -> list[str]:
    """Names of the jobs APScheduler was asked to (re)set."""
    calls: list[str] = []
    original = wakeups.scheduler.add_job

    def add_job(*args: Any, **kwargs: Any) -> Any:
        calls.append(str(kwargs["id"]))
        return original(*args, **kwargs)

    wakeups.scheduler.add_job = add_job  # type: ignore[method-assign]
    return calls


async def test_a_poke_that_changes_no_moment_leaves_the_jobs_alone() -> None:
    clock = ShiftedClock()
    when = clock.now() + timedelta(hours=1)
    wakeups = Wakeups(clock, {"reminders": (lambda: when, _nothing)})
    wakeups.start()
    try:
        calls = counting(wakeups)
        first = wakeups.scheduler.get_job("reminders").next_run_time
        for _ in range(100):  # a rush of signups: each use case pokes
            wakeups.poke()
        assert calls == []
        assert wakeups.scheduler.get_job("reminders").next_run_time == first
    finally:
        await wakeups.shutdown()


async def test_a_new_moment_a_moved_clock_or_nothing_due_set_the_job_again() -> None:
    clock = ShiftedClock()
    due: list[datetime | None] = [clock.now() + timedelta(hours=1)]
    wakeups = Wakeups(clock, {"reminders": (lambda: due[0], _nothing)})
    wakeups.start()
    try:
        calls = counting(wakeups)
        first = wakeups.scheduler.get_job("reminders").next_run_time
        due[0] = clock.now() + timedelta(hours=2)
        wakeups.poke()
        assert calls == ["reminders"]
        assert wakeups.scheduler.get_job("reminders").next_run_time - first > timedelta(minutes=59)
        clock.shift(timedelta(minutes=30))  # same `when`, but half an hour less to wait in real time
        wakeups.poke()
        assert calls == ["reminders", "reminders"]
        assert wakeups.scheduler.get_job("reminders").next_run_time - first < timedelta(minutes=31)
        due[0] = None
        wakeups.poke()
        assert wakeups.scheduler.get_job("reminders") is None
    finally:
        await wakeups.shutdown()


async def test_a_job_that_ran_is_set_again_for_the_same_moment_after_it() -> None:
    """After a run APScheduler has dropped the date job: the next poke must set it even if `due` looks known."""
    clock = ShiftedClock()
    ran = asyncio.Event()

    async def action() -> None:
        ran.set()

    due: list[datetime | None] = [datetime.now(UTC) - timedelta(seconds=1)]
    wakeups = Wakeups(clock, {"digest": (lambda: due[0], action)})
    wakeups.start()
    try:
        await asyncio.wait_for(ran.wait(), 5)
        await asyncio.sleep(0.05)
        later = clock.now() + timedelta(hours=1)
        due[0] = later
        wakeups.poke()
        job = wakeups.scheduler.get_job("digest")
        assert job is not None and abs(job.next_run_time - later) < timedelta(seconds=1)
    finally:
        await wakeups.shutdown()


async def test_an_action_under_way_is_ended_before_shutdown_returns(caplog: pytest.LogCaptureFixture) -> None:
    """At stop the store closes right after: a digest still sending must not go on touching it (and stopping it
    is no error for the operator's log)."""
    clock = ShiftedClock()
    began, ended = asyncio.Event(), asyncio.Event()

    async def slow() -> None:
        began.set()
        try:
            await asyncio.sleep(60)
        finally:
            ended.set()

    wakeups = Wakeups(clock, {"digest": (lambda: datetime.now(UTC) - timedelta(seconds=1), slow)})
    wakeups.start()
    await asyncio.wait_for(began.wait(), 5)
    await wakeups.shutdown()
    assert ended.is_set()
    await asyncio.sleep(0.05)  # APScheduler's executor hears of the job's end in a callback
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.records
