"""Fixtures for the Telegram channel: the fake Bot API server, a real Store, the real bot.

The bot runs in the test's event loop through ``bot.telegram.serve`` (our polling loop over
python-telegram-bot's real Application and HTTP stack); the fake serves on its own thread.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import BaseRateLimiter

from bot.intake import IntakeService
from bot.settings import Settings
from bot.telegram import serve
from flows import load_flows
from storage import Store, upgrade
from tests.fakes import ChatMessage, FakeBotApi

OPERATOR = 900_001
DEFAULT_FLOW = "kakao-outage-2022"


def make_settings(fake: FakeBotApi, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "telegram_bot_token": fake.token,
        "telegram_api_base_url": fake.base_url,
        "telegram_file_base_url": fake.base_file_url,
        "operator_ids": frozenset({OPERATOR}),
        "export_dir": tempfile.mkdtemp(prefix="complaintbot-exports-"),
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


def make_intake(database_url: str, *, reminder_after: dt.timedelta | None = None) -> IntakeService:
    upgrade(database_url)
    kwargs = {"reminder_after": reminder_after} if reminder_after is not None else {}
    store = Store(database_url, **kwargs)
    return IntakeService(store, load_flows().values(), DEFAULT_FLOW)


@dataclass
class RunningBot:
    """One bot process-in-a-task; ``stop()`` ends it the way SIGTERM does."""

    fake: FakeBotApi
    intake: IntakeService
    settings: Settings
    task: asyncio.Task[None]
    stop_event: asyncio.Event

    @property
    def store(self) -> Store:
        return self.intake.store

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.wait_for(self.task, 20)


async def start_bot(
    fake: FakeBotApi,
    intake: IntakeService,
    settings: Settings,
    *,
    webhook: bool = False,
    reminder_every: float = 3600.0,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> RunningBot:
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(
            settings,
            intake,
            webhook=webhook,
            stop=stop,
            reminder_every=reminder_every,
            poll_timeout=10,
            rate_limiter=rate_limiter,  # None: the product's own pacing from settings
        )
    )
    running = RunningBot(fake, intake, settings, task, stop)

    def ready() -> bool:
        if task.done():
            task.result()  # raise what made it fail
        if webhook:
            return fake.webhook_url == settings.webhook_url
        return fake.pending_polls > 0

    await fake.await_for(ready, timeout=20)
    return running


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'complaintbot.db'}"


@pytest.fixture
def intake(sqlite_url: str) -> Iterator[IntakeService]:
    service = make_intake(sqlite_url)
    yield service
    service.store.close()


@pytest.fixture
async def bot(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str
) -> AsyncIterator[RunningBot]:
    running = await start_bot(fake, intake, make_settings(fake, sqlite_url))
    yield running
    await running.stop()


@dataclass
class Claimant:
    """A Telegram user talking to the bot through the fake server."""

    fake: FakeBotApi
    user_id: int
    language_code: str = ""
    """The client's language setting; "" (unknown) asks the flow's language question."""
    pushed: list[int] = field(default_factory=list)

    async def send(self, text: str) -> int:
        """Type ``text`` and wait until the bot has processed it."""
        return await self.processed(self.push(text))

    def push(self, text: str) -> int:
        update_id = self.fake.push_message(self.user_id, text, language_code=self.language_code)
        self.pushed.append(update_id)
        return update_id

    async def press(self, label: str, message: ChatMessage | None = None) -> int:
        """Press the button labelled ``label`` on ``message`` (default: the newest with it)."""
        target = message or self.message_with_button(label)
        data = target.callback_data(label)
        update_id = self.fake.push_callback(
            self.user_id, target.message_id, data, language_code=self.language_code
        )
        self.pushed.append(update_id)
        return await self.processed(update_id)

    async def photo(self, **kwargs: Any) -> int:
        update_id = self.fake.push_photo(self.user_id, language_code=self.language_code, **kwargs)
        return await self.processed(update_id)

    async def processed(self, update_id: int) -> int:
        """Wait until the bot confirmed ``update_id`` (it asks for the next offset only then)."""
        await self.fake.await_for(lambda: confirmed(self.fake, update_id))
        return update_id

    def message_with_button(self, label: str) -> ChatMessage:
        for message in reversed(self.fake.bot_messages(self.user_id)):
            try:
                message.callback_data(label)
            except LookupError:
                continue
            return message
        raise LookupError(f"no bot message with a button {label!r}: {self.transcript()}")

    @property
    def messages(self) -> list[ChatMessage]:
        return self.fake.bot_messages(self.user_id)

    @property
    def last(self) -> ChatMessage:
        message = self.fake.last_bot_message(self.user_id)
        assert message is not None, "the bot has said nothing yet"
        return message

    def transcript(self) -> str:
        return "\n---\n".join(
            f"#{m.message_id}: {m.content} {m.button_texts()}" for m in self.messages
        )


async def eventually(predicate: Callable[[], object], timeout: float = 30.0) -> None:
    """Wait for a condition outside the fake (database state), checking every 10 ms."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, f"not true within {timeout}s: {predicate}"
        await asyncio.sleep(0.01)


def confirmed(fake: FakeBotApi, update_id: int) -> bool:
    """The bot polled with an offset past ``update_id``: it has processed it."""
    return any(
        int(call.params.get("offset") or 0) > update_id for call in fake.calls_of("getUpdates")
    )


@pytest.fixture
def claimant(fake: FakeBotApi) -> Callable[..., Claimant]:
    def make(user_id: int = 1001, language_code: str = "") -> Claimant:
        return Claimant(fake, user_id, language_code)

    return make
