"""Webhook mode: the secret header, processing before the 200, redelivery, storage outages."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from bot.intake import IntakeService
from bot.telegram import CHANNEL
from tests.bot.conftest import RunningBot, make_settings, start_bot
from tests.bot.interviews import QUESTIONS_KO
from tests.fakes import FakeBotApi

pytestmark = pytest.mark.telegram

SECRET = "webhook_Secret-123"
USER = 6001


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
    fake.push_message(USER, "/start")
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
    fake.push_message(USER, "/start")
    assert (await fake.adeliver(secret=SECRET)).status_code == 200
    question = fake.last_bot_message(USER)
    assert question is not None
    press = fake.push_callback(USER, question.message_id, question.callback_data("한국어"))
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
