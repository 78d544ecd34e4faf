"""Storage calls off the event loop, on threads of their own, with a stall detector.

A database that stops answering is not seen by TCP (the peer acknowledges and never
answers), so a call can hang for as long as the stall lasts. Bounding each call's *own* wait
would be wrong under load: at a surge a call may queue behind hundreds of others for its
thread, and refusing it then (503, Telegram delivers again) only adds load. So what counts
is progress: storage is *stalled* when calls are in flight and none has finished for
``stall_after`` seconds. Then every waiting call gives up with ``TimeoutError`` (the webhook
answers 503, polling keeps its offset); the threads stuck in the database finish by
themselves once it answers again, and the next call goes through.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

UNBOUNDED = frozenset({"export_csv", "report", "received_since", "wait_released"})
"""Calls that may legitimately run for many seconds on their own: never given up on.
Operators' work (no claimant waits on it, and Telegram is answered when it is done), and the
wait for another process's conversation lock, which ends by its own ``lock_timeout``."""
DEFAULT_THREADS = 16
"""Calls run at once (SQLite queues its writers anyway; PostgreSQL commits in parallel)."""


class StorageStalled(TimeoutError):
    """No storage call has finished for ``stall_after`` seconds while some were waiting."""


class StorageCalls:
    """Run blocking storage work on a thread pool; give up on all of it when it stalls."""

    def __init__(self, stall_after: float | None, threads: int = DEFAULT_THREADS) -> None:
        self.stall_after = stall_after
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="storage")
        self._in_flight = 0
        self._progress_at = time.monotonic()

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(
            self._executor, functools.partial(self._run, fn, *args, **kwargs)
        )
        return await self._outcome(future, fn)

    async def take(
        self, fn: Callable[P, bool], give_back: Callable[[], object], *args: P.args,
        **kwargs: P.kwargs,
    ) -> bool:  # fmt: skip
        """``call`` for a call that takes something (a lock) when it returns True: if the
        caller gives up on it (a stall, a cancellation) while it still runs, what it then
        takes is given back by ``give_back``, never left held by nobody."""
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(
            self._executor, functools.partial(self._run, fn, *args, **kwargs)
        )
        try:  # shielded: a cancelled caller must not mark the still-running call cancelled
            return await self._outcome(asyncio.shield(future), fn)
        except BaseException:
            future.add_done_callback(functools.partial(self._give_back, give_back))
            raise

    def _give_back(self, give_back: Callable[[], object], future: asyncio.Future[bool]) -> None:
        if future.cancelled() or future.exception() is not None or not future.result():
            return
        try:
            self._executor.submit(give_back).add_done_callback(_forget_thread)
        except RuntimeError:  # shut down: the process ends, and its locks with its sessions
            log.debug("storage closed before a given-up lock could be given back")

    async def _outcome(self, future: asyncio.Future[T], fn: Callable[..., T]) -> T:
        if self.stall_after is None or getattr(fn, "__name__", "") in UNBOUNDED:
            return await future
        if self._in_flight == 0:
            self._progress_at = time.monotonic()  # idle time is not a stall
        self._in_flight += 1
        try:
            while True:
                done, _ = await asyncio.wait({future}, timeout=self.stall_after / 4)
                if done:
                    return future.result()
                if time.monotonic() - self._progress_at > self.stall_after:
                    future.add_done_callback(_forget)
                    raise StorageStalled(f"no storage call finished for {self.stall_after}s")
        finally:
            self._in_flight -= 1

    def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        finally:
            self._progress_at = time.monotonic()  # a float store: safe across threads

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _forget_thread(future: concurrent.futures.Future[object]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("giving a lock back failed: %s", type(future.exception()).__name__)


def _forget(future: asyncio.Future[object]) -> None:
    """The call was given up on; whatever it ends with is of no interest any more."""
    if not future.cancelled():
        future.exception()
