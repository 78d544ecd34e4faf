"""Serving the web app with uvicorn, alone or beside the Telegram bot in one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import uvicorn
from starlette.applications import Starlette

from bot.desk import Desk
from bot.desk.worker import ExportWorker
from bot.intake import IntakeService
from bot.settings import Settings
from bot.web.app import create_app
from bot.web.context import public_url
from storage.account_store import LINK_LIFETIME, AccountStore

log = logging.getLogger(__name__)


class QuietServer(uvicorn.Server):
    """uvicorn without its own signal handlers: the caller's stop event decides."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def announce_first_admin(accounts: AccountStore, base_url: str, out: TextIO) -> str | None:
    """With no admin yet, print a one-time link that creates one (there is no default
    password); each start replaces the previous link. Returns the link, if one was made."""
    token = accounts.first_admin_link()
    if token is None:
        return None
    link = f"{base_url}/account/setup/{token}"
    hours = int(LINK_LIFETIME.total_seconds() // 3600)
    print(
        f"No admin account yet. Open this link within {hours} hours to create the first "
        f"admin (it works once):\n\n    {link}\n",
        file=out,
        flush=True,
    )
    return link


def uvicorn_config(app: Starlette, host: str, port: int) -> uvicorn.Config:
    # No access log: one-time links carry their token in the path.
    return uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, lifespan="off"
    )


async def serve_web(server: uvicorn.Server, stop: asyncio.Event) -> None:
    """Run ``server`` until ``stop`` is set (or the server fails)."""
    serving = asyncio.create_task(server.serve())
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({serving, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        server.should_exit = True
        await serving


async def run(
    settings: Settings,
    intake: IntakeService,
    *,
    host: str,
    port: int,
    with_bot: bool,
    out: TextIO,
    stop: asyncio.Event | None = None,
) -> None:
    """The web app, and the Telegram bot (long polling) when ``with_bot``, until stopped."""
    stop = stop or asyncio.Event()
    app = create_app(settings, intake)
    server = QuietServer(uvicorn_config(app, host, port))
    base = public_url(settings.model_copy(update={"web_host": host, "web_port": port}))
    announce_first_admin(app.state.console.accounts, base, out)
    print(f"Web chat for claimants on http://{host}:{port}/chat", file=out, flush=True)
    print(f"Web console on http://{host}:{port}/  (Ctrl-C stops)", file=out, flush=True)
    tasks = [asyncio.create_task(serve_web(server, stop))]
    worker = None
    if not with_bot:  # the bot runs one of its own; a web-only process must too
        worker = export_worker(settings, intake)
        worker.start()
    if with_bot:
        from bot.telegram.runner import serve as serve_bot

        print("Telegram bot: polling for updates", file=out, flush=True)
        tasks.append(asyncio.create_task(serve_bot(settings, intake, webhook=False, stop=stop)))
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        stop.set()  # one part ended (or failed): stop the other too
        await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            task.result()
    finally:
        stop.set()
        if worker is not None:
            await asyncio.to_thread(worker.stop)


def export_worker(settings: Settings, intake: IntakeService) -> ExportWorker:
    """This process's export worker: it takes queued jobs (the console's, the bot's, one
    whose process died) as any other process's would; the database decides who runs which."""
    desk = Desk(intake.store, intake.released_flows(), Path(settings.export_dir))
    return desk.worker()


def run_until_signal(
    settings: Settings, intake: IntakeService, *, host: str, port: int, with_bot: bool, out: TextIO
) -> None:
    """``run`` until SIGINT or SIGTERM."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await run(settings, intake, host=host, port=port, with_bot=with_bot, out=out, stop=stop)

    asyncio.run(main())
