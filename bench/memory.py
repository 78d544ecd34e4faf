"""Memory: the bot's RSS with 100,000 conversations under way at once (target: under 300 MB).

Run: ``./dev bench memory`` or ``python -m bench memory [--quick] [--conversations N]``.

The real python-telegram-bot ``Application`` from ``bot.telegram.build_application``, updates
straight into ``process_fully`` (as ``bench/surge_run.py`` does on its direct path), the Bot
API answered from memory (``bot.rehearsal.bot_api``; each chat's messages are dropped once
its claimant is done, so the stand-in's memory is not the bot's), on SQLite. Each simulated
claimant (distinct user) sends /start, picks the language and consents, and stops at the
services question: its conversation stays open. RSS is read at checkpoints, after a garbage
collection, against the baseline (the same process after building the app, no conversation),
with the size of every in-process structure that could grow per user.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import platform
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from telegram import Update

from bot.rehearsal.bot_api import TOKEN, InMemoryBotApi
from bot.rehearsal.claimants import FIRST_USER, REDELIVERY_AFTER, Updates, closed_loop

OPENING = (("type", "/start"), ("press", "한국어"), ("press", "동의합니다"))
"""Three updates: the conversation is then open at its first question (the services)."""
NEXT_BUTTON = "카카오톡"
REDELIVERIES = 10
TARGET_MB = 300.0
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """Resident memory now (not the peak), after a full garbage collection."""
    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


@dataclass
class Point:
    conversations: int
    open_in_db: int
    rss_mb: float
    sizes: dict[str, int]
    seconds: float
    redelivered: int
    """Updates refused while storage was busy (STORAGE_WAIT_TIMEOUT) and delivered again."""


def in_process_sizes(application: Any) -> dict[str, int]:
    """Everything in the process that is keyed by user, chat or update."""
    from bot.telegram.channel import application_channel

    channel = application_channel(application)
    return {
        "ptb user_data": len(application.user_data),
        "ptb chat_data": len(application.chat_data),
        "ptb persistence marks": len(application._user_ids_to_be_updated_in_persistence)
        + len(application._chat_ids_to_be_updated_in_persistence),
        "ordering locks": application.update_processor.active_users,
        "open question messages": len(channel.questions),
        "finished update ids": len(channel.finished),
        "interrupted update ids": len(channel.interrupted),
        "retry-later update ids": len(channel.retry_later),
        "interview machines": len(channel.intake._interviews),
    }


def open_conversations(intake: Any) -> int:
    from storage.tables import ConversationRow

    table = ConversationRow.__table__
    query = select(func.count()).select_from(table).where(table.c.status == "active")
    with intake.store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


async def measure(
    checkpoints: list[int], concurrency: int, say: Callable[[str], None]
) -> tuple[float, list[Point], list[str]]:
    from bot.intake import IntakeService
    from bot.settings import Settings
    from bot.telegram.app import build_application
    from bot.telegram.processing import process_fully
    from flows import load_flows
    from storage import Store

    api = InMemoryBotApi()
    updates = Updates()
    failures: list[str] = []
    refused = [0]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'memory.db'}"
        settings = Settings(_env_file=None, database_url=url, telegram_bot_token=TOKEN)  # type: ignore[call-arg]
        # NORMAL: a commit is not fsynced, which changes the time, not what stays in memory
        store = Store(url, sqlite_synchronous="NORMAL", pool_size=16)
        intake = IntakeService(store, load_flows().values(), settings.default_flow)
        application = build_application(settings, intake, request=api)
        async with application:
            await application.start()
            baseline = rss_mb()
            say(f"baseline (app built, no conversation): {baseline:.1f} MB")

            async def deliver(data: dict[str, Any]) -> bool:
                """Processed; a refusal (storage busy: the webhook's 503) is delivered again
                after a while, as Telegram does."""
                for attempt in range(REDELIVERIES):
                    if attempt:
                        refused[0] += 1
                        await asyncio.sleep(REDELIVERY_AFTER)
                    if await process_fully(application, Update.de_json(data, application.bot)):
                        return True
                return False

            async def open_one(user_id: int) -> None:
                for kind, value in OPENING:
                    if kind == "type":
                        data = updates.message(user_id, value)
                    else:
                        shown = api.with_button(user_id, value)
                        if shown is None:
                            failures.append(f"{user_id}: no button {value!r}")
                            return
                        data = updates.press(
                            user_id, api.message_of(user_id, shown), shown.data_of(value) or ""
                        )
                    if not await deliver(data):
                        failures.append(
                            f"{user_id}: storage refused the update {REDELIVERIES} times"
                        )
                        return
                last = api.last(user_id)
                if last is None or last.data_of(NEXT_BUTTON) is None:
                    failures.append(f"{user_id}: not at the services question")
                api.forget(user_id)

            points: list[Point] = []
            done, started = 0, time.perf_counter()
            for target in checkpoints:
                await closed_loop(target - done, concurrency, open_one, FIRST_USER + done)
                done = target
                point = Point(
                    done,
                    open_conversations(intake),
                    rss_mb(),
                    in_process_sizes(application),
                    time.perf_counter() - started,
                    refused[0],
                )
                points.append(point)
                say(report_line(point, baseline))
            await application.stop()
        store.close()
    return baseline, points, failures


def report_line(point: Point, baseline: float) -> str:
    grown = point.rss_mb - baseline
    per = grown * 2**20 / max(point.conversations, 1)
    sizes = ", ".join(f"{name} {n:,}" for name, n in point.sizes.items())
    return (
        f"{point.conversations:>7,} conversations ({point.open_in_db:,} open in the database): "
        f"RSS {point.rss_mb:6.1f} MB = {point.rss_mb / baseline:.2f}x baseline, "
        f"+{grown:.1f} MB ({per:,.0f} B/conversation) after {point.seconds:,.0f} s "
        f"({point.redelivered} redelivered); {sizes}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run (2,000)")
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=64, help="claimants at once")
    args = parser.parse_args()
    # a refusal is counted and delivered again; one warning each would bury the figures
    logging.getLogger("bot.telegram.processing").setLevel(logging.ERROR)
    total = 2_000 if args.quick else args.conversations
    marks = (0.1, 0.25, 0.5, 1.0)
    checkpoints = sorted({max(1, int(total * m)) for m in marks})
    print(
        f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    baseline, points, failures = asyncio.run(
        measure(checkpoints, args.concurrency, lambda line: print(line, flush=True))
    )
    last = points[-1]
    slope = ""
    if len(points) >= 2:
        a, b = points[-2], points[-1]
        per = (b.rss_mb - a.rss_mb) * 2**20 / max(b.conversations - a.conversations, 1)
        slope = f"; {per:,.0f} B per conversation from {a.conversations:,} to {b.conversations:,}"
    print(
        f"{last.conversations:,} open conversations: RSS {last.rss_mb:.1f} MB "
        f"(target < {TARGET_MB:.0f} MB), {last.rss_mb / baseline:.2f}x the baseline's "
        f"{baseline:.1f} MB{slope}; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    if failures:
        raise SystemExit(f"{len(failures)} claimant(s) failed, e.g. {failures[:3]}")
    if last.open_in_db != last.conversations:
        raise SystemExit(f"{last.open_in_db} conversations open, {last.conversations} expected")
    if last.rss_mb >= TARGET_MB:
        raise SystemExit(f"RSS {last.rss_mb:.1f} MB is over the {TARGET_MB:.0f} MB target")


if __name__ == "__main__":
    main()
