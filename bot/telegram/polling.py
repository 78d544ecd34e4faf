"""Long polling that confirms an update only after it was processed.

getUpdates' offset N confirms every update below N to Telegram for good. So a batch is
processed completely (users side by side, each user's updates in order) before the next
request carries the offset past it. A kill -9 mid-batch means Telegram delivers the batch
again, and the intake's update_key applies each update once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Sequence

from telegram import Update
from telegram.error import Forbidden, InvalidToken, TelegramError

from bot.telegram.app import TelegramApp
from bot.telegram.handlers import ALLOWED_UPDATES
from bot.telegram.ordering import sender_of
from bot.telegram.processing import process_fully

log = logging.getLogger(__name__)

POLL_TIMEOUT = 30
"""Seconds Telegram holds a getUpdates open when nothing is waiting."""
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0


async def poll(
    application: TelegramApp,
    stop: asyncio.Event,
    *,
    timeout: int = POLL_TIMEOUT,
    backoff: float = FIRST_BACKOFF,
) -> None:
    """Fetch, process, confirm, until ``stop`` is set; a batch in progress is finished first."""
    bot = application.bot
    offset: int | None = None
    delay = backoff
    while not stop.is_set():
        try:
            updates = await _unless_stopped(
                bot.get_updates(offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES),
                stop,
            )
        except (InvalidToken, Forbidden):
            raise
        except TelegramError as exc:
            log.warning("getUpdates failed (%s); retrying in %.1fs", type(exc).__name__, delay)
            await _sleep_unless_stopped(delay, stop)
            delay = min(delay * 2, MAX_BACKOFF)
            continue
        if updates is None:  # stopped while waiting
            break
        delay = backoff
        if not updates:
            continue
        retry = await process_batch(application, updates)
        if retry:
            # Keep the offset at the first update to redo: Telegram sends it (and the ones
            # after it, which the intake then recognises as already applied) again.
            offset = min(retry)
            log.warning("%d update(s) to be processed again", len(retry))
            await _sleep_unless_stopped(delay, stop)
            delay = min(delay * 2, MAX_BACKOFF)
        else:
            offset = updates[-1].update_id + 1
    if offset is not None:
        await _confirm(application, offset)


async def process_batch(application: TelegramApp, updates: Sequence[Update]) -> list[int]:
    """Process a batch; returns the ids to be delivered again (storage was unavailable)."""
    by_sender: dict[int | None, list[Update]] = {}
    for update in updates:
        by_sender.setdefault(sender_of(update), []).append(update)

    async def one_sender(queue: list[Update]) -> list[int]:
        for number, update in enumerate(queue):
            if not await process_fully(application, update):
                # Later updates of this user wait for it: their order must not change.
                return [u.update_id for u in queue[number:]]
        return []

    results = await asyncio.gather(*(one_sender(queue) for queue in by_sender.values()))
    return sorted(update_id for failed in results for update_id in failed)


async def _confirm(application: TelegramApp, offset: int) -> None:
    """Tell Telegram what was processed before stopping, so a restart does not redo it."""
    with contextlib.suppress(TelegramError):
        await application.bot.get_updates(offset=offset, timeout=0, limit=1)


async def _unless_stopped(
    request: Awaitable[tuple[Update, ...]], stop: asyncio.Event
) -> tuple[Update, ...] | None:
    fetch = asyncio.ensure_future(request)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
    if fetch.done():
        return fetch.result()
    fetch.cancel()  # nothing fetched is lost: it was not confirmed
    with contextlib.suppress(asyncio.CancelledError, TelegramError):
        await fetch
    return None


async def _sleep_unless_stopped(seconds: float, stop: asyncio.Event) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
