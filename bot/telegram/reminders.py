"""Reminders for unfinished interviews, read from the deadlines table (a restart loses none).

The intake re-arms a conversation's deadline with every answer; this loop asks what is due,
claims each deadline, then sends one reminder with a Continue button in the conversation's
language. Claimed before sent: of several bot processes exactly one sends it, and a crash in
between loses that reminder rather than sending it twice. The same loop forgets processed
update ids once they are too old to be delivered again.
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
from bot.telegram.pacing import BULK
from bot.telegram.words import word
from flows import message

log = logging.getLogger(__name__)

CHECK_EVERY = 60.0
"""Seconds between two looks at the deadlines table."""
BATCH = 100
PRUNE_EVERY = 3600.0
"""Seconds between two prunings of the processed update ids."""
KEEP_UPDATES = dt.timedelta(days=7)
"""Telegram keeps an unconfirmed update for 24 hours; a week is ample for any redelivery."""


async def send_due_reminders(application: TelegramApp, now: dt.datetime | None = None) -> int:
    """Send every reminder due at ``now`` that this process claims; returns how many."""
    channel = application_channel(application)
    intake = channel.intake
    due = await channel.call(intake.due_reminders, CHANNEL, now, BATCH)
    sent = 0
    for reminder in due:
        if not await channel.call(intake.claim_reminder, reminder, now):
            continue  # another process took it, or an answer re-armed it meanwhile
        prompt = await channel.call(intake.prompt, CHANNEL, reminder.user_key)
        if prompt is None or prompt.is_end:
            continue
        button = InlineKeyboardButton(
            message("nav.continue", prompt.language), callback_data=Press("resume").encode()
        )
        try:
            await application.bot.send_message(
                int(reminder.user_key),
                word("reminder", prompt.language),
                reply_markup=InlineKeyboardMarkup([[button]]),
                rate_limit_args=BULK,  # started by the bot: Telegram's bulk limit applies
            )
            sent += 1
        except (Forbidden, BadRequest) as exc:  # blocked the bot, or the chat is gone
            log.info("reminder not delivered: %s", type(exc).__name__)
    return sent


async def prune_processed_updates(application: TelegramApp) -> int:
    """Forget the update ids older than ``KEEP_UPDATES``; returns how many."""
    channel = application_channel(application)
    return await channel.call(channel.intake.prune_updates, KEEP_UPDATES)


async def remind(
    application: TelegramApp,
    stop: asyncio.Event,
    every: float = CHECK_EVERY,
    *,
    prune_every: float = PRUNE_EVERY,
) -> None:
    """Check the deadlines every ``every`` seconds, and prune every ``prune_every``, until
    ``stop``; a failure waits for the next round."""
    clock = asyncio.get_running_loop().time
    pruned_at: float | None = None
    while not stop.is_set():
        try:
            await send_due_reminders(application)
        except Exception as exc:  # a database or network hiccup: the rows are still due
            log.warning("reminders skipped this round: %s", type(exc).__name__)
        if pruned_at is None or clock() - pruned_at >= prune_every:
            try:
                pruned = await prune_processed_updates(application)
                pruned_at = clock()
                log.info("forgot %d processed update id(s)", pruned)
            except Exception as exc:  # the database is down: try again next round
                log.warning("pruning skipped this round: %s", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
