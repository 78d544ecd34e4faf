"""The audit trail: who exported, erased, published or re-classified what, and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from storage.tables import AuditEventRow, table_of

AUDIT_EVENTS = table_of(AuditEventRow)
_INSERT = insert(AUDIT_EVENTS)


def record_event(
    conn: Connection,
    at: dt.datetime,
    actor: str,
    action: str,
    subject: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one event in the caller's transaction; ``detail`` must hold no personal data."""
    conn.execute(
        _INSERT,
        {"at": at, "actor": actor, "action": action, "subject": subject, "detail": detail or {}},
    )


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: dt.datetime
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]


def events_before(conn: Connection, before_id: int | None, limit: int) -> list[AuditEvent]:
    """The newest events older than ``before_id`` (keyset paging: as fast on page 10,000)."""
    c = AUDIT_EVENTS.c
    query = select(c.id, c.at, c.actor, c.action, c.subject, c.detail).order_by(c.id.desc())
    if before_id is not None:
        query = query.where(c.id < before_id)
    rows = conn.execute(query.limit(limit))
    return [
        AuditEvent(
            r.id,
            r.at if r.at.tzinfo else r.at.replace(tzinfo=dt.UTC),
            r.actor,
            r.action,
            r.subject,
            r.detail,
        )
        for r in rows
    ]
