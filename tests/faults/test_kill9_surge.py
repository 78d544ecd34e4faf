"""kill -9 at random moments while claimants proceed; restarted each time, nothing lost.

The bot runs as a real process (``python -m bot.telegram``, long polling against the fake
Bot API) and is killed with SIGKILL at random moments, then started again, until every
claimant has a case number. Afterwards: each claimant has exactly one case with their own
answers, no interview forked, and the bot's log holds none of the personal values typed.
"""

from __future__ import annotations

import asyncio
import random
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage import Store
from tests.bot.conftest import Claimant, confirmed
from tests.bot.interviews import QUESTIONS_KO, reference_in, start_korean
from tests.bot.test_telegram_durability import bot_process, polling
from tests.fakes import FakeBotApi
from tests.faults.checks import one_own_case_each

pytestmark = [pytest.mark.telegram, pytest.mark.slow]

CLAIMANTS = 12
KILLS = 6


@dataclass
class PatientClaimant(Claimant):
    """Waits as long as a restart takes for each update to be confirmed."""

    async def processed(self, update_id: int) -> int:
        await self.fake.await_for(lambda: confirmed(self.fake, update_id), timeout=90)
        return update_id


def description(user_id: int) -> str:
    return f"택시 호출이 안 되어 병원 예약을 놓쳤습니다 비밀메모{user_id}"


def phone(user_id: int) -> str:
    return f"010-{5000 + user_id % 1000:04d}-{user_id % 10000:04d}"


async def interview(me: Claimant) -> str:
    """The common path, with the phone number typed (a personal value for the log check)."""
    await start_korean(me)
    for label in (
        "카카오톡",
        "완료",
        "무료로 이용했습니다",
        "개인 이용자",
        "시간 손실·정신적 고통",
        "완료",
    ):
        await me.press(label)
    await me.send("10월 15일 오후 4시")
    await me.send(description(me.user_id))
    await me.press("건너뛰기")
    await me.send(phone(me.user_id))
    assert QUESTIONS_KO["confirm"] in me.last.content
    await me.press("제출")
    return reference_in(me.last.content)


async def test_kill_9_at_random_moments_loses_no_answer_and_duplicates_no_case(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    database_url = f"sqlite:///{tmp_path / 'bot.db'}"
    log = tmp_path / "bot.log"
    rng = random.Random(15)
    process = bot_process(fake, database_url, tmp_path, log)
    await polling(fake, process)
    claimants = [PatientClaimant(fake, 20_001 + n) for n in range(CLAIMANTS)]
    done = asyncio.Event()
    kills = 0

    async def killer() -> None:
        nonlocal process, kills
        while not done.is_set() and kills < KILLS:
            await asyncio.sleep(rng.uniform(0.3, 2.0))
            if done.is_set():
                break
            process.kill()
            assert await asyncio.to_thread(process.wait, 10) == -signal.SIGKILL
            kills += 1
            process = bot_process(fake, database_url, tmp_path, log)
            await polling(fake, process)

    async def everyone() -> list[str]:
        try:
            return await asyncio.gather(*(interview(me) for me in claimants))
        finally:
            done.set()

    try:
        references, _ = await asyncio.gather(everyone(), killer())
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(process.wait, 20)
    assert kills >= 1, "the bot was killed while claimants went on"
    assert len(set(references)) == CLAIMANTS
    with Store(database_url) as store:
        one_own_case_each(store, {me.user_id: description(me.user_id) for me in claimants})
    written = log.read_text()
    assert "Traceback" not in written
    for me in claimants:
        assert description(me.user_id) not in written and phone(me.user_id) not in written
        assert f"비밀메모{me.user_id}" not in written
