"""Nothing acknowledged is lost: kill -9, storage outages while polling, errors, 429s."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from bot.telegram import CHANNEL
from storage import Store
from tests.bot.conftest import Claimant, RunningBot, confirmed
from tests.bot.interviews import QUESTIONS_KO, reference_in, start_korean
from tests.fakes import FakeBotApi

pytestmark = pytest.mark.telegram

ROOT = Path(__file__).resolve().parents[2]


def bot_env(fake: FakeBotApi, database_url: str) -> dict[str, str]:
    """This environment without the bot's own settings, then those of the fake Bot API."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "WEBHOOK_", "OPERATOR_", "DATABASE_", "FLOW_"))
    }
    return env | {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "TELEGRAM_FILE_BASE_URL": fake.base_file_url,
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "INFO",
    }


def bot_process(
    fake: FakeBotApi, database_url: str, workdir: Path, log: Path
) -> subprocess.Popen[bytes]:
    """``python -m bot.telegram`` as a real process, configured only through its environment."""
    env = bot_env(fake, database_url)
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.telegram"], cwd=workdir, env=env, stdout=out, stderr=out
        )


async def polling(fake: FakeBotApi, process: subprocess.Popen[bytes]) -> None:
    def ready() -> bool:
        assert process.poll() is None, f"bot exited with {process.returncode}"
        return fake.pending_polls > 0

    await fake.await_for(ready, timeout=30)


async def test_sigkill_mid_interview_loses_nothing_and_applies_the_update_in_flight_once(
    fake: FakeBotApi, claimant, tmp_path: Path
) -> None:
    database_url = f"sqlite:///{tmp_path / 'bot.db'}"
    log = tmp_path / "bot.log"
    first = bot_process(fake, database_url, tmp_path, log)
    try:
        await polling(fake, first)
        me: Claimant = claimant()
        await start_korean(me)
        await me.press("카카오톡")
        await me.press("카카오페이")
        await me.press("완료")
        await me.press("유료로 이용했습니다")
        assert QUESTIONS_KO["claimant"] in me.last.content
        await fake.await_for(lambda: fake.pending_polls > 0)
        # The bot's next getUpdates (the one that would confirm the answer) fails, so the
        # answer is processed and acknowledged to the user but not yet confirmed to Telegram.
        fake.fail_next("getUpdates", status=502)
        question = me.last
        in_flight = fake.push_callback(
            me.user_id, question.message_id, question.callback_data("개인 이용자")
        )
        await fake.await_for(
            lambda: any(
                c.params.get("offset") == in_flight + 1 and c.status == 502
                for c in fake.calls_of("getUpdates")
            )
        )
        assert QUESTIONS_KO["harms"] in me.last.content, "the user saw the next question"
        first.kill()  # SIGKILL, during the bot's back-off before it asks again
        assert first.wait(30) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
    assert fake.pending_update_ids() == [in_flight], "Telegram still holds the answer"
    messages_before = me.messages
    sends, edits = len(fake.calls_of("sendMessage")), len(fake.calls_of("editMessageText"))
    with Store(database_url) as store:
        applied = store.current(CHANNEL, str(me.user_id))
    assert applied is not None and applied.state.answers["claimant"] == "individual"

    second = bot_process(fake, database_url, tmp_path, log)
    try:
        await fake.await_for(lambda: confirmed(fake, in_flight), timeout=30)
        await fake.await_for(lambda: fake.pending_update_ids() == [])
        with Store(database_url) as store:
            again = store.current(CHANNEL, str(me.user_id))
        assert again is not None and again.state == applied.state, "redelivered: applied once"
        # The new process cannot know whether the first one replied before it died, so it
        # asks the current question again rather than leave the claimant without one.
        assert len(fake.calls_of("sendMessage")) == sends + 1
        assert len(fake.calls_of("editMessageText")) == edits
        assert me.messages[:-1] == messages_before
        assert QUESTIONS_KO["harms"] in me.last.content and me.last.buttons
        # The user carries on with the buttons they have, at the same step.
        await me.press("금전 손해")
        await me.press("완료")
        await me.send("5만원")
        await me.send("10월 16일 오전 9시")
        await me.send("카카오페이로 결제한 이용권을 못 썼습니다.")
        await me.press("건너뛰기")
        await me.press("건너뛰기")
        summary = me.last.content
        assert "카카오톡, 카카오페이" in summary and "유료로 이용했습니다" in summary
        await me.press("제출")
        reference = reference_in(me.last.content)
        second.send_signal(signal.SIGTERM)
        assert second.wait(60) == 0, log.read_text()
    finally:
        if second.poll() is None:
            second.kill()
    with Store(database_url) as store:
        case = store.case(reference)
        assert store.current(CHANNEL, str(me.user_id)) is None
    assert case is not None
    assert case.answers["services"] == ["kakaotalk", "kakaopay"]
    assert case.answers["paid"] == "paid" and case.answers["claimant"] == "individual"
    assert case.answers["money_lost_amount"] == 50000
    assert "Traceback" not in log.read_text()


async def test_storage_outage_while_polling_keeps_the_update_until_it_is_applied(
    bot: RunningBot, claimant, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = bot.store
    real_apply = store.apply
    failures = [OperationalError("INSERT", {}, Exception("unable to open database file"))]

    def flaky_apply(*args: object, **kwargs: object) -> object:
        if failures:
            raise failures.pop()
        return real_apply(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "apply", flaky_apply)
    me: Claimant = claimant()
    update = me.push("/start")
    await me.processed(update)
    offsets = [call.params.get("offset") for call in bot.fake.calls_of("getUpdates")]
    assert update in offsets, "after the failure the bot asked for the same update again"
    assert failures == [] and len(me.messages) == 1
    assert QUESTIONS_KO["language"] in me.last.content


async def test_a_failing_handler_logs_no_personal_data_and_asks_to_try_again(
    bot: RunningBot, claimant, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    me: Claimant = claimant()
    await start_korean(me)

    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError(f"could not handle {args[2]!r}")

    monkeypatch.setattr(bot.intake, "handle", broken)
    caplog.set_level(logging.DEBUG)
    update = await me.send("홍길동 010-9876-5432 서울시 강남구")
    assert me.last.content.startswith(
        "⚠️ 일시적인 문제로 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.\n\n"
    )
    assert QUESTIONS_KO["services"] in me.last.content, "with the question to answer"
    assert len(me.last.buttons) > 1
    assert f"update {update} failed: ValueError" in caplog.text
    assert "010-9876-5432" not in caplog.text and "홍길동" not in caplog.text
    assert fake_token_not_logged(bot.fake, caplog.text)


async def test_a_reply_lost_after_the_answer_was_saved_is_followed_by_the_current_question(
    bot: RunningBot, claimant
) -> None:
    """The answer is stored, then sending the next question fails (a 502): the claimant must
    see that question, not retype the answer onto it unawares."""
    me: Claimant = claimant()
    await start_korean(me)
    await me.press("카카오톡")
    await me.press("완료")
    await me.press("무료로 이용했습니다")
    await me.press("개인 이용자")
    await me.press("시간 손실·정신적 고통")
    await me.press("완료")
    assert QUESTIONS_KO["started_at"] in me.last.content
    retries = bot.settings.telegram_send_retries
    bot.fake.fail_next("sendMessage", status=502, times=1 + retries)  # every retry fails too
    await me.send("10월 15일 오후 4시")
    statuses = [c.status for c in bot.fake.calls_of("sendMessage")]
    assert statuses[-(retries + 2) :] == [502] * (retries + 1) + [200]
    shown = me.last
    assert shown.content.startswith("⚠️ 일시적인 문제로 처리하지 못했습니다.")
    assert QUESTIONS_KO["description"] in shown.content, "the question now current"
    stored = bot.store.current(CHANNEL, str(me.user_id))
    assert stored is not None and stored.state.step == "description"
    # Typed again, as the note said: it answers the question shown, and shows so under it.
    await me.send("10월 15일 오후 4시")
    (answered,) = [m for m in me.messages if m.message_id == shown.message_id]
    assert QUESTIONS_KO["description"] in answered.content and not answered.buttons
    assert answered.content.endswith("→ 10월 15일 오후 4시")
    assert "일시적인 문제" not in answered.content, "the note went once answered"
    assert QUESTIONS_KO["evidence"] in me.last.content


def fake_token_not_logged(fake: FakeBotApi, text: str) -> bool:
    return fake.token not in text


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limit_429_is_retried(bot: RunningBot, claimant) -> None:
    bot.fake.fail_next("sendMessage", status=429, retry_after=1)
    me: Claimant = claimant()
    await me.send("/start")
    statuses = [call.status for call in bot.fake.calls_of("sendMessage")]
    assert statuses == [429, 200]
    assert QUESTIONS_KO["language"] in me.last.content
