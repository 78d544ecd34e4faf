"""An outage rehearsal: simulated claimants through a deployment's webhook, then the figures.

The rehearsal serves a stand-in Bot API (``bot_api``) on a local port. The deployment under
rehearsal runs with ``TELEGRAM_API_BASE_URL`` pointing there, so its replies come back to the
rehearsal, which reads them to press the buttons, the way claimants would. Updates go to the
deployment's webhook with its secret header, closed loop: a claimant's next update only once
the webhook answered. Without a URL, the rehearsal starts a deployment of its own in this
process (the same code as ``complaintbot run --webhook``), on SQLite in a temporary folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bot.rehearsal.bot_api import TOKEN, InMemoryBotApi, bot_api_app
from bot.rehearsal.cases import CaseCheck, check_by_numbers, check_in_database
from bot.rehearsal.claimants import PERSONA, PERSONA_FLOW, Tally, Updates, claim, closed_loop
from bot.rehearsal.serving import free_port, serving
from bot.settings import Settings
from bot.telegram.webhook import SECRET_HEADER

FIRST_USER = 8_000_000_000_000
"""Rehearsal claimants' Telegram ids: far above any real user's, and picked at random above
this per run, so a second rehearsal against the same database meets none of the first's."""


@dataclass(frozen=True)
class Plan:
    """What to rehearse, against what."""

    claimants: int
    concurrency: int
    url: str | None = None
    """The deployment's webhook URL; None: a deployment of our own, in this process."""
    secret: str | None = None
    """The webhook's secret; None: the one the deployment gave in its setWebhook call."""
    api_host: str = "127.0.0.1"
    api_port: int = 0
    database_url: str | None = None
    """The deployment's database, to check the cases filed; None: by the numbers shown."""
    wait: float = 300.0
    """Seconds to wait for the deployment to start and call setWebhook here."""
    progress: bool = True


@dataclass
class Summary:
    """What a rehearsal measured."""

    plan: Plan
    target: str
    seconds: float
    tally: Tally
    check: CaseCheck
    chat_calls: int
    errors: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.check.ok and not self.tally.failures and not self.errors

    def lines(self) -> list[str]:
        tally, plan = self.tally, self.plan
        done, updates = len(tally.completed), len(tally.latencies)
        seconds = max(self.seconds, 1e-9)
        latencies = sorted(tally.latencies) or [0.0]

        def pct(q: float) -> str:
            return f"{latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000:.1f}"

        errors = ", ".join(f"HTTP {code} x{n}" for code, n in sorted(self.errors.items()))
        stuck = "; ".join(tally.failures[:3])
        return [
            f"rehearsal: {plan.claimants} claimants, {plan.concurrency} at once, "
            f"against {self.target}",
            f"completed: {done} of {plan.claimants} interviews in {self.seconds:.1f} s: "
            f"{done / seconds:.2f} interviews/s, {updates / seconds:.1f} updates/s "
            f"({updates} updates, {len(PERSONA)} per interview)",
            f"latency per update: p50 {pct(0.5)} ms, p90 {pct(0.9)} ms, p99 {pct(0.99)} ms, "
            f"max {latencies[-1] * 1000:.1f} ms",
            f"bot messages: {self.chat_calls / max(done, 1):.1f} sends and edits per interview",
            f"errors: {errors or 'no HTTP errors'}; "
            + (f"{len(tally.failures)} claimant(s) stuck: {stuck}" if stuck else "nobody stuck"),
            f"cases: {self.check.text}",
        ]


Progress = Callable[[int], None]


async def rehearse(plan: Plan, *, say: Callable[[str], None] = print) -> Summary:
    """Run ``plan``; ``say`` gets the instructions for a deployment started by hand."""
    api = InMemoryBotApi()
    async with serving(bot_api_app(api), plan.api_host, plan.api_port) as api_port:
        api_url = f"http://{plan.api_host}:{api_port}"
        if plan.url is None:
            async with own_deployment(api, api_url, plan.wait) as (url, secret, settings):
                target = f"{url} (a deployment in this process, SQLite in a temporary folder)"
                return await _run(plan, api, url, secret, target, settings)
        say(
            f"rehearsal: the stand-in Bot API listens on {api_url}; (re)start the deployment "
            f"with TELEGRAM_API_BASE_URL={api_url}/bot and "
            f"TELEGRAM_FILE_BASE_URL={api_url}/file/bot (any TELEGRAM_BOT_TOKEN). "
            f"Waiting up to {plan.wait:.0f} s for its setWebhook..."
        )
        await _webhook_set(api, plan.wait)
        secret = plan.secret or (api.webhook.secret if api.webhook else None)
        if not secret:
            raise RehearsalError("the deployment set no webhook secret; give --secret")
        deployment = None
        if plan.database_url is not None:  # its keys, if its answers are encrypted at rest
            deployment = Settings(database_url=plan.database_url)
        return await _run(plan, api, plan.url, secret, plan.url, deployment)


class RehearsalError(RuntimeError):
    """The deployment could not be reached or did not start."""


async def _webhook_set(
    api: InMemoryBotApi, wait: float, started: asyncio.Task[Any] | None = None
) -> None:
    deadline = time.monotonic() + wait
    while api.webhook is None:
        if started is not None and started.done():
            started.result()  # its exception, if it failed to start
            raise RehearsalError("the deployment stopped before it set its webhook")
        if time.monotonic() > deadline:
            raise RehearsalError(f"no setWebhook from the deployment within {wait:.0f} s")
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def own_deployment(
    api: InMemoryBotApi, api_url: str, wait: float
) -> AsyncIterator[tuple[str, str, Settings]]:
    """``complaintbot run --webhook`` in this process on a fresh SQLite; yields its webhook
    URL, secret and settings."""
    from bot.intake import IntakeService
    from bot.telegram.runner import serve
    from flows import load_flows
    from storage import Store

    with tempfile.TemporaryDirectory(prefix="complaintbot-rehearsal-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'rehearsal.db'}"
        port, secret = free_port(), secrets.token_urlsafe(24)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=database_url,
            telegram_bot_token=TOKEN,
            telegram_api_base_url=f"{api_url}/bot",
            telegram_file_base_url=f"{api_url}/file/bot",
            webhook_url=f"http://127.0.0.1:{port}/telegram",
            webhook_secret=secret,
            webhook_port=port,
            retention_purge=False,
            operator_ids=frozenset(),
            flow_paths=[],
            default_flow=PERSONA_FLOW,
        )
        store = Store(
            database_url,
            sqlite_synchronous=settings.sqlite_synchronous,
            pii_key=settings.pii_key,
            pii_old_keys=settings.pii_old_keys,
        )
        intake = IntakeService(store, load_flows().values(), settings.default_flow)
        stop = asyncio.Event()
        running = asyncio.create_task(serve(settings, intake, webhook=True, stop=stop))
        try:
            await _webhook_set(api, wait, running)
            assert settings.webhook_url is not None
            yield settings.webhook_url, secret, settings
        finally:
            stop.set()
            await running
            store.close()


async def _run(
    plan: Plan,
    api: InMemoryBotApi,
    url: str,
    secret: str,
    target: str,
    database: Settings | None,
) -> Summary:
    tally = Tally()
    first_user = FIRST_USER + secrets.randbelow(10**12 // max(plan.claimants, 1)) * plan.claimants
    updates = Updates(first_update_id=secrets.randbelow(2**31 - 10**7) + 1)
    limits = httpx.Limits(max_connections=plan.concurrency + 8)
    headers = {SECRET_HEADER: secret}
    async with (
        httpx.AsyncClient(limits=limits, timeout=120, headers=headers) as client,
        _progress_bar(plan) as advance,
    ):

        async def post(update: dict[str, Any]) -> int:
            try:
                response = await client.post(url, json=update)
            except httpx.TransportError:  # no answer: Telegram would deliver it again
                return 599
            if response.status_code == 200:
                api.webhook_reply(response.content)  # e.g. answerCallbackQuery
            return response.status_code

        async def one(user_id: int) -> None:
            await claim(user_id, api, updates, post, tally)
            advance(1)

        started = time.perf_counter()
        await closed_loop(plan.claimants, plan.concurrency, one, first_user)
        seconds = time.perf_counter() - started
    claimants = range(first_user, first_user + plan.claimants)
    check = await asyncio.to_thread(_check, database, tally, claimants)
    errors = {code: n for code, n in tally.statuses.items() if code != 200}
    return Summary(plan, target, seconds, tally, check, api.chat_calls(), errors)


def _check(database: Settings | None, tally: Tally, claimants: range) -> CaseCheck:
    if database is None:
        return check_by_numbers(tally)
    from storage import Store

    with Store(
        database.database_url, pii_key=database.pii_key, pii_old_keys=database.pii_old_keys
    ) as store:
        return check_in_database(store, tally, claimants)


@contextlib.asynccontextmanager
async def _progress_bar(plan: Plan) -> AsyncIterator[Progress]:
    """A progress bar on a terminal (stderr); nothing when output goes to a file or a pipe."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    console = Console(stderr=True)
    shown = plan.progress and console.is_terminal
    with Bar(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not shown,
        transient=True,
    ) as bar:
        task = bar.add_task("claimants", total=plan.claimants)
        yield lambda n: bar.advance(task, n)
