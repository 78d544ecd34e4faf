"""`complaintbot chat` with answers typed as Korean claimants type them, and a wrong file path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

ORDINARY_SPEECH = [
    "한국어요",
    "동의해요",
    "카톡, 카카오페이",
    "무료요",
    "소상공인입니다",
    "123-45-67891",  # the example the question's own messages show
    "금전 손해, 매출 손실",
    "약 3만 5천원이요",
    "120만원 정도",
    "한 12건쯤",
    "화재 다음날 아침",
    "결제가 안 되어 손님들이 그냥 돌아갔습니다.",
    "/no/such/receipt.png",
    "건너뛰기",
    "02-312-3456",  # a landline, at the mobile question
    "010-1234-5678",
    "제출",
]


def chat(tmp_path: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}",
        "PYTHONIOENCODING": "utf-8",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "minji"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )


def conn_estimates(tmp_path: Path) -> list[str]:
    engine = create_engine(f"sqlite:///{tmp_path / 'chat.db'}")
    with engine.connect() as conn:
        found = list(conn.execute(text("SELECT estimates FROM cases")).scalars())
    engine.dispose()
    return found


def test_a_claimant_typing_ordinary_korean_files_a_case(tmp_path: Path) -> None:
    result = chat(tmp_path, ORDINARY_SPEECH)
    assert result.returncode == 0, result.stderr
    refusals = [line for line in result.stdout.splitlines() if line.startswith("> !")]
    assert refusals == [
        "> ! 그 경로에 파일이 없습니다.",
        "> ! 휴대전화번호를 적어 주세요. 일반 전화(02-... 등)는 받지 않습니다. 예: 010-1234-5678",
    ]
    engine = create_engine(f"sqlite:///{tmp_path / 'chat.db'}")
    with engine.connect() as conn:
        (stored,) = conn.execute(text("SELECT answers FROM cases")).scalars().all()
    engine.dispose()
    answers = json.loads(stored)
    assert answers["consent"] == "agree" and answers["paid"] == "free"
    assert answers["services"] == ["kakaotalk", "kakaopay"]
    assert answers["claimant"] == "small_business"
    assert answers["harms"] == ["money_lost", "income_lost"]
    assert answers["money_lost_amount"] == 35_000
    (estimates,) = conn_estimates(tmp_path)
    assert json.loads(estimates) == ["income_lost_amount", "money_lost_amount"]  # 약 ..., 정도
    assert "35,000원 (어림값)" in result.stdout  # echoed and in the summary
    assert answers["income_lost_amount"] == 1_200_000
    assert answers["lost_orders"] == 12
    assert answers["started_at"] == "2022-10-16"
    assert answers["contact_phone"] == "+821012345678"


def test_the_terminal_says_type_where_telegram_says_press(tmp_path: Path) -> None:
    lines = [*ORDINARY_SPEECH[:-1], "글쎄요", "제출"]  # neither submit nor edit at the summary
    result = chat(tmp_path, lines)
    assert result.returncode == 0, result.stderr
    refusals = [line for line in result.stdout.splitlines() if line.startswith("> !")]
    assert refusals[-1] == (
        "> ! 내용이 맞으면 '제출'이라고, 고칠 항목이 있으면 '수정 2'처럼 번호와 함께 적어 주세요."
    )
    assert "눌러" not in result.stdout and "누르" not in result.stdout


OTHER_ORDINARY_SPEECH = [
    "한국어로 할게요",  # a sentence that starts with a label
    "네, 동의합니다",
    "카톡이랑 카카오T요",  # joined by 이랑
    "무료로 썼어요",  # starts like the label 무료로 이용했습니다
    "개인이에요",
    "금전 손해요",
    "대략 2만원 남짓",
    "15일 저녁 7시쯤",
    "택시를 못 불러서 다른 택시를 탔습니다.",
    "없어요",  # no evidence: skip
    "없습니다",  # no phone: skip
    "제출할게요",
]


def test_other_ordinary_korean_files_a_case_without_one_refusal(tmp_path: Path) -> None:
    result = chat(tmp_path, OTHER_ORDINARY_SPEECH)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if line.startswith("> !")] == []
    assert "접수번호: KKO-" in result.stdout
    engine = create_engine(f"sqlite:///{tmp_path / 'chat.db'}")
    with engine.connect() as conn:
        (stored,) = conn.execute(text("SELECT answers FROM cases")).scalars().all()
    engine.dispose()
    answers = json.loads(stored)
    assert answers["language"] == "ko" and answers["paid"] == "free"
    assert answers["services"] == ["kakaotalk", "kakao_t"]
    assert answers["money_lost_amount"] == 20_000
    assert answers["started_at"].startswith("2022-10-15T19:00")
    assert "evidence" not in answers and "contact_phone" not in answers
