"""Per-user ordering: one user's updates run one at a time and in order, users run side by side.

In one process a lock per user does it (``PerUserOrder``); several processes on one
PostgreSQL database also hold the claimant's lock in the database (``across_processes``)
from before the update is applied until its reply is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.telegram.channel import CHANNEL, TelegramChannel

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 256
LOCK_WAIT = 10.0
"""Seconds an update waits for another process to finish one of the same claimant; then it
is refused (the webhook answers 503 and Telegram delivers it again later)."""


def sender_of(update: object) -> int | None:
    """Whose update this is: the user, else the chat (channel posts), else nobody."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerUserOrder(BaseUpdateProcessor):
    """python-telegram-bot's documented extension point for concurrency, with a lock per user.

    asyncio locks wake waiters first come, first served, so a user's updates run in the order
    they reached the processor. Locks are dropped once nobody holds or awaits them, so memory
    follows the users active right now, not every user ever seen.
    """

    def __init__(self, max_concurrent_updates: int = DEFAULT_CONCURRENCY) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = sender_of(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    @property
    def active_users(self) -> int:
        """Users with an update running or waiting right now."""
        return len(self._locks)

    async def initialize(self) -> None:
        """Nothing to set up: locks are made on first use."""

    async def shutdown(self) -> None:
        """Nothing to free: a lock lives only while its user has updates in flight."""


class LockTimeout(TimeoutError):
    """Another process kept the claimant's lock longer than ``LOCK_WAIT``."""


@dataclass
class Held:
    """The claimant's lock across processes; ``answered``: set once the reply went out."""

    answered: str | None = None


@contextlib.asynccontextmanager
async def across_processes(channel: TelegramChannel, update: Update) -> AsyncIterator[Held]:
    """Hold the sender's lock across processes around one update (a no-op on SQLite).

    Taking the lock blocks nothing; an update whose claimant has another update in progress
    on another process waits for it (rare: two updates of one person at the same moment on
    two processes), holding a pooled connection meanwhile. Raises ``LockTimeout`` after
    ``LOCK_WAIT`` and what storage raises when it is down (the update is delivered again).
    """
    intake = channel.intake
    sender = sender_of(update)
    held = Held()
    if sender is None or not intake.locks_across_processes:
        yield held
        return
    user = str(sender)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LOCK_WAIT
    # Given up on (storage stalled, the update cancelled) while its thread still runs, a
    # lock taken late is let go at once: held by nobody, it would keep every later update of
    # this claimant on other processes waiting until this process restarts.
    let_go = functools.partial(intake.release, CHANNEL, user, answered=None)
    while not await channel.take(intake.try_hold, let_go, CHANNEL, user):
        left = deadline - loop.time()
        if left <= 0:
            raise LockTimeout(f"update {update.update_id}: the claimant's lock stayed taken")
        await channel.call(intake.wait_released, CHANNEL, user, left)
    try:
        yield held
    finally:
        try:
            await channel.call(intake.release, CHANNEL, user, answered=held.answered)
        except Exception as exc:  # the lock went with its session; the update is done
            log.warning("update %s: lock release failed: %s", update.update_id, type(exc).__name__)
