"""Reminders come from deadline rows in the database, so a restarted bot still sends them."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.intake import IntakeService
from bot.telegram import CHANNEL, build_application
from bot.telegram.reminders import send_due_reminders
from storage.tables import ProcessedUpdateRow
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


async def test_two_bot_processes_reading_the_same_due_reminder_send_it_once(
    fake: FakeBotApi,
    due_at_once: IntakeService,
    sqlite_url: str,
    claimant,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = make_settings(fake, sqlite_url)
    running = await start_bot(fake, due_at_once, settings, reminder_every=3600)
    me: Claimant = claimant(7301)
    try:
        await me.send("/start")
    finally:
        await running.stop()
    # Two processes whose loops both read the deadline before either acts on it.
    both_read = threading.Barrier(2, timeout=10)
    processes = [make_intake(sqlite_url, reminder_after=dt.timedelta(0)) for _ in range(2)]
    for process in processes:

        def read_together(*args: Any, read: Any = process.store.due_deadlines, **kw: Any) -> Any:
            due = read(*args, **kw)
            both_read.wait()
            return due

        monkeypatch.setattr(process.store, "due_deadlines", read_together)
    first, second = (build_application(settings, process) for process in processes)
    try:
        async with first, second:
            sent = await asyncio.gather(send_due_reminders(first), send_due_reminders(second))
    finally:
        for process in processes:
            process.store.close()
    assert sorted(sent) == [0, 1]
    assert len(reminders(fake, me.user_id)) == 1


def update_keys(intake: IntakeService) -> set[str]:
    table = ProcessedUpdateRow.__table__
    with intake.store.engine.connect() as conn:
        return set(conn.execute(select(table.c.update_key)).scalars())


async def test_the_reminder_loop_prunes_old_update_ids_once_an_hour(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = dt.datetime.now(dt.UTC)
    intake.store.record_update(CHANNEL, "old", now=now - dt.timedelta(days=8))
    intake.store.record_update(CHANNEL, "recent", now=now - dt.timedelta(days=6))
    rounds: list[int] = []
    look = intake.due_reminders

    def counted(*args: Any, **kwargs: Any) -> Any:
        rounds.append(1)
        return look(*args, **kwargs)

    monkeypatch.setattr(intake, "due_reminders", counted)
    running = await start_bot(fake, intake, make_settings(fake, sqlite_url), reminder_every=0.02)
    try:
        await eventually(lambda: update_keys(intake) == {"recent"})
        intake.store.record_update(CHANNEL, "old again", now=now - dt.timedelta(days=8))
        seen = len(rounds)
        await eventually(lambda: len(rounds) >= seen + 3)
        assert "old again" in update_keys(intake), "pruned at most once an hour"
    finally:
        await running.stop()
