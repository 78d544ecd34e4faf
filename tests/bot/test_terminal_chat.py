"""`complaintbot chat` driven through stdin: whole interviews, and resume after kill -9."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

KO_ANSWERS = [
    "1",  # 한국어
    "1",  # 동의
    "1,3",  # 카카오톡, 카카오페이
    "2",  # 무료
    "2",  # 소상공인
    "124-81-00998",
    "1,2",  # 금전 손실, 매출 손실
    "3만 5천원",
    "120만원",
    "12건",
    "10월 15일 오후 4시",
    "결제가 안 되어 손님들이 그냥 돌아갔습니다.",
    "건너뛰기",
    "010-1234-5678",
    "제출",
]
EN_ANSWERS = [  # with --lang en: the language question is not asked
    "1",  # agree
    "1",  # KakaoTalk
    "1",  # paid
    "1",  # individual
    "5",  # time and distress
    "15 Oct 2022 6pm",
    "I could not reach my family during the outage.",
    "skip",
    "skip",
    "submit",
]


def chat_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}",
        "PYTHONIOENCODING": "utf-8",
    }


def run_chat(tmp_path: Path, lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "alice", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=chat_env(tmp_path),
        cwd=tmp_path,
    )


def stored_case(tmp_path: Path) -> tuple[str, str]:
    engine = create_engine(f"sqlite:///{tmp_path / 'chat.db'}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT reference, answers FROM cases")).all()
    engine.dispose()
    assert len(rows) == 1
    return rows[0][0], rows[0][1]


def test_a_korean_interview_runs_to_a_case_number(tmp_path: Path) -> None:
    result = run_chat(tmp_path, KO_ANSWERS)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "피해를 입으신 카카오 서비스" in out
    assert "✓ 35,000원" in out and "✓ 1,200,000원" in out
    reference, answers = stored_case(tmp_path)
    assert f"접수번호: {reference}" in out
    assert reference.startswith("KKO-")
    assert '"income_lost_amount": 1200000' in answers.replace(":1200000", ": 1200000")
    assert "Traceback" not in result.stderr


def test_an_english_interview_runs_to_a_case_number(tmp_path: Path) -> None:
    result = run_chat(tmp_path, EN_ANSWERS, "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "Please choose your language" not in result.stdout
    assert "To take your damage report" in result.stdout.split("\n\n")[1]
    reference, _ = stored_case(tmp_path)
    assert f"Case number: {reference}" in result.stdout
    assert "Please check your answers" in result.stdout or "summary" in result.stdout.lower()


def test_bad_input_gets_a_friendly_message_not_a_stack_trace(tmp_path: Path) -> None:
    lines = [*KO_ANSWERS[:7], "많이요", *KO_ANSWERS[7:]]
    result = run_chat(tmp_path, lines)
    assert result.returncode == 0
    assert "! 금액을 알아보지 못했습니다" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    stored_case(tmp_path)


def test_quitting_and_running_again_resumes_at_the_same_step(tmp_path: Path) -> None:
    first = run_chat(tmp_path, [*KO_ANSWERS[:5], "종료"])
    assert first.returncode == 0
    assert "이어서 진행합니다" in first.stdout
    second = run_chat(tmp_path, KO_ANSWERS[5:])
    assert second.returncode == 0, second.stderr
    assert "진행 중이던 접수를 이어서 합니다." in second.stdout
    assert "사업자등록번호" in second.stdout.split("\n\n")[1]
    _, answers = stored_case(tmp_path)
    assert '"claimant": "small_business"' in answers.replace('":"', '": "')


class Chat:
    """A live `complaintbot chat` process, answered one prompt at a time."""

    def __init__(self, tmp_path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", "--user", "alice"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=chat_env(tmp_path),
            cwd=tmp_path,
        )
        self.out = b""
        self.selector = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.selector.register(self.proc.stdout, selectors.EVENT_READ)

    def wait_prompt(self, count: int, timeout: float = 20.0) -> str:
        """Wait until the chat has printed its ``count``-th "> " prompt."""
        deadline = time.monotonic() + timeout
        while self.out.count(b"\n> ") < count:
            remaining = deadline - time.monotonic()
            assert remaining > 0, self.out.decode(errors="replace")[-2000:]
            for key, _ in self.selector.select(remaining):
                chunk = key.fileobj.read()  # type: ignore[union-attr]
                assert chunk, "chat exited early:\n" + self.out.decode(errors="replace")
                self.out += chunk
        return self.out.decode()

    def say(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.selector.close()


def test_kill_9_mid_interview_loses_nothing(tmp_path: Path) -> None:
    chat = Chat(tmp_path)
    chat.wait_prompt(1)
    answered = 8  # through the first money amount
    for n, line in enumerate(KO_ANSWERS[:answered], start=1):
        chat.say(line)
        chat.wait_prompt(n + 1)  # the next question is shown only after the commit
    chat.kill()
    assert chat.proc.returncode == -signal.SIGKILL
    resumed = run_chat(tmp_path, KO_ANSWERS[answered:])
    assert resumed.returncode == 0, resumed.stderr
    assert "진행 중이던 접수를 이어서 합니다." in resumed.stdout
    reference, answers = stored_case(tmp_path)
    assert reference in resumed.stdout
    compact = answers.replace(" ", "")
    for expected in ('"money_lost_amount":35000', '"business_number":"124-81-00998"'):
        assert expected in compact


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_refusing_consent_files_nothing(tmp_path: Path, lang: str) -> None:
    result = run_chat(tmp_path, ["1" if lang == "ko" else "2", "2"], "--lang", lang)
    assert result.returncode == 0, result.stderr
    engine = create_engine(f"sqlite:///{tmp_path / 'chat.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar_one() == 0
    engine.dispose()


def test_quit_names_the_command_the_claimant_used(tmp_path: Path) -> None:
    env = {**chat_env(tmp_path), "COMPLAINTBOT_CHAT_COMMAND": "./dev chat"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "alice"],
        input="1\n종료\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "`./dev chat`을(를) 다시 실행하면 이어서 진행합니다" in result.stdout
    assert "complaintbot chat" not in result.stdout
    plain = run_chat(tmp_path, ["종료"])
    assert "`complaintbot chat`을(를) 다시 실행하면" in plain.stdout


def test_ctrl_c_says_the_answers_are_saved_and_how_to_continue(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--user", "alice", "--lang", "en"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=chat_env(tmp_path),
        cwd=tmp_path,
        # As from a terminal: a suite started in the background (nohup, `cmd &`) hands its
        # children SIGINT ignored, and Python then installs no Ctrl-C handler at all.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("1\n")  # agree: an answer to keep
    process.stdin.flush()
    seen = ""
    while "Which Kakao services" not in seen:  # wait for the next question, not a clock
        seen += process.stdout.readline()
    process.send_signal(signal.SIGINT)
    # Wait with stdin still open: communicate() would close it at once, and an end of input
    # reaching the chat before the signal is a Ctrl-D, not a Ctrl-C (seen under load).
    process.wait(timeout=60)
    out = process.stdout.read()
    err = process.stderr.read() if process.stderr else ""
    process.stdin.close()
    assert process.returncode == 130, err
    assert "Your answers so far are saved. Run `complaintbot chat` again" in out
    assert "Traceback" not in err
