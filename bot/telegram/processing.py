"""Processing an update fully before Telegram is told it arrived, and the error handler.

python-telegram-bot's Updater and built-in webhook confirm an update before it is processed,
so a crash in between loses it. Polling and webhook here both call ``process_fully`` and
only then confirm (next getUpdates offset) or answer (HTTP 200). When storage is unreachable
the update is marked to be delivered again (polling keeps its offset, the webhook answers
503); the intake's update_key makes any redelivery apply once, and ``once_per_update`` does
the same for the commands that do not go through the intake's interview.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.intake import UNAVAILABLE
from bot.telegram.channel import CHANNEL, application_channel, channel_of, update_key, user_key
from bot.telegram.ordering import across_processes
from bot.telegram.replies import Chat, send_prompt
from bot.telegram.words import word

log = logging.getLogger(__name__)

COMMAND_KEY = ":command"
"""Suffix of a command's update key: never equal to the keys the intake's interview uses."""

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Update, Context], Awaitable[None]]


async def process_fully(
    application: Application[Any, Any, Any, Any, Any, Any], update: Update
) -> bool:
    """Run the handlers under the per-user order; False: deliver this update again later."""
    channel = application_channel(application)

    async def run_and_mark() -> None:
        try:
            async with across_processes(channel, update) as held:
                await application.process_update(update)
                if update.update_id not in channel.retry_later:
                    # Marked while the user's locks are still held: a copy of this update
                    # delivered at the same time (Telegram retrying a slow webhook) waits on
                    # them, then must find it finished, or it would send the question again.
                    channel.finished.add(update.update_id)
                    held.answered = update_key(update)
        except UNAVAILABLE as exc:
            log.warning("update %s: no lock (%s); will retry", update.update_id, type(exc).__name__)
            channel.retry_later.add(update.update_id)

    await application.update_processor.process_update(update, run_and_mark())
    if update.update_id in channel.retry_later:
        channel.retry_later.discard(update.update_id)
        return False
    return True


def once_per_update(callback: Callback) -> Callback:
    """Run a command's handler once per update_id, however often Telegram delivers it.

    The update is recorded first (at most once: an export or an erasure is not repeated by a
    redelivery, on any process). A handler cut short by a storage outage is delivered again
    by design; this process remembers it as interrupted, so that delivery runs it after all.
    """

    @functools.wraps(callback)
    async def run_once(update: Update, context: Context) -> None:
        channel = channel_of(context)
        key = update_key(update, COMMAND_KEY)
        first = await channel.call(channel.intake.record_update, CHANNEL, key)
        if not first and update.update_id not in channel.interrupted:
            log.info("update %s was handled before; not again", update.update_id)
            await Chat.of(update, context.bot).answer()
            return
        try:
            await callback(update, context)
        except UNAVAILABLE:
            channel.interrupted.add(update.update_id)
            raise
        channel.interrupted.discard(update.update_id)

    return run_once


async def on_error(update: object, context: Context) -> None:
    """Log the failure without personal data; tell the user to try again (unless retrying)."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, UNAVAILABLE) and update_id is not None:
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
    if update.effective_user is None:
        return
    try:
        await _try_again(update, context)
    except TelegramError as exc:
        log.warning(
            "could not tell user about the failure of update %s: %s", update_id, type(exc).__name__
        )


async def _try_again(update: Update, context: Context) -> None:
    """The note to try again, above the question now current, so the claimant always has
    one: when the answer was saved but its reply failed (a 502, a timeout), the question
    they still see is already answered, and typing the answer again would silently land on
    the next one."""
    channel = channel_of(context)
    chat = Chat.of(update, context.bot)
    with contextlib.suppress(TelegramError):  # stop a button's spinner, whatever else fails
        await chat.answer()
    try:
        prompt = await channel.call(channel.intake.prompt, CHANNEL, user_key(update))
    except Exception as exc:  # the failure may be the database itself: the note alone, then
        log.warning("no question to repeat for update %s: %s", update.update_id, type(exc).__name__)
        prompt = None
    if prompt is None:
        await chat.say(word("try_again", chat.language))
        return
    await send_prompt(channel, chat, prompt, error=word("try_again", prompt.language))
