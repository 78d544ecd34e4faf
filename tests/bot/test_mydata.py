"""/mydata: a claimant sees exactly what is stored about them, and nobody else's data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.intake import IntakeService
from bot.terminal import run_chat
from tests.bot.conftest import Claimant, RunningBot
from tests.bot.interviews import start_korean, typical_korean
from tests.bot.test_terminal_chat import KO_ANSWERS, chat_env


@pytest.mark.telegram
async def test_mydata_shows_my_cases_answers_and_consent_and_nobody_elses(
    bot: RunningBot, claimant
) -> None:
    me: Claimant = claimant(1001)
    other: Claimant = claimant(1002)
    await me.send("/mydata")
    assert me.last.content == "이 채널에 저장된 내 정보가 없습니다."
    mine = await typical_korean(me, description="제 사연: 약속에 늦어 벌금 xq1001")
    theirs = await typical_korean(other, description="남의 사연: 가게 문을 닫았음 xq1002")
    bot.store.set_case_status(mine, "reviewed", actor="op", reason="paid")

    await me.send("/mydata")

    shown = me.last.content
    assert shown.startswith("내 정보: 이 채널에 저장된 내용을 모두 보여 드립니다.")
    assert f"■ 접수 {mine} · " in shown and "검토 완료" in shown
    assert "제 사연: 약속에 늦어 벌금 xq1001" in shown
    assert "피해 서비스: 카카오톡" in shown, "choices in the claimant's words, not codes"
    assert "동의: " in shown and "(한국어, 동의문 버전 " in shown
    assert "늦어도 " in shown and "/delete" in shown
    assert theirs not in shown and "xq1002" not in shown and "남의 사연" not in shown


@pytest.mark.telegram
async def test_mydata_speaks_english_and_shows_the_open_interview(
    bot: RunningBot, claimant
) -> None:
    me: Claimant = claimant(2001, language_code="en")
    await me.send("/start")  # an English client: the language question is not asked
    await me.press("I agree")
    await me.send("/mydata")
    shown = me.last.content
    assert shown.startswith("My data: everything stored about you on this channel.")
    assert "■ Report in progress (last answer " in shown
    assert "Privacy consent: I agree" in shown and "Consent: given " in shown
    assert "in English, text version " in shown and "send /delete" in shown


@pytest.mark.telegram
async def test_mydata_is_in_the_command_menu_and_help(bot: RunningBot, claimant) -> None:
    me: Claimant = claimant(3001)
    await start_korean(me)
    assert "mydata" in {c["command"] for c in bot.fake.commands(language_code="ko")}
    await me.send("/help")
    assert "/mydata 내 정보 보기" in me.last.content


def test_the_terminal_mydata_word_shows_my_data_and_keeps_the_question(
    intake: IntakeService, tmp_path: Path
) -> None:
    import io

    typed = io.StringIO("\n".join(KO_ANSWERS) + "\n")
    assert (
        run_chat(intake, "alice", language=None, flow_id=None, stdin=typed, stdout=io.StringIO())
        == 0
    )
    typed = io.StringIO("\n".join([*KO_ANSWERS[:2], "내정보", "quit"]) + "\n")
    out = io.StringIO()
    run_chat(intake, "bob", language=None, flow_id=None, stdin=typed, stdout=out)
    shown = out.getvalue()
    assert "■ 진행 중인 접수" in shown and "개인정보 수집·이용 동의: 동의합니다" in shown
    assert "손님들이 그냥 돌아갔습니다" not in shown, "alice's case is not bob's"
    assert "개인정보 보호책임자에게" in shown
    assert shown.index("■ 진행 중인 접수") < shown.rindex("피해를 입으신 카카오 서비스를")


def test_complaintbot_mydata_prints_one_users_cases(tmp_path: Path) -> None:
    env = chat_env(tmp_path)
    for user in ("alice", "carol"):
        answers = [*KO_ANSWERS]
        answers[11] = f"{user}의 사연입니다: 결제가 안 됐어요."
        subprocess.run(
            [sys.executable, "-m", "bot", "chat", "--user", user],
            input="\n".join(answers) + "\n", capture_output=True, text=True, env=env, check=True,
            timeout=60,
        )  # fmt: skip
    shown = subprocess.run(
        [sys.executable, "-m", "bot", "mydata", "--user", "alice"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "alice의 사연입니다" in shown.stdout and "carol" not in shown.stdout
    assert "연락처: 010-1234-5678" in shown.stdout  # as the summary showed it back
    assert "사업자등록번호: 124-81-00998" in shown.stdout
