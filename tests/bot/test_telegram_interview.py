"""Whole interviews over Telegram: the real PTB Application, the fake Bot API, a real Store."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest

from bot.intake import IntakeService
from bot.telegram import CHANNEL
from tests.bot.conftest import Claimant, RunningBot, make_intake, make_settings, start_bot
from tests.bot.interviews import QUESTIONS_KO, reference_in, start_korean, typical_korean
from tests.fakes import FakeBotApi

pytestmark = pytest.mark.telegram


@pytest.fixture
async def any_db_bot(fake: FakeBotApi, database_url: str) -> AsyncIterator[RunningBot]:
    """The bot on SQLite and on PostgreSQL (the root conftest's database_url params)."""
    intake = make_intake(database_url)
    running = await start_bot(fake, intake, make_settings(fake, database_url))
    yield running
    await running.stop()
    intake.store.close()


async def test_korean_interview_with_buttons_files_a_case(any_db_bot: RunningBot, claimant) -> None:
    me: Claimant = claimant()
    await start_korean(me)
    await me.press("카카오톡")
    await me.press("카카오페이")
    services = me.message_with_button("완료")
    assert services.button_texts()[:3] == [
        "✅ 카카오톡",
        "카카오 T (택시·대리·주차·바이크)",
        "✅ 카카오페이",
    ]
    await me.press("완료")
    await me.press("유료로 이용했습니다")
    await me.press("소상공인·온라인 판매자")
    assert QUESTIONS_KO["business_number"] in me.last.content
    await me.send("124-81-00998")
    await me.press("금전 손해")
    await me.press("영업·수입 손실")
    await me.press("완료")
    await me.send("3만 5천원")
    await me.send("120만원")
    assert QUESTIONS_KO["lost_orders"] in me.last.content
    await me.press("건너뛰기")
    await me.send("10월 15일 오후 4시")
    await me.send("카카오페이 결제가 막혀서 주문을 받지 못했습니다.")
    await me.photo(file_size=150_000)
    await me.press("완료")
    await me.send("010-1234-5678")
    summary = me.last.content
    assert QUESTIONS_KO["confirm"] in summary
    assert "35,000원" in summary and "1,200,000원" in summary and "010-1234-5678" in summary
    await me.press("제출")
    reference = reference_in(me.last.content)

    case = any_db_bot.store.case(reference)
    assert case is not None and case.channel == CHANNEL and case.user_key == str(me.user_id)
    assert case.answers["services"] == ["kakaotalk", "kakaopay"]
    assert case.answers["harms"] == ["money_lost", "income_lost"]
    assert case.answers["money_lost_amount"] == 35000
    assert case.answers["income_lost_amount"] == 1_200_000
    assert case.answers["contact_phone"] == "+821012345678"
    assert "lost_orders" not in case.answers
    assert [a.kind for a in case.attachments] == ["photo"]
    # Each answered question shows its answer and keeps no buttons; only the end is plain.
    business = next(m for m in me.messages if QUESTIONS_KO["business_number"] in m.content)
    assert business.content.endswith("→ 124-81-00998") and not business.buttons
    assert all(not m.buttons for m in me.messages)


async def test_default_interview_message_count(bot: RunningBot, claimant, capsys) -> None:
    """One message per question: the figure that decides how many claimants a bot can serve."""
    me: Claimant = claimant()
    await typical_korean(me)
    sends = len(bot.fake.calls_of("sendMessage"))
    edits = len(bot.fake.calls_of("editMessageText")) + len(
        bot.fake.calls_of("editMessageReplyMarkup")
    )
    answers = len(bot.fake.calls_of("answerCallbackQuery"))
    presses = sum(1 for update in me.pushed if "callback_query" in bot.fake.update(update))
    questions = 11  # language .. confirm on this path
    with capsys.disabled():
        print(
            f"\n[default flow, typical path] sendMessage={sends} edits={edits} "
            f"answerCallbackQuery={answers} for {questions} questions"
        )
    assert sends == questions + 1  # every question once, and the end with the case number
    assert edits <= questions + 2  # each answered question once, plus the two toggles
    assert answers == presses  # every button press stops its spinner exactly once


async def test_english_interview_typed_and_pressed(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant(2002, language_code="en")
    await me.send("/start")  # an English client: greeted in English, not asked the language
    assert "we collect and use personal information" in me.last.content
    await me.press("I agree")
    await me.send("1, 7")  # KakaoTalk and Melon, typed
    assert "I paid" in me.last.button_texts()[0]
    await me.press("I used them for free")
    await me.send("Individual user")
    await me.press("Missed messages or appointments")
    await me.press("Done")
    assert "What messages or appointments did you miss?" in me.last.content
    await me.send("A call about a job interview never came through.")
    await me.send("16 Oct 2022 10am")
    await me.send("KakaoTalk was down for two days and I missed a job interview call.")
    await me.press("Skip")
    await me.press("Skip")
    summary = me.last.content
    assert "Please check your answers" in summary and "KakaoTalk, Melon" in summary
    await me.press("Submit")
    assert "Your damage report has been received" in me.last.content
    assert "Case number: " in me.last.content
    reference = reference_in(me.last.content)
    case = bot.store.case(reference)
    assert case is not None and case.answers["services"] == ["kakaotalk", "melon"]
    assert case.answers["started_at"].startswith("2022-10-16T10:00")


async def test_back_and_edit_from_the_summary(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant()
    await start_korean(me)
    await me.press("카카오톡")
    await me.press("완료")
    await me.press("유료로 이용했습니다")
    assert QUESTIONS_KO["claimant"] in me.last.content
    await me.press("◀ 이전")  # back to "paid", answered differently
    assert QUESTIONS_KO["paid"] in me.last.content
    await me.press("유료와 무료 모두 이용했습니다")
    await me.press("개인 이용자")
    await me.press("데이터 손실")
    await me.press("완료")
    await me.send("톡서랍에 올린 사진이 사라졌습니다")
    await me.send("2022-10-17")
    await me.send("사진을 잃어 버려서 너무 속상합니다.")
    await me.press("건너뛰기")
    await me.press("건너뛰기")
    assert "유료와 무료 모두" in me.last.content
    await me.press("유료 이용 여부")  # its Edit button on the summary
    assert QUESTIONS_KO["paid"] in me.last.content
    await me.press("무료로 이용했습니다")
    summary = me.last.content
    assert QUESTIONS_KO["confirm"] in summary, "an edit returns straight to the summary"
    assert "무료로 이용했습니다" in summary and "유료와 무료 모두" not in summary
    await me.press("제출")
    case = bot.store.case(reference_in(me.last.content))
    assert case is not None and case.answers["paid"] == "free"
    assert case.answers["data_lost_what"] == "톡서랍에 올린 사진이 사라졌습니다"


async def test_invalid_money_and_date_are_asked_again_with_a_localized_error(
    bot: RunningBot, claimant
) -> None:
    me: Claimant = claimant()
    await start_korean(me)
    await me.press("카카오페이")
    await me.press("완료")
    await me.press("유료로 이용했습니다")
    await me.press("개인 이용자")
    await me.press("금전 손해")
    await me.press("완료")
    before = len(me.messages)
    await me.send("많이요")
    retry = me.last
    assert len(me.messages) == before + 1, "the error and the question come in one message"
    assert retry.content.startswith("⚠️ 금액을 알아보지 못했습니다")
    assert QUESTIONS_KO["money_lost_amount"] in retry.content and retry.buttons
    await me.send("2만원")
    assert QUESTIONS_KO["started_at"] in me.last.content
    await me.send("2021년 3월 1일")
    assert me.last.content.startswith("⚠️ 2022-10-15 15:00 이후여야 합니다")
    await me.send("잘 모르겠어요")
    assert "날짜를 알아보지 못했습니다" in me.last.content
    assert QUESTIONS_KO["started_at"] in me.last.content
    await me.send("2022-10-16")
    assert QUESTIONS_KO["description"] in me.last.content


async def test_english_errors_are_in_english(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant(2003, language_code="en")
    await me.send("/start")
    await me.press("I agree")
    await me.press("Done")  # nothing chosen yet
    assert me.last.content.startswith("⚠️ Please choose at least 1.")
    answer = bot.fake.callback_answer(me.pushed[-1])
    assert answer is not None and answer["text"] == "Please choose at least 1."


async def test_photo_and_document_evidence_keep_file_id_size_and_kind(
    bot: RunningBot, claimant
) -> None:
    me: Claimant = claimant()
    await start_korean(me)
    await me.press("카카오톡")
    await me.press("완료")
    await me.press("무료로 이용했습니다")
    await me.press("개인 이용자")
    await me.press("기타")
    await me.press("완료")
    await me.send("2022-10-15 16:00")
    await me.send("사진과 문서로 증빙을 보냅니다.")
    await me.photo(file_size=250_000, file_id="AgACAgIAAxkBphoto-largest")
    receipt = me.last
    assert "파일 1/5개" in receipt.content and "완료" in receipt.button_texts()
    update = bot.fake.push_document(me.user_id, file_name="영수증.pdf", file_size=34567)
    await me.processed(update)
    assert "파일 2/5개" in me.last.content
    assert not bot.fake.chat(me.user_id)[-3].buttons, "the older receipt lost its Done button"
    await me.press("완료")
    assert QUESTIONS_KO["contact_phone"] in me.last.content
    await me.press("건너뛰기")
    assert "파일 2개" in me.last.content
    await me.press("제출")
    case = bot.store.case(reference_in(me.last.content))
    assert case is not None
    photo, document = case.attachments
    assert (photo.kind, photo.file_id, photo.size) == (
        "photo",
        "AgACAgIAAxkBphoto-largest",
        250_000,
    )
    assert (document.kind, document.name, document.size) == ("document", "영수증.pdf", 34567)
    assert document.mime_type == "application/pdf"
    # Telegram's file_unique_id is kept: the same file forwarded by another claimant has it
    # (its file_id may differ), and the same-evidence duplicate rule compares it.
    kept = [item["file_unique_id"] for item in case.answers["evidence"]]
    assert kept == [bot.fake.file(photo.file_id).file_unique_id,
                    bot.fake.file(document.file_id).file_unique_id]  # fmt: skip


async def test_stale_button_gets_a_note_and_the_current_question(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant()
    await start_korean(me)
    await me.press("카카오톡")
    await me.press("완료")
    paid = me.last
    await me.press("유료로 이용했습니다", paid)
    assert QUESTIONS_KO["claimant"] in me.last.content
    before = len(me.messages)
    # The old "paid" message as the user still had it, pressed again on another option.
    stale = bot.fake.push_callback(
        me.user_id, paid.message_id, paid.callback_data("무료로 이용했습니다")
    )
    await me.processed(stale)
    note = bot.fake.callback_answer(stale)
    assert (
        note is not None
        and note["text"] == "지난 질문의 버튼입니다. 지금 질문을 다시 보내 드립니다."
    )
    assert len(me.messages) == before + 1 and QUESTIONS_KO["claimant"] in me.last.content
    stored = bot.store.current(CHANNEL, str(me.user_id))
    assert stored is not None and stored.state.answers["paid"] == "paid", "nothing applied"
    # Only the newest copy of the question keeps buttons.
    assert sum(1 for m in me.messages if m.buttons) == 1


async def test_quick_taps_on_a_multi_choice_all_count(bot: RunningBot, claimant) -> None:
    """Two toggles pressed before the first redraw arrives both apply (same question)."""
    me: Claimant = claimant()
    await start_korean(me)
    services = me.last
    first = bot.fake.push_callback(
        me.user_id, services.message_id, services.callback_data("카카오톡")
    )
    second = bot.fake.push_callback(me.user_id, services.message_id, services.callback_data("멜론"))
    await me.processed(second)
    assert bot.fake.callback_answer(first) == {"text": None, "show_alert": False, "url": None}
    stored = bot.store.current(CHANNEL, str(me.user_id))
    assert stored is not None and stored.state.pending == ["kakaotalk", "melon"]
    assert {"✅ 카카오톡", "✅ 멜론"} <= set(me.last.button_texts())


async def test_a_toggle_of_an_earlier_conversation_is_stale_in_the_next_one(
    bot: RunningBot, claimant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same question, same step id: only the turn tells the conversations apart."""
    bases = iter([1_000, 2_000])  # the old conversation's turns lie below the new one's
    monkeypatch.setattr("bot.intake.secrets", SimpleNamespace(randbelow=lambda _: next(bases)))
    me: Claimant = claimant()
    await start_korean(me)
    old = me.last
    await me.send("/cancel")
    await me.press("네, 그만둡니다")
    await start_korean(me)
    before = len(me.messages)
    press = bot.fake.push_callback(me.user_id, old.message_id, old.callback_data("카카오톡"))
    await me.processed(press)
    note = bot.fake.callback_answer(press)
    assert note is not None and note["text"] == (
        "지난 질문의 버튼입니다. 지금 질문을 다시 보내 드립니다."
    )
    stored = bot.store.current(CHANNEL, str(me.user_id))
    assert stored is not None and stored.state.step == "services"
    assert stored.state.pending == [], "nothing toggled"
    assert len(me.messages) == before + 1 and QUESTIONS_KO["services"] in me.last.content
    assert not any(text.startswith("✅") for text in me.last.button_texts())


async def test_unsupported_content_gets_a_polite_word_in_the_users_language(
    bot: RunningBot, claimant
) -> None:
    ko: Claimant = claimant(3001, language_code="ko")
    await ko.processed(bot.fake.push_sticker(ko.user_id))
    assert ko.last.content.startswith("죄송합니다. 스티커, 음성 메시지, 위치")
    en: Claimant = claimant(3002, language_code="en")
    await en.processed(bot.fake.push_raw(video_note_from(en.user_id, language_code="en")))
    assert en.last.content.startswith("Sorry, I cannot take stickers")
    # After the language step, the conversation's language wins over the client's.
    await ko.send("/start")  # a Korean client: not asked the language; /language changes it
    await ko.send("/language")
    await ko.press("English")
    await ko.processed(bot.fake.push_location(ko.user_id))
    assert ko.last.content.startswith("Sorry, I cannot take stickers")
    assert bot.store.current(CHANNEL, str(ko.user_id)) is not None


def video_note_from(user_id: int, *, language_code: str) -> dict[str, object]:
    """A round video message (the fake's push_* helpers have no English client for these)."""
    user = {"id": user_id, "is_bot": False, "first_name": "Tester", "language_code": language_code}
    return {
        "message": {
            "message_id": 1,
            "from": user,
            "chat": {"id": user_id, "type": "private", "first_name": "Tester"},
            "date": int(time.time()),
            "video_note": {
                "file_id": "DQACAgIAAxkBvideo-note",
                "file_unique_id": "AgADvideo",
                "length": 240,
                "duration": 3,
            },
        }
    }


async def test_group_chats_get_pointed_to_a_private_chat(bot: RunningBot, claimant) -> None:
    group_id = -100_777
    update = bot.fake.push_message(3100, "/start", chat_type="supergroup", chat_id=group_id)
    await claimant(3100).processed(update)
    reply = bot.fake.last_bot_message(group_id)
    assert reply is not None and "1:1 대화에서만" in reply.content
    assert "@complaint_test_bot" in reply.content
    chatter = bot.fake.push_message(3100, "안녕하세요", chat_type="supergroup", chat_id=group_id)
    await claimant(3100).processed(chatter)
    assert len(bot.fake.bot_messages(group_id)) == 1, "ordinary group messages are ignored"
    assert bot.store.current(CHANNEL, "3100") is None


async def test_start_resumes_an_open_interview(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant()
    await start_korean(me)
    await me.press("멜론")
    await me.send("/start")
    assert me.last.content.startswith("진행 중이던 접수를 이어서 합니다.")
    assert QUESTIONS_KO["services"] in me.last.content and "✅ 멜론" in me.last.button_texts()
    assert sum(1 for m in me.messages if m.buttons) == 1


async def test_long_answers_are_split_over_several_messages(
    bot: RunningBot, claimant, intake: IntakeService
) -> None:
    me: Claimant = claimant()
    await start_korean(me)
    await me.press("카카오톡")
    await me.press("완료")
    await me.press("무료로 이용했습니다")
    await me.press("개인 이용자")
    await me.press("메시지·약속을 놓침")
    await me.press("데이터 손실")
    await me.press("완료")
    await me.send("놓친 약속 " * 166)  # 996 characters, the question's limit is 1,000
    await me.send("사진 " * 333)
    await me.send("2022-10-16")
    await me.send("긴 이야기입니다. " * 199)  # 1,990 characters
    await me.press("건너뛰기")
    before = len(me.messages)
    await me.press("건너뛰기")
    summary = me.messages[before:]
    assert len(summary) == 2, "a summary over 4,096 characters comes in two messages"
    assert all(len(m.content) <= 4096 for m in summary)
    assert not summary[0].buttons and "제출" in summary[1].button_texts()


@pytest.mark.parametrize(
    ("client", "consent", "agree"),
    [("ko", QUESTIONS_KO["consent"], "동의합니다"), ("en", "personal information", "I agree")],
)
async def test_a_client_whose_language_is_known_is_not_asked_it(
    bot: RunningBot, claimant, client: str, consent: str, agree: str
) -> None:
    me: Claimant = claimant(2101, language_code=client)
    await me.send("/start")
    assert consent in me.last.content  # greeted in the client's language, at consent
    stored = bot.store.current(CHANNEL, str(me.user_id))
    assert stored is not None and stored.state.language == client
    await me.press(agree)
    await me.send("/language")  # still changes it
    await me.press("English" if client == "ko" else "한국어")
    stored = bot.store.current(CHANNEL, str(me.user_id))
    assert stored is not None and stored.state.language == ("en" if client == "ko" else "ko")


async def test_a_client_of_unknown_language_is_asked_it(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant(2102, language_code="")
    await me.send("/start")
    assert QUESTIONS_KO["language"] in me.last.content


async def test_telegram_says_press_where_it_draws_buttons(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant(2103, language_code="en")
    await me.send("/start")
    await me.press("I agree")
    await me.send("1")
    await me.press("I used them for free")
    await me.press("Individual user")
    await me.press("Missed messages or appointments")
    await me.press("Done")
    await me.send("A call never came through.")
    await me.send("16 Oct 2022 10am")
    await me.send("It was down.")
    await me.press("Skip")
    await me.press("Skip")
    assert "Please check your answers" in me.last.content
    await me.send("maybe")  # neither submit nor edit, at the summary
    said = [m.content for m in me.messages[-2:]]
    assert any("Press 'Submit'" in text for text in said), said
    assert not any("Type 'submit'" in text for text in said)
