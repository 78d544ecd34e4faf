"""One surge run in its own process: a bot under test, its database, claimants, figures.

``python -m bench.surge_run SPEC_JSON`` prints one JSON line of figures. Each run gets a
fresh process (so peak RSS is that run's), a fresh database and a fresh in-process Bot API.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import statistics
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import AIORateLimiter

from bench.surge_baselines import floor_app, handwritten_app
from bot.rehearsal.bot_api import TOKEN, InMemoryBotApi
from bot.rehearsal.claimants import Tally, Updates, claim, closed_loop, description_of, open_loop

SECRET = "surge-bench-secret"
PATH = "/telegram"


@dataclass(frozen=True)
class Spec:
    bot: (
        str  # project | project-aiorl (before: PTB's AIORateLimiter defaults) | floor | handwritten
    )
    db: str  # sqlite | postgresql (the baselines keep state in memory / a pickle)
    path: str  # webhook | direct
    claimants: int
    concurrency: int = 64
    every: float | None = None  # open loop: a new claimant every ``every`` s
    think: float = 0.0  # seconds a claimant waits between a reply and its next update
    admin_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    profile: str | None = None  # write a pyinstrument text report here


@dataclass
class Figures:
    spec: dict[str, Any]
    updates: int
    seconds: float
    updates_per_s: float
    interviews: int
    interviews_per_s: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_update: float
    chat_calls_per_interview: float
    callback_answers_per_interview: float
    requests_per_interview: float  # Bot API requests the bot made (webhook-carried calls aside)
    peak_rss_mb: float
    check: str
    failures: list[str]


@contextlib.contextmanager
def database(spec: Spec, tmp: Path) -> Iterator[str]:
    if spec.db == "sqlite":
        yield f"sqlite:///{tmp / 'surge.db'}"
        return
    from bench.hotpath import throwaway_postgres

    with throwaway_postgres(spec.admin_url) as url:
        if url is None:
            raise SystemExit("PostgreSQL unreachable")
        yield url


def project_app(spec: Spec, url: str, api: InMemoryBotApi) -> tuple[Any, Any]:
    from bot.intake import IntakeService
    from bot.settings import Settings
    from bot.telegram.app import build_application
    from flows import load_flows
    from storage import Store, upgrade

    upgrade(url)
    settings = Settings(_env_file=None, database_url=url, telegram_bot_token=TOKEN)  # type: ignore[call-arg]
    intake = IntakeService(Store(url, pool_size=16), load_flows().values(), settings.default_flow)
    before = AIORateLimiter(max_retries=3) if spec.bot == "project-aiorl" else None
    return build_application(settings, intake, request=api, rate_limiter=before), intake


def check_project(intake: Any, completed: list[int]) -> str:
    """Every completed claimant: exactly one case, holding that claimant's own description."""
    from storage.tables import CaseRow

    cases = CaseRow.__table__
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with intake.store.engine.connect() as conn:
        rows = conn.execute(select(cases.c.user_key, cases.c.answers)).all()
    for user_key, answers in rows:
        found[user_key].append(answers if isinstance(answers, dict) else json.loads(answers))
    wrong = [
        uid
        for uid in completed
        if len(found.get(str(uid), [])) != 1
        or found[str(uid)][0].get("description") != description_of(uid)
    ]
    extra = len(rows) - len(completed)
    if wrong or extra:
        return f"FAILED: {len(wrong)} claimant(s) without exactly one own case, {extra} extra"
    return f"ok: {len(completed)} interviews, {len(rows)} cases, each the claimant's own"


def check_handwritten(application: Any, completed: list[int]) -> str:
    cases = application.bot_data.get("cases", {})
    wrong = [
        uid
        for uid in completed
        if len(cases.get(uid, [])) != 1 or cases[uid][0].get("description") != description_of(uid)
    ]
    if wrong:
        return f"FAILED: {len(wrong)} claimant(s) without exactly one own case"
    return f"ok: {len(completed)} interviews, one case each (in memory; pickled every 60 s)"


@contextlib.asynccontextmanager
async def webhook(application: Any, project: bool) -> AsyncIterator[str]:
    """The bot behind a real HTTP endpoint on 127.0.0.1; yields its URL."""
    if project:
        from bot.telegram.webhook import webhook_app

        app = webhook_app(application, secret=SECRET, path=PATH)
    else:  # the same kind of webhook for the baselines: process, then 200

        async def receive(request: Request) -> Response:
            update = Update.de_json(await request.json(), application.bot)
            await application.process_update(update)
            return Response(status_code=200)

        app = Starlette(routes=[Route(PATH, receive, methods=["POST"])])
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_keep_alive=300,  # claimants keep their connection, as Telegram does
        backlog=4096,
    )
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}{PATH}"
    finally:
        server.should_exit = True
        await serving


async def drive(spec: Spec, application: Any, api: InMemoryBotApi, tally: Tally) -> float:
    """Run the claimants; returns the wall time."""
    project = spec.bot.startswith("project")
    updates = Updates()
    floor = spec.bot == "floor"

    async def run(deliver: Any) -> float:
        async def one(user_id: int) -> None:
            await claim(user_id, api, updates, deliver, tally, floor=floor, think=spec.think)

        started = time.perf_counter()
        if spec.every is not None:
            await open_loop(spec.claimants, spec.every, one)
        else:
            await closed_loop(spec.claimants, spec.concurrency, one)
        return time.perf_counter() - started

    if spec.path == "direct":
        from bot.telegram.processing import process_fully

        async def direct(data: dict[str, Any]) -> int:
            update = Update.de_json(data, application.bot)
            if project:
                return 200 if await process_fully(application, update) else 503
            await application.process_update(update)
            return 200

        return await run(direct)
    async with webhook(application, project) as url:
        limits = httpx.Limits(
            max_connections=spec.concurrency + 8, max_keepalive_connections=spec.concurrency + 8
        )
        async with httpx.AsyncClient(limits=limits, timeout=120) as client:

            async def post(data: dict[str, Any]) -> int:
                headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
                try:
                    response = await client.post(url, json=data, headers=headers)
                except httpx.TransportError:  # no answer: Telegram would deliver it again
                    return 599
                if response.status_code == 200:
                    api.webhook_reply(response.content)  # a call carried in the answer
                return response.status_code

            return await run(post)


async def measure(spec: Spec) -> Figures:
    api = InMemoryBotApi()
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp, database(spec, Path(tmp)) as url:
        intake = None
        if spec.bot.startswith("project"):
            application, intake = project_app(spec, url, api)
        elif spec.bot == "floor":
            application = floor_app(api)
        else:
            application = handwritten_app(api, Path(tmp) / "handwritten.pickle")
        async with application:
            await application.start()
            if spec.profile:
                seconds, cpu = await profiled(spec, application, api, tally)
            else:
                cpu0 = time.process_time()
                seconds = await drive(spec, application, api, tally)
                cpu = time.process_time() - cpu0
            await application.stop()
        if intake is not None:
            check = check_project(intake, tally.completed)
            intake.store.close()
        elif spec.bot == "handwritten":
            check = check_handwritten(application, tally.completed)
        else:
            check = f"ok: {len(tally.completed)} claimants answered 'ok' throughout"
    done = max(len(tally.completed), 1)
    latencies = sorted(tally.latencies) or [0.0]
    n = len(tally.latencies)
    return Figures(
        spec=asdict(spec),
        updates=n,
        seconds=seconds,
        updates_per_s=n / seconds,
        interviews=len(tally.completed),
        interviews_per_s=len(tally.completed) / seconds,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[min(n - 1, int(n * 0.99))] * 1000 if n else 0.0,
        cpu_ms_per_update=cpu / max(n, 1) * 1000,
        chat_calls_per_interview=api.chat_calls() / done,
        callback_answers_per_interview=api.calls["answerCallbackQuery"] / done,
        requests_per_interview=api.requests() / done,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        check=check
        if not tally.failures
        else f"FAILED: {len(tally.failures)} claimant(s) stuck; {check}",
        failures=tally.failures[:5],
    )


async def profiled(
    spec: Spec, application: Any, api: InMemoryBotApi, tally: Tally
) -> tuple[float, float]:
    """The run under pyinstrument, storage calls inline so that one thread holds all the work."""
    from pyinstrument import Profiler

    from bot.telegram.channel import TelegramChannel

    async def inline(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    TelegramChannel.call = inline  # type: ignore[method-assign]
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    cpu0 = time.process_time()
    profiler.start()
    seconds = await drive(spec, application, api, tally)
    profiler.stop()
    cpu = time.process_time() - cpu0
    assert spec.profile is not None
    Path(spec.profile).write_text(profiler.output_text(unicode=True, show_all=False))
    return seconds, cpu


def main() -> None:
    warnings.simplefilter("ignore")  # PTB's per_message notice for the hand-written bot
    spec = Spec(**json.loads(sys.argv[1]))
    print(json.dumps(asdict(asyncio.run(measure(spec)))), flush=True)


if __name__ == "__main__":
    main()
