"""Commands over Telegram: the claimant's (/status, /delete, ...) and the operators' ones."""

from __future__ import annotations

import csv
import io

import pytest

from bot.telegram import CHANNEL
from bot.telegram.menu import menu
from tests.bot.conftest import OPERATOR, Claimant, RunningBot, eventually
from tests.bot.interviews import QUESTIONS_KO, reference_in, start_korean, typical_korean

pytestmark = pytest.mark.telegram

UNKNOWN_KO = "알 수 없는 명령입니다. /help 를 보내시면 쓸 수 있는 명령을 알려 드립니다."


async def test_command_menus_are_set_in_korean_and_english(bot: RunningBot) -> None:
    english = bot.fake.commands()
    korean = bot.fake.commands(language_code="ko")
    assert [(c["command"], c["description"]) for c in english] == menu("en")
    assert [(c["command"], c["description"]) for c in korean] == menu("ko")
    assert english[0]["description"] == "Report harm (or continue your report)"
    assert korean[0]["description"].startswith("피해 접수 시작")
    assert "stats" not in {c["command"] for c in english + korean}
    operator_menu = bot.fake.commands(
        scope={"type": "chat", "chat_id": OPERATOR}, language_code="ko"
    )
    assert {"stats", "export"} <= {c["command"] for c in operator_menu}


async def test_status_lists_my_cases_with_their_number(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant()
    await me.send("/status")
    assert me.last.content.startswith("접수하신 내역이 없습니다.")
    reference = await typical_korean(me)
    await me.send("/status")
    status = me.last.content
    assert status.startswith("내 접수 내역") and reference in status and "접수됨" in status
    bot.store.set_case_status(reference, "reviewed", actor="test", reason="checked")
    await me.send("/start")
    await me.send("/status")
    assert f"{reference} · " in me.last.content and "검토 완료" in me.last.content
    assert "작성 중인 접수가 하나 있습니다" in me.last.content


async def test_delete_asks_first_then_erases_my_data(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant()
    reference = await typical_korean(me, description="제 전화번호와 사정을 적은 긴 글입니다.")
    await me.send("/delete")
    assert me.last.content.startswith("내 정보를 지우시겠습니까?")
    await me.press("아니요")
    assert me.last.content == "지우지 않았습니다." and not me.last.buttons
    assert bot.store.cases_of(CHANNEL, str(me.user_id))
    await me.send("/delete")
    await me.press("네, 지워 주세요")
    assert me.last.content.startswith("내 정보를 지웠습니다.") and "접수 1건" in me.last.content
    assert bot.store.cases_of(CHANNEL, str(me.user_id)) == []
    case = bot.store.case(reference)
    assert case is not None and case.erased_at is not None
    assert "description" not in case.answers, "free text is personal: gone"
    assert case.answers["services"] == ["kakaotalk"], "anonymous counts stay"
    await me.send("/status")
    assert me.last.content.startswith("접수하신 내역이 없습니다.")


async def test_erasing_takes_the_buttons_off_the_open_question(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant()
    await start_korean(me)
    question = me.last
    assert question.buttons
    await me.send("/delete")
    await me.press("네, 지워 주세요")
    assert me.last.content.startswith("내 정보를 지웠습니다.")
    assert bot.store.current(CHANNEL, str(me.user_id)) is None
    assert all(not m.buttons for m in me.messages), "no button of an erased interview is left"


async def test_privacy_shows_the_flows_consent_text(bot: RunningBot, claimant) -> None:
    ko: Claimant = claimant(4001)
    await ko.send("/privacy")
    assert "■ 보유·이용 기간: 피해 보상 절차가 끝난 날부터 1년간" in ko.last.content
    en: Claimant = claimant(4002, language_code="en")
    await en.send("/privacy")
    assert "■ Retention: kept for 1 year" in en.last.content
    assert "We never ask for a resident registration number." in en.last.content


async def test_cancel_asks_first_then_stops_the_open_interview(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant()
    await me.send("/cancel")
    assert me.last.content.startswith("진행 중인 접수가 없습니다.")
    await start_korean(me)
    await me.send("/cancel")
    assert me.last.content.startswith("접수를 그만두시겠습니까?")
    assert me.last.button_texts() == ["네, 그만둡니다", "아니요, 계속합니다"]
    await me.press("아니요, 계속합니다")
    assert QUESTIONS_KO["services"] in me.last.content, "no: back at the same question"
    assert bot.store.current(CHANNEL, str(me.user_id)) is not None
    await me.send("/cancel")
    await me.press("네, 그만둡니다")
    assert me.last.content == "접수를 그만두었습니다. 입력하신 내용은 제출되지 않았습니다."
    assert bot.store.current(CHANNEL, str(me.user_id)) is None
    assert all(not m.buttons for m in me.messages)


async def test_language_command_switches_at_any_question(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant()
    await me.send("/language")
    await me.press("English")
    assert "we collect and use personal information" in me.last.content
    stored = bot.store.current(CHANNEL, str(me.user_id))
    assert stored is not None and stored.state.language == "en"
    await me.press("I agree")
    await me.send("/language")
    await me.press("한국어")
    assert me.last.content.startswith("피해를 입으신 카카오 서비스를 모두 골라 주세요.")
    stored = bot.store.current(CHANNEL, str(me.user_id))
    assert stored is not None and stored.state.step == "services"
    assert stored.state.language == "ko" and stored.state.answers["language"] == "ko"


async def test_help_lists_the_commands(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant(4003, language_code="en")
    await me.send("/help")
    assert "/status my reports" in me.last.content and "/stats" not in me.last.content


async def test_operator_export_sends_a_masked_excel_ready_csv(bot: RunningBot, claimant) -> None:
    operator: Claimant = claimant(OPERATOR)
    other: Claimant = claimant(5001)
    await start_korean(other)
    await other.press("기타")
    await other.press("완료")
    await other.send('=HYPERLINK("http://evil","x")')  # the other service's name
    await other.press("유료로 이용했습니다")
    await other.press("개인 이용자")
    await other.press("시간 손실")
    await other.press("완료")
    await other.send("2022-10-16 09:00")
    await other.send("+821099998888 로 연락 주세요. 정말 불편했습니다.")
    await other.press("건너뛰기")
    await other.send("010-1234-5678")
    await other.press("제출")
    reference = reference_in(other.last.content)

    await operator.send("/export")
    assert operator.last.content.startswith("내보내기 #")  # queued: the file follows
    await eventually(lambda: operator.last.document is not None)
    document = operator.last.document
    assert document is not None and document.file_name is not None
    assert document.file_name.endswith(".csv")
    assert operator.last.content == "접수 사례 1건 (개인정보 가림)"
    raw = document.content
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, for Korean Excel"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["reference"] == reference
    # Masked, and (starting with "+") kept from being read as a formula.
    assert row["연락처 (contact_phone)"] == "'+82-10-****-5678"
    assert row["피해 내용 (description)"] == "[masked]"
    assert row["기타 서비스 (service_other)"] == "[masked]", "the claimant's own words"
    assert "HYPERLINK" not in raw.decode("utf-8-sig")
    assert row["피해 서비스 (services)"] == "기타"
    assert "user_key" not in row and "5001" not in raw.decode("utf-8-sig")
    assert "9998" not in raw.decode("utf-8-sig")


async def test_operator_stats_count_totals_and_today(bot: RunningBot, claimant) -> None:
    for user in (5101, 5102):
        await typical_korean(claimant(user))
    third: Claimant = claimant(5103)
    await start_korean(third)
    await third.press("카카오톡")
    await third.press("멜론")
    await third.press("완료")
    await third.press("유료로 이용했습니다")
    await third.press("개인 이용자")
    await third.press("데이터 손실")
    await third.press("완료")
    await third.send("사진 몇 장")
    await third.send("2022-10-15 17:00")
    await third.send("사진을 잃었습니다. 아쉽습니다.")
    await third.press("건너뛰기")
    await third.press("건너뛰기")
    await third.press("제출")
    operator: Claimant = claimant(OPERATOR)
    await operator.send("/stats")
    stats = operator.last.content
    assert stats.startswith("접수 현황 (카카오 서비스 장애 피해 접수)")
    assert "전체 3건 · 오늘 3건" in stats
    assert "• 카카오톡: 3 / 3" in stats and "• 멜론: 1 / 1" in stats
    assert "• 시간 손실·정신적 고통: 2 / 2" in stats
    assert "• 데이터 손실 (대화, 사진, 파일 등): 1 / 1" in stats
    assert "카카오페이:" not in stats, "values nobody chose are left out"


async def test_non_operators_get_the_unknown_command_answer(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant(5201)
    answers = []
    for command in ("/stats", "/export", "/no_such_command"):
        await me.send(command)
        answers.append(me.last.content)
    assert answers == [UNKNOWN_KO] * 3
    assert bot.fake.calls_of("sendDocument") == []
    assert QUESTIONS_KO["language"] not in me.last.content
