"""Jobs that run once a day whatever the number of processes: a row per day, claimed once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, select, update

from storage.database import insert_ignoring
from storage.tables import DailyJobRow, table_of

JOBS = table_of(DailyJobRow)
STALE_AFTER = dt.timedelta(hours=6)
"""A claim this old and unfinished is a process that died mid-run: another may take over."""


def claim_day(conn: Connection, job: str, day: dt.date, who: str, now: dt.datetime) -> bool:
    """True for exactly one caller per (job, day): the row's insert, or a stale claim's takeover.

    One statement each, so of several processes asking at once exactly one wins.
    """
    row = {"job": job, "day": day, "claimed_at": now, "claimed_by": who[:128], "detail": {}}
    inserted = conn.execute(insert_ignoring(conn.dialect.name, JOBS, ["job", "day"]), [row])
    if inserted.rowcount == 1:
        return True
    j = JOBS.c
    seen = conn.execute(
        select(j.claimed_at, j.finished_at).where(j.job == job, j.day == day)
    ).first()
    if seen is None or seen.finished_at is not None or _aware(seen.claimed_at) > now - STALE_AFTER:
        return False
    taken = conn.execute(
        update(JOBS)
        .where(j.job == job, j.day == day, j.claimed_at == seen.claimed_at, j.finished_at.is_(None))
        .values(claimed_at=now, claimed_by=who[:128])
    )
    return taken.rowcount == 1


def finish_day(
    conn: Connection, job: str, day: dt.date, detail: dict[str, Any], now: dt.datetime
) -> None:
    j = JOBS.c
    conn.execute(
        update(JOBS).where(j.job == job, j.day == day).values(finished_at=now, detail=detail)
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
