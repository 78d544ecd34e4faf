"""What every Telegram handler needs: the intake service and this channel's own small state."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from telegram import Update
from telegram.ext import Application, CallbackContext

from bot.intake import IntakeService
from bot.telegram.questions import OpenQuestions
from bot.telegram.storage_calls import StorageCalls

CHANNEL = "telegram"
"""The channel name under which conversations and cases are stored."""
BOT_DATA_KEY = "complaintbot"

P = ParamSpec("P")
T = TypeVar("T")


class RecentUpdates:
    """A bounded set of update ids (the newest ``capacity``): enough to recognise redeliveries,
    which come within minutes, without growing with every update ever seen."""

    def __init__(self, capacity: int = 100_000) -> None:
        self._capacity = capacity
        self._ids: OrderedDict[int, None] = OrderedDict()

    def add(self, update_id: int) -> None:
        self._ids[update_id] = None
        self._ids.move_to_end(update_id)
        while len(self._ids) > self._capacity:
            self._ids.popitem(last=False)

    def discard(self, update_id: int) -> None:
        self._ids.pop(update_id, None)

    def __contains__(self, update_id: object) -> bool:
        return update_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)


@dataclass
class TelegramChannel:
    """Shared by the handlers of one Application (kept in ``application.bot_data``)."""

    intake: IntakeService
    questions: OpenQuestions = field(default_factory=OpenQuestions)
    retry_later: set[int] = field(default_factory=set)
    """Update ids whose processing hit a storage outage: Telegram must deliver them again."""
    finished: RecentUpdates = field(default_factory=RecentUpdates)
    """Update ids this process has processed to the end: a redelivery of one needs no reply."""
    interrupted: RecentUpdates = field(default_factory=RecentUpdates)
    """Commands recorded as handled whose handler then met a storage outage: run them again."""

    storage_timeout: float | None = None
    """Seconds without progress after which storage counts as stalled and waiting calls give
    up (TimeoutError: the webhook answers 503, polling keeps the update). None: never."""
    _calls: StorageCalls | None = field(default=None, init=False, repr=False)

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a synchronous intake/storage call off the event loop (see ``storage_calls``)."""
        if self._calls is None:
            self._calls = StorageCalls(self.storage_timeout)
        return await self._calls.call(fn, *args, **kwargs)

    async def take(
        self, fn: Callable[P, bool], give_back: Callable[[], object], *args: P.args,
        **kwargs: P.kwargs,
    ) -> bool:  # fmt: skip
        """``call`` for a call that takes a lock: given back if the caller gives up on it."""
        if self._calls is None:
            self._calls = StorageCalls(self.storage_timeout)
        return await self._calls.take(fn, give_back, *args, **kwargs)


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
