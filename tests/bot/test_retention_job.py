"""The daily retention purge starts with the bot, and of two bots only one runs it."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.intake import IntakeService
from bot.retention_job import purge_daily
from storage import Store
from storage.tables import AuditEventRow, DailyJobRow
from tests.bot.conftest import RunningBot, eventually, make_intake

pytestmark = pytest.mark.telegram


def _jobs(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(DailyJobRow.__table__)).all())


def _purges(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        table = AuditEventRow.__table__
        return list(conn.execute(select(table).where(table.c.action == "purge")).all())


async def test_the_running_bot_claims_and_runs_todays_purge(bot: RunningBot) -> None:
    await eventually(lambda: any(job.finished_at for job in _jobs(bot.store)))
    (job,) = _jobs(bot.store)
    assert job.job == "retention-purge" and job.detail["cases"] == 0
    (event,) = _purges(bot.store)
    assert event.actor.startswith("daily:")


async def test_two_processes_looping_run_the_day_once(sqlite_url: str, bot: RunningBot) -> None:
    other: IntakeService = make_intake(sqlite_url)
    runs: list[object] = []
    original = other.run_daily_purge

    def counted(who: str, progress: object = None) -> object:
        runs.append(original(who, progress))  # type: ignore[arg-type]
        return runs[-1]

    other.run_daily_purge = counted  # type: ignore[method-assign]
    stop = asyncio.Event()
    loop = asyncio.create_task(purge_daily(other, stop, every=0.05))
    try:
        await eventually(lambda: len(runs) >= 3 and _jobs(bot.store))
        await eventually(lambda: any(job.finished_at for job in _jobs(bot.store)))
    finally:
        stop.set()
        await loop
        other.store.close()
    assert len([r for r in runs if r is not None]) <= 1, "the second process ran it at most once"
    assert len(_jobs(bot.store)) == 1 and len(_purges(bot.store)) == 1
