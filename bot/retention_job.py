"""The daily retention purge as a loop any long-running process can start (the bot does).

Every process runs the loop; the database lets exactly one of them run each day's purge
(storage claims a row per day), so starting it in every bot process is safe and needs no
scheduler. It logs numbers only, never what was purged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket

from bot.intake import UNAVAILABLE, IntakeService
from storage.purge import PurgeStopped

log = logging.getLogger(__name__)

CHECK_EVERY = 3600.0
"""Seconds between looks at the calendar: the day's purge starts within the hour."""


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def purge_daily(
    intake: IntakeService, stop: asyncio.Event, every: float = CHECK_EVERY
) -> None:
    """Until ``stop``: claim today's purge, run it if ours, then wait ``every`` seconds."""
    who = process_name()

    def stopping(_done: int, _total: int) -> None:
        # A long purge must not hold up a shutdown: stop between batches (each one is
        # committed); the claim goes stale and a later run finishes the work.
        if stop.is_set():
            raise PurgeStopped

    while not stop.is_set():
        try:
            done = await asyncio.to_thread(intake.run_daily_purge, who, stopping)
        except UNAVAILABLE as exc:
            log.warning("retention purge postponed: %s", type(exc).__name__)
        except PurgeStopped:
            log.info("retention purge stopped with the process; a later run goes on")
        else:
            if done is not None:
                log.info(
                    "retention purge: %d cases, %d attachments, %d interviews; "
                    "%d held, %d under review skipped",
                    done.cases,
                    done.attachments,
                    done.interviews,
                    len(done.held),
                    len(done.under_review),
                )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)
