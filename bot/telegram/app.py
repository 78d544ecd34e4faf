"""Building the python-telegram-bot Application: our request path, ordering and handlers.

No Updater (polling and webhook are ours, see ``processing``), no JobQueue (reminders are
rows in the database), no persistence (conversations live in storage).
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, ApplicationBuilder, BaseRateLimiter
from telegram.request import BaseRequest

from bot.intake import IntakeService
from bot.settings import Settings
from bot.telegram.channel import TelegramChannel, attach
from bot.telegram.handlers import register
from bot.telegram.ordering import PerUserOrder
from bot.telegram.pacing import PacingLimits, ReplyPacer

TelegramApp = Application[Any, Any, Any, Any, Any, Any]


class MissingToken(RuntimeError):
    """TELEGRAM_BOT_TOKEN is not set."""


class StatelessApplication(Application[Any, Any, Any, Any, Any, Any]):
    """python-telegram-bot's Application, minus its bookkeeping for a persistence we lack.

    python-telegram-bot 22 adds the user and chat id of every update to two sets that only
    a persistence's flush empties; without a persistence they keep every user ever seen
    (about 100 bytes each, for good). Conversations live in storage: nothing to mark.
    """

    def _mark_for_persistence_update(
        self, *, update: object | None = None, job: Any = None
    ) -> None:
        if self.persistence is not None:
            super()._mark_for_persistence_update(update=update, job=job)


def build_application(
    settings: Settings,
    intake: IntakeService,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    concurrency: int | None = None,
    request: BaseRequest | None = None,
) -> TelegramApp:
    """The Application for ``settings``; ``rate_limiter`` defaults to ``pacer(settings)``."""
    if settings.telegram_bot_token is None:
        raise MissingToken("TELEGRAM_BOT_TOKEN is not set")
    processor = PerUserOrder(concurrency) if concurrency else PerUserOrder()
    builder = (
        ApplicationBuilder()
        .application_class(StatelessApplication)
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .rate_limiter(rate_limiter or pacer(settings))
        .concurrent_updates(processor)
        .updater(None)
        .job_queue(None)
    )
    if request is not None:  # a benchmark's in-process Bot API
        builder = builder.request(request)
    else:
        builder = (
            builder.connection_pool_size(settings.telegram_connection_pool_size)
            .connect_timeout(settings.telegram_connect_timeout)
            .read_timeout(settings.telegram_read_timeout)
            .write_timeout(settings.telegram_write_timeout)
            .pool_timeout(settings.telegram_pool_timeout)
        )
    application = builder.build()
    attach(
        application, TelegramChannel(intake=intake, storage_timeout=settings.storage_wait_timeout)
    )
    register(application, settings.operator_ids)
    return application


def pacer(settings: Settings) -> ReplyPacer:
    """The sending path's limits from settings: replies unqueued, bulk sends held back."""
    return ReplyPacer(
        PacingLimits(
            bulk_per_second=settings.telegram_bulk_per_second,
            rate_limit_retries=settings.telegram_rate_limit_retries,
            send_retries=settings.telegram_send_retries,
            backoff=settings.telegram_retry_backoff,
        )
    )
