"""Interviews stay in the claimant's own private chat, and a redelivered update is answered once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.intake import IntakeService
from bot.telegram import CHANNEL
from tests.bot.conftest import RunningBot
from tests.bot.interviews import QUESTIONS_KO, start_korean, typical_korean
from tests.bot.webhook_claimant import WebhookClaimant, start_webhook_bot
from tests.fakes import FakeBotApi

pytestmark = pytest.mark.telegram

ME = 7001
OTHER = 7002


@pytest.fixture
async def hooked(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str
) -> AsyncIterator[RunningBot]:
    running = await start_webhook_bot(fake, intake, sqlite_url)
    yield running
    await running.stop()


def sent_calls(fake: FakeBotApi) -> int:
    methods = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument")
    return sum(len(fake.calls_of(method)) for method in methods)


async def test_a_redelivered_submit_after_the_case_was_filed_gets_no_reply(
    hooked: RunningBot,
) -> None:
    me = WebhookClaimant(hooked.fake, ME)
    await typical_korean(me)
    submit = me.pushed[-1]
    before = me.fake.bot_messages(ME)
    calls = sent_calls(me.fake)

    await me.redeliver(submit)

    assert me.fake.bot_messages(ME) == before, "not told 'you have no open report'"
    assert sent_calls(me.fake) == calls
    assert QUESTIONS_KO["submitted"] in me.last.content
    assert me.fake.callback_answer(submit) is not None, "the spinner was stopped once"


async def test_a_redelivered_cancel_of_a_closed_interview_gets_one_answer(
    hooked: RunningBot,
) -> None:
    me = WebhookClaimant(hooked.fake, ME)
    cancel = await me.send("/cancel")
    assert "진행 중인 접수가 없습니다" in me.last.content
    await me.redeliver(cancel)
    assert len(me.fake.bot_messages(ME)) == 1


async def test_a_redelivered_sticker_gets_one_polite_word(hooked: RunningBot) -> None:
    me = WebhookClaimant(hooked.fake, ME)
    sticker = hooked.fake.push_sticker(ME)
    await me.processed(sticker)
    await me.redeliver(sticker)
    assert len(me.fake.bot_messages(ME)) == 1


async def _at_the_services_question(running: RunningBot, user_id: int) -> WebhookClaimant:
    me = WebhookClaimant(running.fake, user_id)
    await start_korean(me)
    return me


async def test_a_press_on_a_message_of_another_chat_shows_nothing_there(
    hooked: RunningBot,
) -> None:
    fake = hooked.fake
    me = await _at_the_services_question(hooked, ME)
    other = await _at_the_services_question(hooked, OTHER)
    theirs = other.last
    mine_before = hooked.store.current(CHANNEL, str(ME))
    their_chat = fake.chat(OTHER)
    # My press, on a message that lies in the other claimant's chat (a forged update).
    forged = fake.push_callback(
        ME, theirs.message_id, theirs.callback_data("카카오톡"), chat_id=OTHER
    )
    await me.processed(forged)

    assert fake.chat(OTHER) == their_chat, "nothing of my conversation shown in their chat"
    assert hooked.store.current(CHANNEL, str(ME)) == mine_before, "my interview did not move"
    assert fake.callback_answer(forged) is not None, "the spinner stopped"


def _forged_message(user_id: int, chat: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "message": {
            "message_id": 1,
            "date": 0,
            "from": {"id": user_id, "is_bot": False, "first_name": "X", "language_code": "ko"},
            "chat": chat,
            "text": text,
        }
    }


@pytest.mark.parametrize(
    "chat",
    [
        {"id": OTHER, "type": "private", "first_name": "Other"},  # someone else's chat
        {"id": -100_555, "type": "channel", "title": "A channel"},
    ],
)
async def test_a_message_in_a_chat_that_is_not_my_own_is_refused(
    hooked: RunningBot, chat: dict[str, Any]
) -> None:
    fake = hooked.fake
    me = await _at_the_services_question(hooked, ME)
    mine_before = hooked.store.current(CHANNEL, str(ME))
    calls = sent_calls(fake)
    update = fake.push_raw(_forged_message(ME, chat, "/start"))
    await me.processed(update)
    assert sent_calls(fake) == calls, "no reply anywhere"
    assert hooked.store.current(CHANNEL, str(ME)) == mine_before


async def test_a_press_in_a_group_chat_is_refused(hooked: RunningBot) -> None:
    fake = hooked.fake
    me = await _at_the_services_question(hooked, ME)
    question = me.last
    mine_before = hooked.store.current(CHANNEL, str(ME))
    group = {"id": -100_999, "type": "supergroup", "title": "Group"}
    message = {"message_id": question.message_id, "date": 0, "chat": group, "text": "?"}
    message["from"] = fake.bot_user
    message["reply_markup"] = {
        "inline_keyboard": [
            [{"text": "카카오톡", "callback_data": question.callback_data("카카오톡")}]
        ]
    }
    calls = sent_calls(fake)
    update = fake.push_raw(
        {
            "callback_query": {
                "id": "77",
                "from": {"id": ME, "is_bot": False, "first_name": "X"},
                "message": message,
                "chat_instance": "1",
                "data": question.callback_data("카카오톡"),
            }
        }
    )
    await me.processed(update)
    assert sent_calls(fake) == calls
    assert fake.bot_messages(-100_999) == []
    assert hooked.store.current(CHANNEL, str(ME)) == mine_before
