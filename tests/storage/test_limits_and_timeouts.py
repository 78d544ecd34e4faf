"""The per-key request limiter (its commits skip the disk wait without changing how the rest
of the store commits) and the statement timeout a batch lifts for itself."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, text

from storage import Store, request_limits

MINUTE = dt.timedelta(minutes=1)
T0 = dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)


def test_a_key_is_refused_after_its_limit_within_the_window(store: Store) -> None:
    took = [
        request_limits.take(store.engine, "chat:a", limit=3, window=MINUTE, now=T0)
        for _ in range(4)
    ]
    assert took == [True, True, True, False]
    assert request_limits.take(store.engine, "chat:b", limit=3, window=MINUTE, now=T0)
    later = T0 + MINUTE + dt.timedelta(seconds=1)
    assert request_limits.take(store.engine, "chat:a", limit=3, window=MINUTE, now=later)


def test_the_limiters_commit_leaves_the_stores_durability_as_it_was(store: Store) -> None:
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            before = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        else:
            before = conn.execute(text("SHOW synchronous_commit")).scalar()
    sqlite = store.engine.dialect.name == "sqlite"
    during: list[object] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT"):  # the count, in its transaction
            raw = conn.connection.dbapi_connection
            asked = "PRAGMA synchronous" if sqlite else "SHOW synchronous_commit"
            during.append(raw.execute(asked).fetchone()[0])

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        for n in range(5):
            assert request_limits.take(store.engine, f"chat:{n}", limit=9, window=MINUTE, now=T0)
        assert request_limits.take(store.engine, "chat:x", limit=1, window=MINUTE, now=T0)
        assert not request_limits.take(store.engine, "chat:x", limit=1, window=MINUTE, now=T0)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert during == ([1] if sqlite else ["off"]) * 6  # NORMAL / off while counting
    pool_size = 3
    conns = [store.engine.connect() for _ in range(pool_size)]
    try:
        for conn in conns:  # the pooled connection the limiter used is among these
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == before == 2  # FULL
            else:
                assert conn.execute(text("SHOW synchronous_commit")).scalar() == before == "on"
    finally:
        for conn in conns:
            conn.close()


@pytest.mark.postgres
def test_a_batch_may_run_past_the_hot_paths_statement_timeout(postgres_database: str) -> None:
    """A recount over a million cases is one long statement: the batch lifts the timeout for
    its own transaction only, and the next transaction is bounded again."""
    from sqlalchemy.exc import OperationalError

    from storage.database import open_engine, without_statement_timeout

    engine = open_engine(postgres_database, pool_size=1, statement_timeout_ms=100)
    try:
        with engine.begin() as conn:
            without_statement_timeout(conn)
            conn.execute(text("SELECT pg_sleep(0.3)"))
        with engine.begin() as conn:
            try:
                conn.execute(text("SELECT pg_sleep(0.3)"))
            except OperationalError as exc:
                assert "statement timeout" in str(exc)
            else:
                raise AssertionError("the timeout stayed lifted after the batch's transaction")
    finally:
        engine.dispose()
