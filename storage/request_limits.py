"""Requests counted per key in the database, so every web process sees the same limit.

The web chat's per-address limit shares the sign-in limits' table (one row per counted
request, keys under their own prefix): no new table, and the same index serves both.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, and_, delete, func, insert, select

from storage.database import writing
from storage.tables import SignInFailureRow, table_of

ROWS = table_of(SignInFailureRow)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def take(
    engine: Engine,
    key: str,
    *,
    limit: int,
    window: dt.timedelta,
    now: dt.datetime | None = None,
) -> bool:
    """Count one request under ``key``; False (nothing counted) when ``limit`` requests
    came in the last ``window`` already. ``key`` carries its own prefix (e.g. ``chat:``);
    only that prefix's old rows are dropped, never another limit's."""
    now = now or _utc_now()
    since = now - window
    prefix = key.split(":", 1)[0] + ":%"
    with writing(engine).begin() as conn:  # SQLite: the write lock up front, no upgrade
        seen = conn.execute(
            select(func.count()).where(ROWS.c.key == key, ROWS.c.at > since)
        ).scalar_one()
        if seen >= limit:
            return False
        conn.execute(delete(ROWS).where(and_(ROWS.c.key.like(prefix), ROWS.c.at < since)))
        conn.execute(insert(ROWS), [{"key": key, "at": now}])
    return True
