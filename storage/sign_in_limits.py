"""Failed sign-ins counted in the database, so every web process sees the same limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, delete, func, insert, select

from storage.tables import SignInFailureRow, table_of

FAILURES = table_of(SignInFailureRow)


def failures_since(conn: Connection, keys: Iterable[str], since: dt.datetime) -> dict[str, int]:
    """How many failures each key had after ``since`` (keys without any are left out)."""
    rows = conn.execute(
        select(FAILURES.c.key, func.count())
        .where(FAILURES.c.key.in_(list(keys)), FAILURES.c.at > since)
        .group_by(FAILURES.c.key)
    )
    return {key: count for key, count in rows}


def record_failure(
    conn: Connection, keys: Iterable[str], *, now: dt.datetime, forget_before: dt.datetime
) -> None:
    """Count one failure under each key; failures older than any window are dropped."""
    conn.execute(delete(FAILURES).where(FAILURES.c.at < forget_before))
    conn.execute(insert(FAILURES), [{"key": key, "at": now} for key in keys])


def clear(conn: Connection, key: str) -> None:
    conn.execute(delete(FAILURES).where(FAILURES.c.key == key))
