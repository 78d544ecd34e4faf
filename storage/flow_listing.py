"""Which flow versions the database holds, newest first: what the console lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select

from storage.tables import FlowVersionRow, table_of

VERSIONS = table_of(FlowVersionRow)


@dataclass(frozen=True)
class StoredVersion:
    flow_id: str
    version: str
    published_at: dt.datetime


def stored_versions(conn: Connection) -> list[StoredVersion]:
    """Every stored version, per flow, newest first (a few rows: no case is read)."""
    v = VERSIONS.c
    rows = conn.execute(
        select(v.flow_id, v.version, v.published_at).order_by(
            v.flow_id, v.published_at.desc(), v.version
        )
    )
    return [
        StoredVersion(
            flow_id, version, published if published.tzinfo else published.replace(tzinfo=dt.UTC)
        )
        for flow_id, version, published in rows
    ]
