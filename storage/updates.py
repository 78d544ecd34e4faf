"""Processed channel updates: kept long enough to ignore redeliveries, then pruned."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, delete

from storage.tables import ProcessedUpdateRow

PROCESSED = ProcessedUpdateRow.__table__


def prune(conn: Connection, before: dt.datetime) -> int:
    """Forget updates processed before ``before``; returns how many."""
    result = conn.execute(delete(PROCESSED).where(PROCESSED.c.processed_at < before))
    return result.rowcount
