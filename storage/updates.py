"""Processed channel updates: kept long enough to ignore redeliveries, then pruned."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Insert, delete, exists, select

from storage.database import insert_ignoring
from storage.tables import ProcessedUpdateRow, table_of

PROCESSED = table_of(ProcessedUpdateRow)
ANSWERED = ":answered"
"""Suffix of the key recording that an update was processed *and replied to* (see
``storage.conversation_locks``); pruned with the update keys."""


def answered_key(update_key: str) -> str:
    return update_key + ANSWERED


def was_answered(conn: Connection, channel: str, update_key: str) -> bool:
    """Whether some process finished ``update_key``, its reply included."""
    c = PROCESSED.c
    found = select(c.update_key).where(
        c.channel == channel, c.update_key == answered_key(update_key)
    )
    return bool(conn.execute(select(exists(found))).scalar())


def insert_new(dialect: str) -> Insert:
    """Record an update key; the statement's rowcount says new (1) or a redelivery (0)."""
    return insert_ignoring(dialect, PROCESSED, ["channel", "update_key"])


def record(
    conn: Connection, statement: Insert, channel: str, update_key: str, now: dt.datetime
) -> bool:
    """Remember ``update_key`` in the caller's transaction; False if it was already there."""
    seen = {"channel": channel, "update_key": update_key, "processed_at": now}
    return conn.execute(statement, seen).rowcount == 1


def prune(conn: Connection, before: dt.datetime) -> int:
    """Forget updates processed before ``before``; returns how many."""
    result = conn.execute(delete(PROCESSED).where(PROCESSED.c.processed_at < before))
    return result.rowcount
