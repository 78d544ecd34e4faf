"""The audit trail: who exported, erased, published or re-classified what, and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert

from storage.tables import AuditEventRow

_INSERT = insert(AuditEventRow.__table__)


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
