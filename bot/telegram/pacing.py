"""Pacing what the bot sends: replies go at once, 429s are honoured, failed sends retried.

python-telegram-bot's ``AIORateLimiter`` queues every call that names a chat (replies and
edits included) behind one overall 30 calls/s: a bot spending ~25 calls per interview then
tops out near one interview a second, whatever its hardware. Telegram's ~30 messages/s is
its guidance for *bulk* notifications; a reply to a claimant's own message is not queued
here. Instead:

- a 429 is waited out for its ``retry_after`` and, meanwhile, nothing else is sent either
  (Telegram's flood control counts the whole bot), then the call is made again;
- what the bot starts by itself (reminders) passes ``rate_limit_args=BULK`` and keeps the
  fixed bulk limit;
- a send that timed out or met a 5xx / broken connection is retried with exponential
  backoff (a slow Bot API must not leave a claimant looking at an answered question); when
  the retries run out, the error reaches the handler and ``processing.on_error`` sends the
  question now current.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

BULK = "bulk"
"""``rate_limit_args`` of a call the bot makes on its own (a reminder, a broadcast)."""

RETRIED = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "sendDocument",
        "sendPhoto",
        "deleteMessage",
        "setMyCommands",
        "setWebhook",
        "deleteWebhook",
        "getMe",
    }
)
"""Calls retried after a timeout or a 5xx; getUpdates is not (the polling loop repeats it)."""

Result = bool | dict[str, Any] | list[dict[str, Any]]


@dataclass(frozen=True)
class PacingLimits:
    """The knobs, from settings (``TELEGRAM_*`` in .env.example)."""

    bulk_per_second: float = 30.0
    rate_limit_retries: int = 5
    send_retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0


class ReplyPacer(BaseRateLimiter[str]):
    """A ``BaseRateLimiter``: no queue for replies, a shared pause after a 429, retries."""

    def __init__(self, limits: PacingLimits | None = None) -> None:
        self.limits = limits or PacingLimits()
        rate = self.limits.bulk_per_second
        self._bulk = AsyncLimiter(rate, 1) if rate > 0 else None
        self._resume_at = 0.0
        self.floods = 0
        """429s met so far (each one paused every send for its retry_after)."""
        self.retries = 0
        """Sends repeated after a timeout or a server error."""

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> Result:
        floods = failures = 0
        while True:
            await self._wait_out_flood()
            try:
                if rate_limit_args == BULK and self._bulk is not None:
                    async with self._bulk:
                        return await callback(*args, **kwargs)
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                floods += 1
                self.floods += 1
                if floods > self.limits.rate_limit_retries:
                    raise
                self._pause(_seconds(exc))
            except BadRequest:  # a subclass of NetworkError, but the request itself is wrong
                raise
            except NetworkError as exc:  # TimedOut, 5xx, connection refused or reset
                failures += 1
                if endpoint not in RETRIED or failures > self.limits.send_retries:
                    raise
                self.retries += 1
                delay = self._backoff(failures)
                log.debug("%s failed (%s); retry in %.2fs", endpoint, type(exc).__name__, delay)
                await asyncio.sleep(delay)

    def _pause(self, seconds: float) -> None:
        """Nobody sends until ``seconds`` from now: Telegram asked the whole bot to wait."""
        loop = asyncio.get_running_loop()
        self._resume_at = max(self._resume_at, loop.time() + seconds + 0.1)
        log.warning("Telegram asked to wait %.1fs; every send pauses", seconds)

    async def _wait_out_flood(self) -> None:
        loop = asyncio.get_running_loop()
        while (wait := self._resume_at - loop.time()) > 0:
            await asyncio.sleep(wait)

    def _backoff(self, failures: int) -> float:
        """Exponential, with jitter so that many claimants' retries do not come at once."""
        ceiling = min(self.limits.max_backoff, self.limits.backoff * 2 ** (failures - 1))
        return ceiling * (0.5 + random.random() / 2)  # jitter, not secrecy


def _seconds(exc: RetryAfter) -> float:
    # ``retry_after`` warns while PTB moves it from int to timedelta; the stored value is
    # the timedelta either way (PTB's own AIORateLimiter reads it the same way).
    return exc._retry_after.total_seconds()
