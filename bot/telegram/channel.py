"""What every Telegram handler needs: the intake service and this channel's own small state."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from telegram import Update
from telegram.ext import Application, CallbackContext

from bot.intake import IntakeService
from bot.telegram.questions import OpenQuestions

CHANNEL = "telegram"
"""The channel name under which conversations and cases are stored."""
BOT_DATA_KEY = "complaintbot"

P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class TelegramChannel:
    """Shared by the handlers of one Application (kept in ``application.bot_data``)."""

    intake: IntakeService
    questions: OpenQuestions = field(default_factory=OpenQuestions)
    retry_later: set[int] = field(default_factory=set)
    """Update ids whose processing hit a storage outage: Telegram must deliver them again."""

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a synchronous intake/storage call off the event loop."""
        return await asyncio.to_thread(fn, *args, **kwargs)


def attach(
    application: Application[Any, Any, Any, Any, Any, Any], channel: TelegramChannel
) -> None:
    application.bot_data[BOT_DATA_KEY] = channel


def channel_of(context: CallbackContext[Any, Any, Any, Any]) -> TelegramChannel:
    return context.application.bot_data[BOT_DATA_KEY]


def application_channel(application: Application[Any, Any, Any, Any, Any, Any]) -> TelegramChannel:
    return application.bot_data[BOT_DATA_KEY]


def user_key(update: Update) -> str:
    """Conversations are keyed by the Telegram user id (never by name or phone)."""
    assert update.effective_user is not None
    return str(update.effective_user.id)


def update_key(update: Update, suffix: str = "") -> str:
    """The redelivery key: the same update_id is applied once."""
    return f"{update.update_id}{suffix}"
