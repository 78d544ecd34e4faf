"""A slow or refusing Bot API strands nobody: timeouts are retried, then the current question."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.intake import IntakeService
from bot.telegram import CHANNEL
from bot.telegram.app import pacer
from bot.telegram.pacing import BULK, PacingLimits, ReplyPacer
from tests.bot.conftest import RunningBot, make_settings, start_bot
from tests.bot.interviews import QUESTIONS_KO, typical_korean
from tests.bot.webhook_claimant import SECRET, WebhookClaimant, free_port
from tests.fakes import FakeBotApi

pytestmark = pytest.mark.telegram

SLOW = {"telegram_read_timeout": 0.5, "telegram_retry_backoff": 0.05}
"""The bot gives up on a Bot API call after 0.5 s; the fake answers 'late' after 1.5 s."""
LATE = 1.5


async def hooked_bot(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str, **overrides: Any
) -> RunningBot:
    port = free_port()
    settings = make_settings(
        fake,
        sqlite_url,
        webhook_url=f"http://127.0.0.1:{port}/telegram",
        webhook_secret=SECRET,
        webhook_port=port,
        **(SLOW | overrides),
    )
    return await start_bot(fake, intake, settings, webhook=True, rate_limiter=pacer(settings))


@pytest.fixture
async def slow(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str
) -> AsyncIterator[RunningBot]:
    running = await hooked_bot(fake, intake, sqlite_url)
    yield running
    await running.stop()


def texts_sent(fake: FakeBotApi, needle: str) -> int:
    return sum(needle in str(c.params.get("text", "")) for c in fake.calls_of("sendMessage"))


def newest_with_buttons(me: WebhookClaimant) -> str:
    return next(m.content for m in reversed(me.messages) if m.buttons)


async def test_a_reply_that_times_out_is_sent_again(slow: RunningBot) -> None:
    fake = slow.fake
    me = WebhookClaimant(fake, 8001)
    await me.send("/start")
    fake.delay_next("sendMessage", LATE)  # the consent question: taken, answered late
    await me.press("한국어")
    assert texts_sent(fake, QUESTIONS_KO["consent"]) == 2, "timed out, then sent again"
    assert QUESTIONS_KO["consent"] in newest_with_buttons(me)
    stored = slow.store.current(CHANNEL, "8001")
    assert stored is not None and stored.state.step == "consent"


async def test_when_every_retry_times_out_the_current_question_comes_with_a_note(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str
) -> None:
    running = await hooked_bot(fake, intake, sqlite_url, telegram_send_retries=1)
    try:
        me = WebhookClaimant(fake, 8002)
        await me.send("/start")
        fake.delay_next("sendMessage", LATE, times=2, before=True)  # first try and its retry
        await me.press("한국어")
        # The answer was saved; the claimant sees the question now current, with a note.
        await fake.await_for(lambda: texts_sent(fake, "일시적인 문제") == 1)
        shown = next(m for m in reversed(me.messages) if "일시적인 문제" in m.content)
        assert QUESTIONS_KO["consent"] in shown.content and shown.buttons
        stored = running.store.current(CHANNEL, "8002")
        assert stored is not None and stored.state.step == "consent"
    finally:
        await running.stop()


async def test_claimants_on_a_randomly_slow_bot_api_all_file_their_case(slow: RunningBot) -> None:
    fake = slow.fake
    fake.delay_randomly(0.15, LATE, seed=15)
    claimants = [WebhookClaimant(fake, 8100 + n) for n in range(8)]
    references = await asyncio.gather(*(typical_korean(me) for me in claimants))
    fake.delay_randomly(0, 0)
    assert len(set(references)) == len(claimants), "every claimant got their own case number"
    assert all(QUESTIONS_KO["submitted"] in me.last.content for me in claimants)
    assert all(status == 200 for me in claimants for status in me.statuses)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_a_429_is_waited_out_for_everyone_and_the_reply_still_comes(
    slow: RunningBot,
) -> None:
    fake = slow.fake
    me, other = WebhookClaimant(fake, 8201), WebhookClaimant(fake, 8202)
    fake.fail_next("sendMessage", status=429, retry_after=1)
    mine = asyncio.create_task(me.send("/start"))
    flood = await fake.await_for(
        lambda: next((c for c in fake.calls_of("sendMessage") if c.status == 429), None)
    )
    await other.send("/start")  # comes in while the bot waits out the 429
    await mine
    sends = fake.calls_of("sendMessage")
    assert [c.status for c in sends] == [429, 200, 200], "both got their question"
    # Nobody was sent anything while Telegram asked the bot to wait.
    assert all(c.time >= flood.time + 1.0 for c in sends[1:])
    assert QUESTIONS_KO["language"] in me.last.content
    assert QUESTIONS_KO["language"] in other.last.content


async def test_a_5xx_is_retried(slow: RunningBot) -> None:
    fake = slow.fake
    me = WebhookClaimant(fake, 8301)
    fake.fail_next("sendMessage", status=500, times=2)
    await me.send("/start")
    assert [c.status for c in fake.calls_of("sendMessage")] == [500, 500, 200]
    assert QUESTIONS_KO["language"] in me.last.content


async def _entered_after_a_few_loop_turns(limiter: ReplyPacer, calls: int, args: str | None) -> int:
    """Start ``calls`` held requests at once; how many reached the Bot API (no clock used)."""
    release = asyncio.Event()
    entered = 0

    async def call() -> bool:
        nonlocal entered
        entered += 1
        await release.wait()
        return True

    tasks = [
        asyncio.create_task(
            limiter.process_request(call, (), {}, "sendMessage", {"chat_id": n}, args)
        )
        for n in range(calls)
    ]
    for _ in range(20):
        await asyncio.sleep(0)
    seen = entered
    release.set()
    await asyncio.gather(*tasks)
    return seen


async def test_replies_are_not_queued_behind_a_fixed_rate_but_bulk_sends_are() -> None:
    limiter = ReplyPacer(PacingLimits(bulk_per_second=30))
    assert await _entered_after_a_few_loop_turns(limiter, 200, None) == 200
    assert await _entered_after_a_few_loop_turns(limiter, 200, BULK) <= 31
