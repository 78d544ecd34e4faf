"""PostgreSQL refusing, then stalling: the webhook answers 503 in bounded time, then recovers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.engine import make_url

from bot.telegram import CHANNEL
from storage import upgrade
from tests.bot.conftest import RunningBot, make_intake, make_settings, start_bot
from tests.bot.interviews import QUESTIONS_KO
from tests.bot.webhook_claimant import SECRET, WebhookClaimant, free_port
from tests.fakes import FakeBotApi
from tests.fakes.stalling_proxy import StallingProxy

pytestmark = [pytest.mark.postgres, pytest.mark.telegram]

ANSWER_WITHIN = 15.0
"""Telegram waits about a minute for a webhook; the bot must answer well before that."""
USER = 9501


@pytest.fixture
def proxy(postgres_url: str) -> tuple[StallingProxy, str]:
    upgrade(postgres_url)  # straight to the database: only the bot goes through the proxy
    url = make_url(postgres_url)
    with StallingProxy(url.host or "127.0.0.1", url.port or 5432) as running:
        yield (
            running,
            url.set(host="127.0.0.1", port=running.port).render_as_string(hide_password=False),
        )


@pytest.fixture
async def hooked(fake: FakeBotApi, proxy: tuple[StallingProxy, str]) -> AsyncIterator[RunningBot]:
    _, url = proxy
    intake = make_intake(url)
    port = free_port()
    settings = make_settings(
        fake,
        url,
        webhook_url=f"http://127.0.0.1:{port}/telegram",
        webhook_secret=SECRET,
        webhook_port=port,
    )
    running = await start_bot(fake, intake, settings, webhook=True)
    yield running
    await running.stop()
    await asyncio.to_thread(intake.store.close)


async def deliver(fake: FakeBotApi, update_id: int) -> int:
    """One delivery; httpx raises if the webhook has not answered within ANSWER_WITHIN."""
    response = await fake.adeliver(update_id=update_id, secret=SECRET, timeout=ANSWER_WITHIN)
    return response.status_code


@pytest.mark.parametrize("fault", ["stall", "refuse"])
async def test_a_stalled_or_refusing_database_gets_503_then_the_update_applies_once(
    hooked: RunningBot, proxy: tuple[StallingProxy, str], fault: str
) -> None:
    fake = hooked.fake
    broken, _ = proxy
    me = WebhookClaimant(fake, USER)
    await me.send("/start")
    question = me.last
    press = fake.push_callback(USER, question.message_id, question.callback_data("한국어"))

    broken.stall() if fault == "stall" else broken.refuse()
    assert await deliver(fake, press) == 503, "refused in time: Telegram will deliver again"
    assert fake.pending_update_ids() == [press]
    assert await deliver(fake, press) == 503, "and again, while the database is away"

    broken.resume()  # recovers by itself: no restart, no operator
    statuses: list[int] = []

    async def recovered() -> bool:
        statuses.append(await deliver(fake, press))
        return statuses[-1] == 200

    for _ in range(20):  # a few more deliveries, as Telegram would make them
        if await recovered():
            break
        await asyncio.sleep(0.5)
    assert statuses[-1] == 200, statuses
    stored = await asyncio.to_thread(hooked.store.current, CHANNEL, str(USER))
    assert stored is not None and stored.state.step == "consent", "applied"
    assert stored.state.answers == {"language": "ko"}
    assert QUESTIONS_KO["consent"] in me.last.content
    consent_questions = [m for m in me.messages if QUESTIONS_KO["consent"] in m.content]
    assert len(consent_questions) == 1, "applied and shown once"

    await me.press("동의합니다")  # and the interview simply goes on
    assert QUESTIONS_KO["services"] in me.last.content


async def test_health_stays_up_while_the_database_stalls(
    hooked: RunningBot, proxy: tuple[StallingProxy, str]
) -> None:
    broken, _ = proxy
    broken.stall()
    async with httpx.AsyncClient(timeout=ANSWER_WITHIN) as client:
        response = await client.get(f"http://127.0.0.1:{hooked.settings.webhook_port}/healthz")
    assert response.text == "ok"
    broken.resume()
