"""Webhook mode: the secret header, processing before the 200, redelivery, storage outages."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.intake import IntakeService
from bot.telegram import CHANNEL
from flows import Choose
from storage.tables import AuditEventRow
from tests.bot.conftest import OPERATOR, RunningBot, eventually, make_settings, start_bot
from tests.bot.interviews import QUESTIONS_KO, start_korean, typical_korean
from tests.bot.webhook_claimant import WebhookClaimant, start_webhook_bot
from tests.fakes import FakeBotApi

pytestmark = pytest.mark.telegram

SECRET = "webhook_Secret-123"
USER = 6001
SETUP_CALLS = frozenset({"getMe", "setMyCommands", "setWebhook", "deleteWebhook", "getWebhookInfo"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
async def hooked(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str
) -> AsyncIterator[RunningBot]:
    port = free_port()
    settings = make_settings(
        fake,
        sqlite_url,
        webhook_url=f"http://127.0.0.1:{port}/telegram",
        webhook_secret=SECRET,
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    running = await start_bot(fake, intake, settings, webhook=True)
    yield running
    await running.stop()


async def test_webhook_is_set_with_the_secret(hooked: RunningBot) -> None:
    assert hooked.fake.webhook_secret == SECRET
    assert hooked.fake.webhook_url == hooked.settings.webhook_url
    set_call = hooked.fake.calls_of("setWebhook")[-1]
    assert set_call.params["allowed_updates"] == ["message", "callback_query"]


async def test_right_secret_is_processed_before_the_200(hooked: RunningBot) -> None:
    fake = hooked.fake
    fake.push_message(USER, "/start", language_code="")  # no client language: asked it
    response = await fake.adeliver(secret=SECRET)
    assert response.status_code == 200
    # Processed before the answer: the question was already sent when the 200 came back.
    reply = fake.last_bot_message(USER)
    assert reply is not None and QUESTIONS_KO["language"] in reply.content
    assert fake.pending_update_ids() == []


@pytest.mark.parametrize("secret", ["wrong-secret", None, SECRET.lower()])
async def test_wrong_or_missing_secret_is_refused_and_nothing_processed(
    hooked: RunningBot, secret: str | None
) -> None:
    fake = hooked.fake
    update = fake.push_message(USER, "/start")
    response = await fake.adeliver(secret=secret)
    assert response.status_code == 403
    assert fake.bot_messages(USER) == []
    assert hooked.store.current(CHANNEL, str(USER)) is None
    assert fake.pending_update_ids() == [update], "Telegram keeps it for a later delivery"


async def test_redelivered_update_is_applied_once(hooked: RunningBot) -> None:
    fake = hooked.fake
    fake.push_message(USER, "/start", language_code="")  # no client language: asked it
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    question = fake.last_bot_message(USER)
    assert question is not None
    press = fake.push_callback(
        USER, question.message_id, question.callback_data("한국어"), language_code=""
    )
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    after_first = fake.bot_messages(USER)
    stored = hooked.store.current(CHANNEL, str(USER))
    assert stored is not None and stored.state.step == "consent"
    sends = len(fake.calls_of("sendMessage"))

    fake.redeliver(press)
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    again = hooked.store.current(CHANNEL, str(USER))
    assert again is not None and again.state.turn == stored.state.turn
    assert fake.bot_messages(USER) == after_first
    assert len(fake.calls_of("sendMessage")) == sends, "a duplicate gets no reply at all"


async def test_a_redelivery_applied_by_a_process_that_died_gets_the_current_question(
    hooked: RunningBot,
) -> None:
    """Committed, then the process died before replying: the claimant must not be left
    without a question. The redelivery is still applied only once."""
    fake = hooked.fake
    fake.push_message(USER, "/start", language_code="")  # no client language: asked it
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    question = fake.last_bot_message(USER)
    assert question is not None
    press = fake.push_callback(
        USER, question.message_id, question.callback_data("한국어"), language_code=""
    )
    # What the process that died had done with it: applied and committed, nothing sent.
    hooked.intake.handle(CHANNEL, str(USER), Choose("ko"), update_key=str(press))
    applied = hooked.store.current(CHANNEL, str(USER))
    assert applied is not None and applied.state.step == "consent"
    sends = len(fake.calls_of("sendMessage"))

    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    again = hooked.store.current(CHANNEL, str(USER))
    assert again is not None and again.state == applied.state, "not applied a second time"
    assert len(fake.calls_of("sendMessage")) == sends + 1
    shown = fake.last_bot_message(USER)
    assert shown is not None and QUESTIONS_KO["consent"] in shown.content and shown.buttons
    pressed = fake.bot_messages(USER)[0]
    assert pressed.message_id == question.message_id and not pressed.buttons


def export_events(running: RunningBot) -> int:
    table = AuditEventRow.__table__
    with running.store.engine.connect() as conn:
        query = select(func.count()).select_from(table).where(table.c.action == "export")
        return conn.execute(query).scalar_one()


async def test_a_redelivered_export_sends_one_file_and_audits_it_once(
    hooked: RunningBot,
) -> None:
    fake = hooked.fake
    export = fake.push_message(OPERATOR, "/export")
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    fake.redeliver(export)
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    assert fake.pending_update_ids() == []
    await eventually(lambda: export_events(hooked) == 1 and fake.calls_of("sendDocument"))
    assert len(fake.calls_of("sendDocument")) == 1
    assert export_events(hooked) == 1


@pytest.mark.parametrize(
    "command", ["/help", "/status", "/privacy", "/delete", "/language", "/no_such_command"]
)
async def test_a_redelivered_command_is_answered_once(hooked: RunningBot, command: str) -> None:
    fake = hooked.fake
    update = fake.push_message(USER, command)
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    fake.redeliver(update)
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    assert fake.pending_update_ids() == []
    assert len(fake.bot_messages(USER)) == 1


async def test_a_redelivered_erase_press_erases_once(hooked: RunningBot) -> None:
    fake = hooked.fake
    fake.push_message(USER, "/delete")
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    ask = fake.last_bot_message(USER)
    assert ask is not None
    yes = fake.push_callback(USER, ask.message_id, ask.callback_data("네, 지워 주세요"))
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    fake.redeliver(yes)
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    table = AuditEventRow.__table__
    with hooked.store.engine.connect() as conn:
        erasures = conn.execute(select(table.c.action).where(table.c.action == "erase")).all()
    assert len(erasures) == 1
    assert len(fake.calls_of("editMessageText")) == 1


async def test_storage_outage_answers_503_and_the_retry_applies_once(
    hooked: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = hooked.fake
    store = hooked.store
    real_apply = store.apply
    failures = [OperationalError("UPDATE conversations", {}, Exception("database is locked"))]

    def flaky_apply(*args: object, **kwargs: object) -> object:
        if failures:
            raise failures.pop()
        return real_apply(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "apply", flaky_apply)
    update = fake.push_message(USER, "/start")
    response = await fake.adeliver(secret=SECRET)
    assert response.status_code == 503
    assert fake.pending_update_ids() == [update]
    assert fake.bot_messages(USER) == [], "no 'try again' noise: Telegram will retry"
    response = await fake.adeliver(secret=SECRET)
    assert response.status_code == 200
    assert len(fake.bot_messages(USER)) == 1
    assert store.current(CHANNEL, str(USER)) is not None


async def test_health_and_wrong_paths(hooked: RunningBot) -> None:
    base = f"http://127.0.0.1:{hooked.settings.webhook_port}"
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{base}/healthz")).text == "ok"
        assert (await client.post(f"{base}/elsewhere", json={})).status_code == 404
        bad = await client.post(
            f"{base}/telegram",
            content=b"not json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert bad.status_code == 400


INTERVIEW_REQUESTS = 25
"""Bot API requests one whole default interview (typical path) may cost behind the webhook:
what the hand-written ConversationHandler bot of ``bench/surge_baselines.py`` spends on the
same interview (12 sends, 2 toggle redraws, 11 answerCallbackQuery). Ours: 12 sends, 13
edits (each answered question shows its answer and loses its buttons), and no request for a
button's spinner: the answerCallbackQuery rides in the webhook's answer."""


async def test_a_whole_interview_costs_at_most_the_hand_written_bots_requests(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str
) -> None:
    running = await start_webhook_bot(fake, intake, sqlite_url)
    try:
        me = WebhookClaimant(fake, USER)
        reference = await typical_korean(me)
    finally:
        await running.stop()
    assert running.store.case(reference) is not None
    during = [c for c in fake.calls if c.method not in SETUP_CALLS]
    requests = [c for c in during if c.http_method != "WEBHOOK"]
    carried = [c for c in during if c.http_method == "WEBHOOK"]
    presses = sum(1 for update in me.pushed if "callback_query" in fake.update(update))
    assert len(requests) <= INTERVIEW_REQUESTS, sorted(c.method for c in requests)
    assert not [c for c in requests if c.method == "answerCallbackQuery"]
    # Every press still stops its spinner exactly once, and Telegram accepted each answer.
    assert [c.method for c in carried] == ["answerCallbackQuery"] * presses
    assert all(c.status == 200 for c in carried)


async def test_a_stale_press_behind_the_webhook_still_gets_its_note(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str
) -> None:
    """The engine refuses the old button; its note comes in the webhook's answer."""
    running = await start_webhook_bot(fake, intake, sqlite_url)
    try:
        me = WebhookClaimant(fake, USER)
        await start_korean(me)
        await me.press("카카오톡")
        await me.press("완료")
        paid = me.last
        await me.press("유료로 이용했습니다", paid)
        stale = fake.push_callback(USER, paid.message_id, paid.callback_data("무료로 이용했습니다"))
        await me.processed(stale)
    finally:
        await running.stop()
    note = fake.callback_answer(stale)
    assert note is not None and note["text"] == (
        "지난 질문의 버튼입니다. 지금 질문을 다시 보내 드립니다."
    )
    stored = running.store.current(CHANNEL, str(USER))
    assert stored is not None and stored.state.answers["paid"] == "paid", "nothing applied"
    assert QUESTIONS_KO["claimant"] in me.last.content
