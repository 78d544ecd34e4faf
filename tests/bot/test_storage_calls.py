"""Storage calls under load queue without being refused; a stall fails every waiting call."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from bot.telegram.storage_calls import StorageCalls, StorageStalled


async def test_calls_queued_behind_a_busy_pool_are_not_refused() -> None:
    calls = StorageCalls(stall_after=0.2, threads=1)
    # 30 calls of 30 ms on one thread: the last waits ~0.9 s, far past stall_after, yet
    # storage keeps finishing calls, so none of them is given up on.
    results = await asyncio.gather(*(calls.call(time.sleep, 0.03) for _ in range(30)))
    assert results == [None] * 30
    calls.close()


async def test_a_stalled_database_fails_every_waiting_call_then_recovers() -> None:
    calls = StorageCalls(stall_after=0.2, threads=2)
    stalled = threading.Event()
    stuck = [asyncio.create_task(calls.call(stalled.wait, 30)) for _ in range(2)]
    queued = asyncio.create_task(calls.call(lambda: "never reached while stalled"))
    for task in [*stuck, queued]:
        with pytest.raises(StorageStalled):
            await task
    stalled.set()  # the database answers again
    assert await calls.call(lambda: "answered") == "answered"
    calls.close()


async def test_operators_long_work_is_never_given_up_on() -> None:
    calls = StorageCalls(stall_after=0.1, threads=1)

    def export_csv() -> str:
        time.sleep(0.4)
        return "all rows"

    assert await calls.call(export_csv) == "all rows"
    calls.close()
