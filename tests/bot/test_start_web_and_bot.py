"""`complaintbot start`: the web console and the Telegram bot served in one event loop."""

from __future__ import annotations

import asyncio
import io

import httpx
import pytest

from bot.intake import IntakeService
from bot.settings import Settings
from bot.web.server import run
from tests.bot.conftest import Claimant, make_settings
from tests.bot.interviews import QUESTIONS_KO
from tests.fakes import FakeBotApi
from tests.web.conftest import free_port

pytestmark = pytest.mark.telegram


async def _console_answers(url: str, task: asyncio.Task[None]) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        while True:
            if task.done():
                task.result()
            try:
                return await client.get(url)
            except httpx.ConnectError:
                await asyncio.sleep(0.05)  # the server is still binding its socket


async def test_the_console_and_the_bot_run_side_by_side(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str, claimant
) -> None:
    port = free_port()
    settings = make_settings(fake, sqlite_url, web_port=port)
    stop = asyncio.Event()
    out = io.StringIO()
    task = asyncio.create_task(
        run(settings, intake, host="127.0.0.1", port=port, with_bot=True, out=out, stop=stop)
    )
    sign_in = await asyncio.wait_for(_console_answers(f"http://127.0.0.1:{port}/sign-in", task), 20)
    assert sign_in.status_code == 200 and "로그인" in sign_in.text
    await fake.await_for(lambda: fake.pending_polls > 0, timeout=20)
    me: Claimant = claimant()
    await me.send("/start")
    assert "언어" in me.last.content or QUESTIONS_KO["consent"] in me.last.content
    printed = out.getvalue()
    assert f"http://127.0.0.1:{port}/account/setup/" in printed
    assert "Telegram bot: polling" in printed
    stop.set()
    await asyncio.wait_for(task, 20)
    assert task.exception() is None


async def test_the_console_runs_alone_without_a_token(
    intake: IntakeService, sqlite_url: str
) -> None:
    port = free_port()
    settings = Settings(_env_file=None, database_url=sqlite_url, web_port=port)  # type: ignore[call-arg]
    stop = asyncio.Event()
    out = io.StringIO()
    task = asyncio.create_task(
        run(settings, intake, host="127.0.0.1", port=port, with_bot=False, out=out, stop=stop)
    )
    health = await asyncio.wait_for(_console_answers(f"http://127.0.0.1:{port}/healthz", task), 20)
    assert health.text == "ok" and "Telegram" not in out.getvalue()
    stop.set()
    await asyncio.wait_for(task, 20)
