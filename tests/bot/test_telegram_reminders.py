"""Reminders come from deadline rows in the database, so a restarted bot still sends them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from bot.intake import IntakeService
from tests.bot.conftest import Claimant, eventually, make_intake, make_settings, start_bot
from tests.bot.interviews import QUESTIONS_KO, start_korean, typical_korean
from tests.fakes import FakeBotApi

pytestmark = pytest.mark.telegram

REMINDER_KO = "작성하시던 피해 접수가 아직 끝나지 않았습니다."
REMINDER_EN = "Your damage report is not finished yet."


@pytest.fixture
def due_at_once(sqlite_url: str) -> Iterator[IntakeService]:
    """Every unfinished interview is due for its reminder right after each answer."""
    service = make_intake(sqlite_url, reminder_after=dt.timedelta(0))
    yield service
    service.store.close()


def reminders(fake: FakeBotApi, user_id: int) -> list[str]:
    return [
        m.content
        for m in fake.bot_messages(user_id)
        if m.content.startswith((REMINDER_KO, REMINDER_EN))
    ]


async def test_reminder_is_re_armed_from_the_database_after_a_restart(
    fake: FakeBotApi, due_at_once: IntakeService, sqlite_url: str, claimant
) -> None:
    settings = make_settings(fake, sqlite_url)
    first = await start_bot(fake, due_at_once, settings, reminder_every=3600)
    korean: Claimant = claimant(7001)
    await start_korean(korean)
    english: Claimant = claimant(7002, language_code="en")
    await english.send("/start")
    await english.press("English")
    finished: Claimant = claimant(7003)
    await typical_korean(finished)
    await first.stop()
    assert reminders(fake, korean.user_id) == [], "the first bot never looked again"

    second = await start_bot(fake, due_at_once, settings, reminder_every=3600)
    try:
        await fake.await_for(lambda: reminders(fake, korean.user_id))
        await fake.await_for(lambda: reminders(fake, english.user_id))
        await eventually(lambda: not due_at_once.store.due_deadlines())
        assert reminders(fake, finished.user_id) == [], "a filed interview is not reminded"
        assert korean.last.button_texts() == ["다음"]
        assert english.last.button_texts() == ["Continue"]
        await english.press("Continue")
        assert "we collect and use personal information" in english.last.content
        assert english.last.buttons and not english.messages[-2].buttons
        await korean.press("다음")
        assert QUESTIONS_KO["services"] in korean.last.content
    finally:
        await second.stop()
    assert len(reminders(fake, korean.user_id)) == 1 and len(reminders(fake, english.user_id)) == 1


async def test_reminder_loop_sends_once_per_deadline(
    fake: FakeBotApi, due_at_once: IntakeService, sqlite_url: str, claimant
) -> None:
    running = await start_bot(
        fake, due_at_once, make_settings(fake, sqlite_url), reminder_every=0.05
    )
    try:
        me: Claimant = claimant(7101)
        await me.send("/start")
        await fake.await_for(lambda: reminders(fake, me.user_id))
        await eventually(lambda: not due_at_once.store.due_deadlines())
        # Another round of the loop finds nothing more to send for this deadline.
        rounds = len(fake.calls_of("sendMessage"))
        await me.press("한국어")  # an answer re-arms the deadline: one more reminder, later
        await fake.await_for(lambda: len(reminders(fake, me.user_id)) == 2)
        assert len(fake.calls_of("sendMessage")) == rounds + 2
    finally:
        await running.stop()
