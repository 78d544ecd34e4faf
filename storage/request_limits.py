"""Requests counted per key in the database, so every web process sees the same limit.

The web chat's per-address limit shares the sign-in limits' table (one row per counted
request, keys under their own prefix): no new table, and the same index serves both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, text

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
    with (
        writing(engine).connect() as conn,
        _without_waiting_for_the_disk(conn),
        conn.begin(),  # SQLite: the write lock up front, no upgrade
    ):
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL synchronous_commit TO OFF"))
        seen = conn.execute(
            select(func.count()).where(ROWS.c.key == key, ROWS.c.at > since)
        ).scalar_one()
        if seen >= limit:
            return False
        conn.execute(delete(ROWS).where(and_(ROWS.c.key.like(prefix), ROWS.c.at < since)))
        conn.execute(insert(ROWS), [{"key": key, "at": now}])
    return True


@contextmanager
def _without_waiting_for_the_disk(conn: Connection) -> Iterator[None]:
    """A count need not survive a power cut: its commit does not wait for the disk.

    A lost count only lets one more request through after a crash, so the limiter's write,
    made for every web chat request, skips the fsync that answers and cases pay for. On
    PostgreSQL ``SET LOCAL synchronous_commit TO OFF`` (this transaction only); on SQLite in
    WAL mode ``synchronous=NORMAL`` for this connection's commit, then its setting again
    (the database stays consistent either way: only the newest commits can be lost)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection  # autocommit (storage.database): no BEGIN here
    assert raw is not None
    before = int(raw.execute("PRAGMA synchronous").fetchone()[0])
    journal = str(raw.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    if before <= 1 or journal != "wal":  # NORMAL already; or no WAL, where NORMAL risks more
        yield
        return
    raw.execute("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        try:
            raw.execute(f"PRAGMA synchronous={before}")
        except Exception:  # still in a transaction (a failed rollback): never pool it so
            conn.invalidate()
            raise
