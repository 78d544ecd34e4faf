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


async def test_a_web_only_process_runs_queued_exports(
    intake: IntakeService, sqlite_url: str, tmp_path
) -> None:
    """No bot process at all: the console's process takes queued jobs itself (one queued by
    a process that died before running it, say)."""
    from storage.export_rows import ExportQuery

    ops = intake.store.operators
    job_id = ops.queue_export(
        ExportQuery(intake.default_flow), actor="web:ana", format="csv", masked=True, language="ko"
    )
    port = free_port()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=sqlite_url, web_port=port, export_dir=str(tmp_path)
    )
    stop = asyncio.Event()
    task = asyncio.create_task(
        run(settings, intake, host="127.0.0.1", port=port, with_bot=False, out=io.StringIO(),
            stop=stop)
    )  # fmt: skip
    for _ in range(400):
        job = ops.export_job(job_id)
        if job.state in {"done", "failed"} or task.done():
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(task, 20)
    assert job.state == "done", job
    assert job.path and (tmp_path / job.path).read_bytes().startswith(b"\xef\xbb\xbf")


def test_released_flows_follow_a_publish(intake: IntakeService) -> None:
    """What a long-running worker exports by is the live release, not the start's."""
    from flows import parse_flow

    flows = intake.released_flows()
    flow_id = intake.default_flow
    before = flows[flow_id]
    shipped = intake.store.flow_version(flow_id, intake.store.released_versions()[flow_id])
    assert shipped is not None
    changed = parse_flow(shipped.source + "\n# a new version\n", "new.yaml")
    intake.publish(changed, actor="test")
    assert intake.store.released_versions()[flow_id] == changed.version
    assert flows[flow_id] is changed.flow and flows[flow_id] is not before
    assert list(flows) == sorted(intake.flow_ids) and "no-such-flow" not in flows
