"""Many claimants at once: all served side by side, each one's messages in order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Update

from bot.telegram.ordering import PerUserOrder
from tests.bot.conftest import RunningBot, make_intake, make_settings, start_bot
from tests.bot.interviews import BURST_KO, BURST_STEPS, QUESTIONS_KO, reference_in
from tests.fakes import FakeBotApi

pytestmark = pytest.mark.telegram

CLAIMANTS = 50


@pytest.fixture
async def any_db_bot(fake: FakeBotApi, database_url: str) -> AsyncIterator[RunningBot]:
    intake = make_intake(database_url)
    running = await start_bot(fake, intake, make_settings(fake, database_url))
    yield running
    await running.stop()
    intake.store.close()


async def test_fifty_claimants_typing_without_waiting_all_finish_in_order(
    any_db_bot: RunningBot,
) -> None:
    fake = any_db_bot.fake
    users = [10_000 + n for n in range(CLAIMANTS)]
    # Everyone types the whole interview at once, interleaved: a user's answers only land
    # on the right questions if that user's updates are handled one at a time, in order.
    for number, line in enumerate(BURST_KO):
        for user in users:
            text = line.replace("{n}", str(user)) if number == 8 else line
            fake.push_message(user, text, language_code="")  # a client that names no language

    def finished() -> bool:
        return all(
            (last := fake.last_bot_message(user)) is not None
            and QUESTIONS_KO["submitted"] in last.content
            for user in users
        )

    await fake.await_for(finished, timeout=90)
    references = set()
    for user in users:
        messages = fake.bot_messages(user)
        assert len(messages) == len(BURST_STEPS), [m.content[:30] for m in messages]
        for message, step in zip(messages, BURST_STEPS, strict=True):
            assert QUESTIONS_KO[step] in message.content, (user, step, message.content[:60])
        references.add(reference_in(messages[-1].content))
        case = any_db_bot.store.case(reference_in(messages[-1].content))
        assert case is not None and case.user_key == str(user)
        assert case.answers["description"].endswith(f"#{user}")
    assert len(references) == CLAIMANTS


async def test_one_user_waits_for_their_previous_update_others_do_not() -> None:
    order = PerUserOrder()
    events: list[str] = []
    release = asyncio.Event()

    def update(update_id: int, user: int) -> Update:
        return Update.de_json(
            {
                "update_id": update_id,
                "message": {
                    "message_id": update_id,
                    "date": 0,
                    "chat": {"id": user, "type": "private"},
                    "from": {"id": user, "is_bot": False, "first_name": "T"},
                    "text": "x",
                },
            },
            None,
        )

    async def work(name: str, wait: bool = False) -> None:
        events.append(f"start {name}")
        if wait:
            await release.wait()
        events.append(f"end {name}")

    first = asyncio.create_task(order.process_update(update(1, 7), work("a1", wait=True)))
    second = asyncio.create_task(order.process_update(update(2, 7), work("a2")))
    other = asyncio.create_task(order.process_update(update(3, 8), work("b1")))
    await other
    assert events == ["start a1", "start b1", "end b1"], "user 8 did not wait for user 7"
    assert order.active_users == 1
    release.set()
    await asyncio.gather(first, second)
    assert events[3:] == ["end a1", "start a2", "end a2"]
    assert order.active_users == 0, "locks of idle users are dropped"
