"""Every update delivered three times; Telegram answering 429 and 5xx at random."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.intake import IntakeService
from tests.bot.conftest import RunningBot
from tests.bot.interviews import typical_korean
from tests.bot.webhook_claimant import WebhookClaimant, start_webhook_bot
from tests.fakes import FakeBotApi
from tests.faults.checks import one_own_case_each

pytestmark = pytest.mark.telegram

CLAIMANTS = 6


@pytest.fixture
async def hooked(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str
) -> AsyncIterator[RunningBot]:
    running = await start_webhook_bot(
        fake, intake, sqlite_url, telegram_retry_backoff=0.05, telegram_send_retries=5
    )
    yield running
    await running.stop()


@dataclass
class ThriceClaimant(WebhookClaimant):
    """Each update is posted three times: two copies at once, then one more after the 200."""

    async def processed(self, update_id: int) -> int:
        first, second = await asyncio.gather(
            self.fake.adeliver(update_id=update_id, secret=self.secret, timeout=30),
            self.fake.adeliver(update_id=update_id, secret=self.secret, timeout=30),
        )
        self.statuses += [first.status_code, second.status_code]
        self.fake.redeliver(update_id)
        third = await self.fake.adeliver(update_id=update_id, secret=self.secret, timeout=30)
        self.statuses.append(third.status_code)
        assert self.statuses[-3:] == [200, 200, 200]
        return update_id


def description(user_id: int) -> str:
    return f"장애로 연락을 놓쳤습니다 (신고자 {user_id})"


def sends_to(fake: FakeBotApi, user_id: int) -> int:
    return sum(
        1
        for call in fake.calls_of("sendMessage")
        if call.status == 200 and int(call.params["chat_id"]) == user_id
    )


async def test_every_update_delivered_three_times_is_applied_and_answered_once(
    hooked: RunningBot,
) -> None:
    fake = hooked.fake
    reference = WebhookClaimant(fake, 9000)
    await typical_korean(reference, description=description(9000))
    expected = sends_to(fake, 9000)
    claimants = [ThriceClaimant(fake, 9001 + n) for n in range(CLAIMANTS)]
    await asyncio.gather(
        *(typical_korean(me, description=description(me.user_id)) for me in claimants)
    )
    for me in claimants:
        assert sends_to(fake, me.user_id) == expected, "no duplicate reply"
    users = [9000, *(me.user_id for me in claimants)]
    one_own_case_each(hooked.store, {uid: description(uid) for uid in users})


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_claimants_finish_while_telegram_answers_429_and_5xx_at_random(
    hooked: RunningBot,
) -> None:
    fake = hooked.fake
    reference = WebhookClaimant(fake, 9100)
    await typical_korean(reference, description=description(9100))
    expected = sends_to(fake, 9100)
    fake.fail_randomly(0.12, seed=15)
    claimants = [WebhookClaimant(fake, 9101 + n) for n in range(CLAIMANTS)]
    await asyncio.gather(
        *(typical_korean(me, description=description(me.user_id)) for me in claimants)
    )
    fake.fail_randomly(0)
    failed = [c for c in fake.calls if c.status is not None and c.status >= 429]
    assert any(c.status == 429 for c in failed) and any(c.status >= 500 for c in failed)
    for me in claimants:
        assert sends_to(fake, me.user_id) == expected, "every question once: none lost, none twice"
    users = [9100, *(me.user_id for me in claimants)]
    one_own_case_each(hooked.store, {uid: description(uid) for uid in users})
