"""Operators reviewing cases: the status machine, assignment, edit locks, notes and history.

The statuses and the moves between them are one plain table (``MOVES``) that a single
``transitions`` Machine is built from; a change is legal only when the table has it. Every
change names an actor and a reason, lands in ``case_events``, and moves the running report
counts in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Row, insert, or_, select, update
from transitions import Machine, MachineError

from storage import lifecycle, rollup
from storage.audit import record_event
from storage.errors import CaseLocked, IllegalTransition, UnknownCase
from storage.filing import Crossing, DimensionValue, local_day
from storage.tables import (
    CASE_STATUSES,
    COUNTED_STATUSES,
    CaseCrossingRow,
    CaseDimensionRow,
    CaseEventRow,
    CaseRow,
    table_of,
)

CASES = table_of(CaseRow)
DIMENSIONS = table_of(CaseDimensionRow)
CROSSINGS = table_of(CaseCrossingRow)
EVENTS = table_of(CaseEventRow)
REPORT_ROWS = (DIMENSIONS, CROSSINGS)
CLOSED = ["reviewed", "duplicate", "unrelated", "rejected"]

MOVES: list[dict[str, Any]] = [
    {"trigger": "start_review", "source": "received", "dest": "in_review"},
    {"trigger": "mark_reviewed", "source": ["received", "in_review"], "dest": "reviewed"},
    {"trigger": "mark_duplicate", "source": ["received", "in_review"], "dest": "duplicate"},
    {"trigger": "mark_unrelated", "source": ["received", "in_review"], "dest": "unrelated"},
    {"trigger": "mark_rejected", "source": ["received", "in_review"], "dest": "rejected"},
    {"trigger": "reopen", "source": CLOSED, "dest": "in_review"},
]
"""A case is received, reviewed (in_review) and closed one way; a closed case must be reopened
before it can be closed another way."""

LOCK_FOR = dt.timedelta(minutes=15)


class _Case:
    """Scratch model: the one Machine checks a move on it (state set, trigger fired)."""

    state: str


MACHINE = Machine(
    model=None,
    states=list(CASE_STATUSES),
    transitions=MOVES,
    initial="received",
    auto_transitions=False,
)


def trigger_for(old: str, new: str) -> str:
    """The trigger that moves a case from ``old`` to ``new``; IllegalTransition if none."""
    if new not in CASE_STATUSES:
        raise IllegalTransition(f"unknown case status {new!r}; one of {', '.join(CASE_STATUSES)}")
    for move in MOVES:
        sources = move["source"] if isinstance(move["source"], list) else [move["source"]]
        if old in sources and move["dest"] == new:
            scratch = _Case()
            MACHINE.add_model(scratch, initial=old)
            try:
                getattr(scratch, move["trigger"])()
            except MachineError as exc:  # the table and the machine disagree: a bug
                raise IllegalTransition(str(exc)) from None
            finally:
                MACHINE.remove_model(scratch)
            return str(move["trigger"])
    allowed = sorted(
        m["dest"]
        for m in MOVES
        if old in (m["source"] if isinstance(m["source"], list) else [m["source"]])
    )
    raise IllegalTransition(
        f"a {old} case cannot become {new}; from {old}: {', '.join(allowed) or 'nothing'}"
    )


def set_status(
    conn: Connection,
    reference: str,
    status: str,
    *,
    actor: str,
    reason: str,
    duplicate_of: str | None,
    now: dt.datetime,
    kinds: dict[str, str],
    zone: ZoneInfo,
    rule: str | None = None,
) -> None:
    """Change a case's status; its report rows stop (or start) counting in the same commit."""
    if not reason.strip():
        raise IllegalTransition("every status change needs a reason")
    if duplicate_of is not None and status != "duplicate":
        raise IllegalTransition("duplicate_of is only for status 'duplicate'")
    case = find(conn, reference)
    trigger = trigger_for(case.status, status)
    check_lock(case, actor, now)
    original = find(conn, duplicate_of).id if duplicate_of else None
    if original == case.id:
        raise IllegalTransition("a case cannot be a duplicate of itself")
    values: dict[str, Any] = {"status": status, "duplicate_of": original}
    values["duplicate_rule"] = (rule or "operator") if status == "duplicate" else None
    conn.execute(update(CASES).where(CASES.c.id == case.id).values(**values))
    _recount(conn, case, status, kinds, zone)
    also = {"duplicate_of": duplicate_of} if duplicate_of else {}
    add_event(
        conn,
        case.id,
        now,
        actor,
        "status",
        reason,
        {"trigger": trigger} | also,
        case.status,
        status,
    )
    lifecycle.follow_status(conn, case.id, status, now)
    record_event(conn, now, actor, "status", reference, {"from": case.status, "to": status} | also)


def assign(
    conn: Connection, reference: str, operator: str | None, *, actor: str, now: dt.datetime
) -> None:
    case = find(conn, reference)
    check_lock(case, actor, now)
    conn.execute(update(CASES).where(CASES.c.id == case.id).values(assigned_to=operator))
    add_event(conn, case.id, now, actor, "assign", None, {"to": operator})


def note(conn: Connection, reference: str, text: str, *, actor: str, now: dt.datetime) -> None:
    """An operator's note on a case (kept in its history; may hold personal data)."""
    case = find(conn, reference)
    check_lock(case, actor, now)
    add_event(conn, case.id, now, actor, "note", text, {})


def lock(
    conn: Connection,
    reference: str,
    *,
    actor: str,
    now: dt.datetime,
    lasting: dt.timedelta = LOCK_FOR,
) -> dt.datetime:
    """Take (or renew) the edit lock; CaseLocked while another operator's lock is live."""
    case = find(conn, reference)
    c = CASES.c
    until = now + lasting
    taken = conn.execute(
        update(CASES)
        .where(
            c.id == case.id,
            or_(c.locked_by.is_(None), c.locked_by == actor, c.locked_until <= now),
        )
        .values(locked_by=actor, locked_until=until)
    ).rowcount
    if taken != 1:
        raise CaseLocked(
            f"{reference} is being edited by {case.locked_by} until {case.locked_until}"
        )
    add_event(conn, case.id, now, actor, "lock", None, {"until": until.isoformat()})
    return until


def unlock(conn: Connection, reference: str, *, actor: str, now: dt.datetime) -> None:
    case = find(conn, reference)
    check_lock(case, actor, now)
    conn.execute(
        update(CASES).where(CASES.c.id == case.id).values(locked_by=None, locked_until=None)
    )
    add_event(conn, case.id, now, actor, "unlock", None, {})


def check_lock(case: Row[*tuple[Any, ...]], actor: str, now: dt.datetime) -> None:
    if case.locked_by and case.locked_by != actor and _aware(case.locked_until) > now:
        raise CaseLocked(
            f"{case.reference} is being edited by {case.locked_by} until "
            f"{_aware(case.locked_until):%Y-%m-%d %H:%M} UTC"
        )


def add_event(
    conn: Connection,
    case_id: int,
    now: dt.datetime,
    actor: str,
    action: str,
    reason: str | None,
    detail: dict[str, Any],
    old: str | None = None,
    new: str | None = None,
) -> None:
    conn.execute(
        insert(EVENTS),
        {
            "case_id": case_id,
            "at": now,
            "actor": actor,
            "action": action,
            "from_status": old,
            "to_status": new,
            "reason": reason,
            "detail": detail,
        },
    )


def _recount(
    conn: Connection,
    case: Row[*tuple[Any, ...]],
    status: str,
    kinds: dict[str, str],
    zone: ZoneInfo,
) -> None:
    """Move the case between status cells; flip its rows (and their cells) if counting changed."""
    counted = status in COUNTED_STATUSES
    dimensions: list[DimensionValue] = []
    crossings: list[Crossing] = []
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
    received = local_day(_aware(case.submitted_at), zone)
    deltas, amounts = rollup.case_deltas(
        kinds, case.incident_day, received, dimensions, crossings, case.status, status
    )
    rollup.add(conn, case.flow_id, deltas, amounts)


def find(conn: Connection, reference: str) -> Row[*tuple[Any, ...]]:
    c = CASES.c
    row = conn.execute(
        select(
            c.id,
            c.reference,
            c.status,
            c.flow_id,
            c.flow_version,
            c.incident_day,
            c.submitted_at,
            c.locked_by,
            c.locked_until,
        ).where(c.reference == reference)
    ).first()
    if row is None:
        raise UnknownCase(f"no case {reference}")
    return row


def _aware(moment: dt.datetime | None) -> dt.datetime:
    if moment is None:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
