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


async def test_a_lock_taken_after_its_caller_gave_up_is_given_back() -> None:
    """A stalled try_hold that then takes the lock must not leave it held by nobody."""
    calls = StorageCalls(stall_after=0.2, threads=2)
    answers = threading.Event()
    given_back = threading.Event()

    def try_hold() -> bool:
        answers.wait(5)  # the database stalls, then answers: the lock is taken
        return True

    with pytest.raises(StorageStalled):
        await calls.take(try_hold, given_back.set)
    assert not given_back.is_set()
    answers.set()
    assert await asyncio.to_thread(given_back.wait, 5), "the late lock was never given back"
    # A lock that was refused (False), or taken by a call nobody gave up on, is not given back.
    refused, kept = threading.Event(), threading.Event()
    assert await calls.take(lambda: False, refused.set) is False
    assert await calls.take(lambda: True, kept.set) is True
    await asyncio.sleep(0.1)
    assert not refused.is_set() and not kept.is_set()
    calls.close()


async def test_a_cancelled_lock_wait_gives_the_late_lock_back() -> None:
    calls = StorageCalls(stall_after=None)
    answers, given_back = threading.Event(), threading.Event()
    task = asyncio.create_task(calls.take(lambda: answers.wait(5), given_back.set))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    answers.set()
    assert await asyncio.to_thread(given_back.wait, 5)
    calls.close()


async def test_waiting_for_another_process_lock_is_not_a_stall() -> None:
    calls = StorageCalls(stall_after=0.1, threads=1)

    def wait_released() -> str:
        time.sleep(0.4)  # bounded by its own lock_timeout, not by the stall detector
        return "released"

    assert await calls.call(wait_released) == "released"
    calls.close()
