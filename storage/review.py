"""Operators classifying cases (duplicate, unrelated, reviewed...) and keeping counts in step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Row, select, update

from storage import lifecycle, rollup
from storage.audit import record_event
from storage.errors import UnknownCase
from storage.filing import Crossing, DimensionValue
from storage.tables import (
    CASE_STATUSES,
    COUNTED_STATUSES,
    CaseCrossingRow,
    CaseDimensionRow,
    CaseRow,
)

CASES = CaseRow.__table__
DIMENSIONS = CaseDimensionRow.__table__
CROSSINGS = CaseCrossingRow.__table__
REPORT_ROWS = (DIMENSIONS, CROSSINGS)


def set_status(
    conn: Connection,
    reference: str,
    status: str,
    *,
    actor: str,
    duplicate_of: str | None,
    now: dt.datetime,
) -> None:
    """Change a case's status; its report rows stop (or start) counting in the same commit."""
    if status not in CASE_STATUSES:
        raise ValueError(f"unknown case status {status!r}; one of {', '.join(CASE_STATUSES)}")
    if duplicate_of is not None and status != "duplicate":
        raise ValueError("duplicate_of is only for status 'duplicate'")
    case = _find(conn, reference)
    original = _find(conn, duplicate_of).id if duplicate_of else None
    if original == case.id:
        raise ValueError("a case cannot be a duplicate of itself")
    conn.execute(
        update(CASES).where(CASES.c.id == case.id).values(status=status, duplicate_of=original)
    )
    _recount(conn, case, status)
    lifecycle.follow_status(conn, case.id, status, now)
    detail = {"from": case.status, "to": status}
    record_event(conn, now, actor, "status", reference, detail | _also(duplicate_of))


def _also(duplicate_of: str | None) -> dict[str, str]:
    return {"duplicate_of": duplicate_of} if duplicate_of else {}


def _recount(conn: Connection, case: Row[Any], status: str) -> None:
    """Move the case between status cells; flip its rows (and their cells) if counting changed."""
    deltas = rollup.status_deltas(case.incident_day, case.status, status)
    counted = status in COUNTED_STATUSES
    if counted != (case.status in COUNTED_STATUSES):
        for table in REPORT_ROWS:
            conn.execute(update(table).where(table.c.case_id == case.id).values(counted=counted))
        dimensions = [
            DimensionValue(r.name, r.value, r.amount)
            for r in conn.execute(select(DIMENSIONS).where(DIMENSIONS.c.case_id == case.id))
        ]
        crossings = [
            Crossing(r.a_name, r.a_value, r.b_name, r.b_value)
            for r in conn.execute(select(CROSSINGS).where(CROSSINGS.c.case_id == case.id))
        ]
        sign = 1 if counted else -1
        rollup.row_deltas(case.incident_day, dimensions, crossings, sign, deltas)
    rollup.add(conn, case.flow_id, deltas)


def _find(conn: Connection, reference: str) -> Row[Any]:
    c = CASES.c
    row = conn.execute(
        select(c.id, c.status, c.flow_id, c.incident_day).where(c.reference == reference)
    ).first()
    if row is None:
        raise UnknownCase(f"no case {reference}")
    return row
