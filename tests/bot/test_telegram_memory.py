"""State belongs in the database: nothing the bot keeps in memory grows with every user."""

from __future__ import annotations

from pathlib import Path

from telegram import Update

from bot.intake import IntakeService
from bot.rehearsal.bot_api import TOKEN, InMemoryBotApi
from bot.rehearsal.claimants import Updates
from bot.settings import Settings
from bot.telegram import build_application
from bot.telegram.channel import application_channel
from bot.telegram.processing import process_fully
from bot.telegram.questions import OpenQuestions, QuestionMessage
from flows import load_flows
from storage import Store

USERS = range(9_100_000, 9_100_012)


async def test_the_application_keeps_nothing_per_user_after_their_updates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    settings = Settings(_env_file=None, database_url=url, telegram_bot_token=TOKEN)  # type: ignore[call-arg]
    api, updates = InMemoryBotApi(), Updates()
    with Store(url, sqlite_synchronous="NORMAL") as store:
        intake = IntakeService(store, load_flows().values(), settings.default_flow)
        application = build_application(settings, intake, request=api)
        async with application:
            for user_id in USERS:
                start = Update.de_json(updates.message(user_id, "/start"), application.bot)
                assert await process_fully(application, start)
                question = api.with_button(user_id, "한국어")
                assert question is not None, "the language question"
                data = question.data_of("한국어")
                assert data is not None
                press = updates.press(user_id, api.message_of(user_id, question), data)
                assert await process_fully(application, Update.de_json(press, application.bot))
            # python-telegram-bot 22 marks every update's user and chat for a persistence
            # flush that never comes without a persistence: those sets stay empty here
            assert not application._user_ids_to_be_updated_in_persistence
            assert not application._chat_ids_to_be_updated_in_persistence
            assert len(application.user_data) == 0 and len(application.chat_data) == 0
            assert application.update_processor.active_users == 0  # type: ignore[attr-defined]
            # what is kept per user is bounded (see OpenQuestions), and the conversations
            # themselves are in the database
            assert len(application_channel(application).questions) == len(USERS)
        for user_id in USERS:
            assert store.current("telegram", str(user_id)) is not None


def test_claimants_at_the_same_question_share_one_copy_of_its_text() -> None:
    questions = OpenQuestions(capacity=10)
    text = "어떤 서비스를 이용하셨나요? " * 20
    for user_id in range(3):
        # each reply renders its own string, equal to the others but a separate object
        questions.remember(user_id, QuestionMessage(user_id, 100 + user_id, "".join(text)))
    taken = [questions.take(user_id) for user_id in range(3)]
    assert all(t is not None and t.text == text for t in taken)
    first = taken[0]
    assert first is not None
    assert all(t is not None and t.text is first.text for t in taken), "one shared copy"


def test_open_questions_forget_the_longest_idle_beyond_their_capacity() -> None:
    questions = OpenQuestions(capacity=2)
    for user_id in range(3):
        questions.remember(user_id, QuestionMessage(user_id, user_id, "q"))
    assert len(questions) == 2
    assert questions.take(0) is None and questions.take(2) is not None
