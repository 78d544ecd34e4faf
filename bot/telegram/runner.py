"""Running the bot: long polling (default) or a webhook server, stopped cleanly by a signal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn
from telegram.ext import BaseRateLimiter

from bot.intake import IntakeService
from bot.retention_job import CHECK_EVERY as PURGE_EVERY
from bot.retention_job import purge_daily
from bot.settings import Settings
from bot.telegram.app import TelegramApp, build_application
from bot.telegram.handlers import ALLOWED_UPDATES
from bot.telegram.menu import set_commands
from bot.telegram.operators import deliver_until, start_exports
from bot.telegram.polling import POLL_TIMEOUT, poll
from bot.telegram.reminders import CHECK_EVERY, remind
from bot.telegram.webhook import webhook_app, webhook_path

log = logging.getLogger(__name__)


QUIET_LOGGERS = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "telegram": logging.INFO}
"""httpx logs every request URL, which holds the bot token; python-telegram-bot's DEBUG
records carry whole updates, i.e. what claimants typed. Neither belongs in our logs."""


def quiet_libraries() -> None:
    for name, level in QUIET_LOGGERS.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), level))


class WebhookNotConfigured(RuntimeError):
    """--webhook needs WEBHOOK_URL and WEBHOOK_SECRET."""


def run_bot(settings: Settings, intake: IntakeService, *, webhook: bool = False) -> None:
    """Serve until SIGINT or SIGTERM; the update being processed is finished first."""
    asyncio.run(_run_until_signal(settings, intake, webhook=webhook))


async def _run_until_signal(settings: Settings, intake: IntakeService, *, webhook: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await serve(settings, intake, webhook=webhook, stop=stop)


async def serve(
    settings: Settings,
    intake: IntakeService,
    *,
    webhook: bool,
    stop: asyncio.Event,
    reminder_every: float = CHECK_EVERY,
    poll_timeout: int = POLL_TIMEOUT,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    purge_every: float = PURGE_EVERY,
) -> None:
    """Run the bot until ``stop`` is set (tests drive this directly)."""
    quiet_libraries()
    application = build_application(settings, intake, rate_limiter=rate_limiter)
    if webhook and not (settings.webhook_url and settings.webhook_secret):
        raise WebhookNotConfigured("--webhook needs WEBHOOK_URL and WEBHOOK_SECRET")
    async with application:  # initialize() ... shutdown()
        await application.start()
        reminders = asyncio.create_task(remind(application, stop, reminder_every))
        exports = start_exports(application, Path(settings.export_dir))
        deliveries = asyncio.create_task(deliver_until(application, stop))
        purging = None
        if settings.retention_purge:  # one process a day runs it, whichever claims the day
            purging = asyncio.create_task(purge_daily(intake, stop, purge_every))
        try:
            await set_commands(application.bot, settings.operator_ids)
            if webhook:
                await _serve_webhook(application, settings, stop)
            else:
                await application.bot.delete_webhook()
                log.info("polling for updates")
                await poll(application, stop, timeout=poll_timeout)
        finally:
            stop.set()
            await reminders
            await deliveries
            await asyncio.to_thread(exports.stop)
            if purging is not None:
                await purging
            await application.stop()
    log.info("stopped")


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the runner's stop event decides."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _serve_webhook(application: TelegramApp, settings: Settings, stop: asyncio.Event) -> None:
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    app = webhook_app(application, secret=secret, path=webhook_path(settings.webhook_url))
    config = uvicorn.Config(
        app,
        host=settings.webhook_listen,
        port=settings.webhook_port,
        log_level="warning",
        lifespan="off",
        access_log=False,
    )
    server = _Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:  # only then may Telegram start sending
            if serving.done():
                serving.result()
                raise RuntimeError("webhook server did not start")
            await asyncio.sleep(0.01)
        await application.bot.set_webhook(
            settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )
        log.info("webhook set; serving on %s:%s", settings.webhook_listen, settings.webhook_port)
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({serving, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
    finally:
        server.should_exit = True
        await serving
