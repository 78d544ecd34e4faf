"""Processing an update fully before Telegram is told it arrived, and the error handler.

python-telegram-bot's Updater and built-in webhook confirm an update before it is processed,
so a crash in between loses it. Polling and webhook here both call ``process_fully`` and
only then confirm (next getUpdates offset) or answer (HTTP 200). When storage is unreachable
the update is marked to be delivered again (polling keeps its offset, the webhook answers
503); the intake's update_key makes any redelivery apply once.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.telegram.channel import application_channel, channel_of
from bot.telegram.words import user_language, word
from storage import ConflictError

log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, PoolTimeout, ConflictError)
"""Failures that a later delivery of the same update can get past (the database is down)."""


async def process_fully(
    application: Application[Any, Any, Any, Any, Any, Any], update: Update
) -> bool:
    """Run the handlers under the per-user order; False: deliver this update again later."""
    channel = application_channel(application)
    await application.update_processor.process_update(update, application.process_update(update))
    if update.update_id in channel.retry_later:
        channel.retry_later.discard(update.update_id)
        return False
    return True


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure without personal data; tell the user to try again (unless retrying)."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, TRANSIENT) and update_id is not None:
        channel_of(context).retry_later.add(update_id)
        log.warning(
            "storage unavailable (%s) for update %s; will retry", type(error).__name__, update_id
        )
        return
    # No exc_info: a traceback's locals and messages can carry what the claimant typed.
    log.error("update %s failed: %s", update_id, type(error).__name__)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    try:
        await context.bot.send_message(
            update.effective_chat.id, word("try_again", user_language(update.effective_user))
        )
    except TelegramError as exc:
        log.warning(
            "could not tell user about the failure of update %s: %s", update_id, type(exc).__name__
        )
