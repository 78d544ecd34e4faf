"""Per-user ordering: one user's updates run one at a time and in order, users run side by side."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

DEFAULT_CONCURRENCY = 256


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
