"""Scripted claimants for the default flow (kakao-outage-2022), shared by the Telegram tests."""

from __future__ import annotations

import re

from tests.bot.conftest import Claimant

REFERENCE = re.compile(r"KKO-\d{6}-\d{6}")

QUESTIONS_KO = {
    "language": "언어를 선택해 주세요",
    "consent": "개인정보를 수집·이용합니다",
    "services": "피해를 입으신 카카오 서비스를",
    "service_other": "어떤 서비스였는지",
    "paid": "유료로 이용하셨나요",
    "claimant": "접수하시는 분은",
    "business_number": "사업자등록번호를 알려 주세요",
    "harms": "어떤 피해를 입으셨나요",
    "money_lost_amount": "금전 손해는 모두 얼마였나요",
    "income_lost_amount": "줄어든 매출이나 수입은",
    "lost_orders": "놓친 주문이나 운행",
    "started_at": "피해가 언제 생겼나요",
    "description": "어떤 일이 있었는지",
    "evidence": "증빙 자료가 있으면",
    "contact_phone": "휴대전화번호를 알려 주세요",
    "confirm": "입력하신 내용을 확인해 주세요",
    "submitted": "피해 접수가 완료되었습니다",
}


def reference_in(text: str) -> str:
    found = REFERENCE.search(text)
    assert found, f"no case number in {text!r}"
    return found.group(0)


async def start_korean(me: Claimant) -> None:
    """Through language and consent, by buttons."""
    await me.send("/start")
    assert QUESTIONS_KO["language"] in me.last.content
    await me.press("한국어")
    assert QUESTIONS_KO["consent"] in me.last.content
    await me.press("동의합니다")
    assert QUESTIONS_KO["services"] in me.last.content


async def typical_korean(
    me: Claimant, *, description: str = "카카오톡이 안 돼서 약속을 놓쳤습니다."
) -> str:
    """The common path: an individual, free services, lost time only; skips the optional."""
    await start_korean(me)
    await me.press("카카오톡")
    await me.press("완료")
    await me.press("무료로 이용했습니다")
    await me.press("개인 이용자")
    await me.press("시간 손실·정신적 고통")
    await me.press("완료")
    assert QUESTIONS_KO["started_at"] in me.last.content
    await me.send("10월 15일 오후 4시")
    await me.send(description)
    assert QUESTIONS_KO["evidence"] in me.last.content
    await me.press("건너뛰기")
    assert QUESTIONS_KO["contact_phone"] in me.last.content
    await me.press("건너뛰기")
    assert QUESTIONS_KO["confirm"] in me.last.content
    await me.press("제출")
    assert QUESTIONS_KO["submitted"] in me.last.content
    return reference_in(me.last.content)


BURST_KO = [
    "/start",
    "1",  # 한국어
    "1",  # 동의합니다
    "1,3",  # 카카오톡, 카카오페이
    "2",  # 무료
    "1",  # 개인 이용자
    "5",  # 시간 손실·정신적 고통
    "2022-10-16 14:00",
    "카카오페이 결제가 안 되어 한참 기다렸습니다 #{n}",
    "건너뛰기",  # evidence
    "건너뛰기",  # phone
    "제출",
]
"""A whole interview typed without waiting for the bot: only per-user ordering keeps it right."""
BURST_STEPS = [
    "language",
    "consent",
    "services",
    "paid",
    "claimant",
    "harms",
    "started_at",
    "description",
    "evidence",
    "contact_phone",
    "confirm",
    "submitted",
]
