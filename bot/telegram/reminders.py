"""Reminders for unfinished interviews, read from the deadlines table (a restart loses none).

The intake re-arms a conversation's deadline with every answer; this loop asks storage what
is due, sends one reminder with a Continue button in the conversation's language, and marks
the deadline done. Sent before marked: a crash in between may send one twice, never none.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.telegram.app import TelegramApp
from bot.telegram.callbacks import Press
from bot.telegram.channel import CHANNEL, application_channel
from bot.telegram.words import word
from flows import message

log = logging.getLogger(__name__)

CHECK_EVERY = 60.0
"""Seconds between two looks at the deadlines table."""
BATCH = 100


async def send_due_reminders(application: TelegramApp, now: dt.datetime | None = None) -> int:
    """Send every reminder due at ``now``; returns how many were sent."""
    channel = application_channel(application)
    store = channel.intake.store
    due = await channel.call(store.due_deadlines, now, BATCH, channel=CHANNEL)
    sent = 0
    for deadline in due:
        prompt = await channel.call(channel.intake.prompt, CHANNEL, deadline.user_key)
        if prompt is not None and not prompt.is_end:
            button = InlineKeyboardButton(
                message("nav.continue", prompt.language), callback_data=Press("resume").encode()
            )
            try:
                await application.bot.send_message(
                    int(deadline.user_key),
                    word("reminder", prompt.language),
                    reply_markup=InlineKeyboardMarkup([[button]]),
                )
                sent += 1
            except (Forbidden, BadRequest) as exc:  # blocked the bot, or the chat is gone
                log.info("reminder not delivered: %s", type(exc).__name__)
        await channel.call(store.mark_deadline_done, deadline.id)
    return sent


async def remind(application: TelegramApp, stop: asyncio.Event, every: float = CHECK_EVERY) -> None:
    """Check the deadlines every ``every`` seconds until ``stop``; failures wait for the next."""
    while not stop.is_set():
        try:
            await send_due_reminders(application)
        except Exception as exc:  # a database or network hiccup: the rows are still due
            log.warning("reminders skipped this round: %s", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
