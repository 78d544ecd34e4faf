"""A case's privacy lifecycle: its closing date (the retention clock) and legal holds."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select, update

from storage.audit import record_event
from storage.errors import UnknownCase
from storage.tables import CLOSING_STATUSES, CaseRow, table_of

CASES = table_of(CaseRow)
HOLD_REASON_LIMIT = 500


def close_case(conn: Connection, case_id: int, now: dt.datetime) -> None:
    """Review closed the case: its retention period (``after_closing``) runs from ``now``.

    Closing again (a reviewed case marked duplicate later) keeps the first date: the
    compensation process ended then, and the consent promised a period from that day.
    """
    conn.execute(
        update(CASES)
        .where(CASES.c.id == case_id, CASES.c.closed_at.is_(None))
        .values(closed_at=now)
    )


def reopen_case(conn: Connection, case_id: int) -> None:
    """Review is open again: no retention clock until it closes once more."""
    conn.execute(update(CASES).where(CASES.c.id == case_id).values(closed_at=None))


def follow_status(conn: Connection, case_id: int, status: str, now: dt.datetime) -> None:
    """Keep the closing date in step with a status change (called by the review)."""
    if status in CLOSING_STATUSES:
        close_case(conn, case_id, now)
    else:
        reopen_case(conn, case_id)


def hold_case(
    conn: Connection, reference: str, reason: str, *, actor: str, now: dt.datetime
) -> None:
    """Put a legal hold on a case: the purge keeps it whole until the hold is released.

    The reason is for staff (a court order number, a regulator's request); it must not hold
    personal data, and it goes into the audit trail.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("a legal hold needs a reason")
    if len(reason) > HOLD_REASON_LIMIT:
        raise ValueError(f"a hold reason has at most {HOLD_REASON_LIMIT} characters")
    _case_id(conn, reference)
    conn.execute(
        update(CASES).where(CASES.c.reference == reference).values(hold_reason=reason, held_at=now)
    )
    record_event(conn, now, actor, "hold", reference, {"reason": reason})


def release_case(conn: Connection, reference: str, *, actor: str, now: dt.datetime) -> bool:
    """Lift a legal hold; False when the case had none."""
    _case_id(conn, reference)
    released = conn.execute(
        update(CASES)
        .where(CASES.c.reference == reference, CASES.c.hold_reason.is_not(None))
        .values(hold_reason=None, held_at=None)
    ).rowcount
    if released:
        record_event(conn, now, actor, "release", reference)
    return bool(released)


def _case_id(conn: Connection, reference: str) -> int:
    found = conn.execute(select(CASES.c.id).where(CASES.c.reference == reference)).scalar()
    if found is None:
        raise UnknownCase(f"no case {reference}")
    return int(found)
