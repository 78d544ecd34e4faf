"""Reading cases for operators: filtered pages of the case list, a case's history and links."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, exists, select

from storage.errors import UnknownCase
from storage.tables import CaseDimensionRow, CaseEventRow, CaseLinkRow, CaseRow, table_of

CASES = table_of(CaseRow)
WHOLE_REFERENCE = re.compile(r"[A-Za-z][A-Za-z0-9]*-\d{6}-\d{6,}")
"""A whole case reference (storage.filing.case_reference): looked up, not searched for."""
DIMENSIONS = table_of(CaseDimensionRow)
EVENTS = table_of(CaseEventRow)
LINKS = table_of(CaseLinkRow)


@dataclass(frozen=True)
class CaseFilter:
    """Which cases an operator looks at; ``values`` are (dimension, value) pairs."""

    flow_id: str
    statuses: tuple[str, ...] = ()
    assigned_to: str | None = None
    values: tuple[tuple[str, str], ...] = ()
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    reference: str | None = None
    """Part of the case reference (the console's search box)."""


@dataclass(frozen=True)
class CaseLine:
    id: int
    reference: str
    submitted_at: dt.datetime
    status: str
    amount_total: int
    assigned_to: str | None
    duplicate_of: str | None
    locked_by: str | None


@dataclass(frozen=True)
class CasePage:
    lines: list[CaseLine]
    next_after: int | None
    """Pass as ``after`` for the next page; None on the last page."""


@dataclass(frozen=True)
class CaseEvent:
    at: dt.datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class CaseLink:
    kind: str
    rule: str
    other: str
    evidence: dict[str, Any]
    direction: str
    """"to": this case repeats/resembles ``other``; "from": ``other`` repeats this one."""


def list_cases(
    conn: Connection, where: CaseFilter, *, after: int | None = None, limit: int = 50
) -> CasePage:
    """One page of cases in filing order (keyset paging on the id: every page is as fast)."""
    c = CASES.c
    original = CASES.alias("original")
    query = (
        select(
            c.id,
            c.reference,
            c.submitted_at,
            c.status,
            c.amount_total,
            c.assigned_to,
            original.c.reference.label("duplicate_ref"),
            c.locked_by,
        )
        .outerjoin(original, c.duplicate_of == original.c.id)
        .where(c.flow_id == where.flow_id)
        .order_by(c.id)
        .limit(limit + 1)
    )
    if after is not None:
        query = query.where(c.id > after)
    if where.statuses:
        query = query.where(c.status.in_(where.statuses))
    if where.assigned_to is not None:
        query = query.where(c.assigned_to == where.assigned_to)
    if where.since is not None:
        query = query.where(c.submitted_at >= where.since)
    if where.until is not None:
        query = query.where(c.submitted_at < where.until)
    if where.reference:
        typed = where.reference.strip()
        if WHOLE_REFERENCE.fullmatch(typed):  # a case number pasted whole: its unique index
            query = query.where(c.reference.in_(sorted({typed, typed.upper()})))
        else:  # part of one: a scan, stopped at the page's end
            query = query.where(c.reference.contains(typed, autoescape=True))
    d = DIMENSIONS.c
    wanted: dict[str, list[str]] = {}
    for name, value in where.values:
        wanted.setdefault(name, []).append(value)
    for name, values in wanted.items():
        query = query.where(exists().where(d.case_id == c.id, d.name == name, d.value.in_(values)))
    rows = conn.execute(query).all()
    lines = [
        CaseLine(
            r.id,
            r.reference,
            r.submitted_at,
            r.status,
            int(r.amount_total),
            r.assigned_to,
            r.duplicate_ref,
            r.locked_by,
        )
        for r in rows[:limit]
    ]
    return CasePage(lines, lines[-1].id if len(rows) > limit else None)


def _case_id(conn: Connection, reference: str) -> int:
    found = conn.execute(select(CASES.c.id).where(CASES.c.reference == reference)).scalar()
    if found is None:
        raise UnknownCase(f"no case {reference}")
    return int(found)


def history(conn: Connection, reference: str) -> list[CaseEvent]:
    e = EVENTS.c
    rows = conn.execute(
        select(EVENTS).where(e.case_id == _case_id(conn, reference)).order_by(e.id)
    ).all()
    return [
        CaseEvent(r.at, r.actor, r.action, r.from_status, r.to_status, r.reason, r.detail or {})
        for r in rows
    ]


def links(conn: Connection, reference: str) -> list[CaseLink]:
    case_id = _case_id(conn, reference)
    other = CASES.alias("other")
    found = []
    for mine, theirs, direction in (("case_id", "other_id", "to"), ("other_id", "case_id", "from")):
        rows = conn.execute(
            select(LINKS.c.kind, LINKS.c.rule, LINKS.c.evidence, other.c.reference)
            .join(other, other.c.id == LINKS.c[theirs])
            .where(LINKS.c[mine] == case_id)
            .order_by(LINKS.c.id)
        ).all()
        found += [CaseLink(r.kind, r.rule, r.reference, r.evidence or {}, direction) for r in rows]
    return found


def lock_of(conn: Connection, reference: str) -> tuple[str | None, dt.datetime | None]:
    """Who holds a case's edit lock and until when (it may have run out already)."""
    found = conn.execute(
        select(CASES.c.locked_by, CASES.c.locked_until).where(CASES.c.reference == reference)
    ).first()
    if found is None:
        raise UnknownCase(f"no case {reference}")
    until = found.locked_until
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=dt.UTC)
    return found.locked_by, until
