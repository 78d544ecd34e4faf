"""A claimant whose updates reach the bot through its webhook, delivered one at a time."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any

from bot.intake import IntakeService
from tests.bot.conftest import Claimant, RunningBot, make_settings, start_bot
from tests.fakes import FakeBotApi

SECRET = "webhook_Secret-123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class WebhookClaimant(Claimant):
    """``send``/``press`` return once the webhook answered the delivery (it answers 200 only
    after processing); ``statuses`` keeps every answer."""

    secret: str = SECRET

    def __post_init__(self) -> None:
        self.statuses: list[int] = []

    async def processed(self, update_id: int) -> int:
        response = await self.fake.adeliver(update_id=update_id, secret=self.secret, timeout=30)
        self.statuses.append(response.status_code)
        assert response.status_code == 200, f"webhook answered {response.status_code}"
        return update_id

    async def redeliver(self, update_id: int) -> int:
        """Telegram delivers ``update_id`` once more (its 200 was lost, or the bot died)."""
        self.fake.redeliver(update_id)
        return await self.processed(update_id)


async def start_webhook_bot(
    fake: FakeBotApi, intake: IntakeService, database_url: str, **overrides: Any
) -> RunningBot:
    """The real bot behind our own webhook on a free local port, with the test secret."""
    port = free_port()
    settings = make_settings(
        fake,
        database_url,
        webhook_url=f"http://127.0.0.1:{port}/telegram",
        webhook_secret=SECRET,
        webhook_listen="127.0.0.1",
        webhook_port=port,
        **overrides,
    )
    return await start_bot(fake, intake, settings, webhook=True)
