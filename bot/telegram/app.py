"""Building the python-telegram-bot Application: our request path, ordering and handlers.

No Updater (polling and webhook are ours, see ``processing``), no JobQueue (reminders are
rows in the database), no persistence (conversations live in storage).
"""

from __future__ import annotations

from typing import Any

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BaseRateLimiter

from bot.intake import IntakeService
from bot.settings import Settings
from bot.telegram.channel import TelegramChannel, attach
from bot.telegram.handlers import register
from bot.telegram.ordering import PerUserOrder

RATE_LIMIT_RETRIES = 3
"""A 429 is waited out (retry_after) this many times before the handler sees it."""

TelegramApp = Application[Any, Any, Any, Any, Any, Any]


class MissingToken(RuntimeError):
    """TELEGRAM_BOT_TOKEN is not set."""


def build_application(
    settings: Settings,
    intake: IntakeService,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    concurrency: int | None = None,
) -> TelegramApp:
    """The Application for ``settings``; ``rate_limiter`` defaults to AIORateLimiter."""
    if settings.telegram_bot_token is None:
        raise MissingToken("TELEGRAM_BOT_TOKEN is not set")
    processor = PerUserOrder(concurrency) if concurrency else PerUserOrder()
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(processor)
        .connection_pool_size(64)
        .updater(None)
        .job_queue(None)
        .build()
    )
    attach(application, TelegramChannel(intake=intake))
    register(application, settings.operator_ids)
    return application
