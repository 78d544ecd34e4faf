"""Staff access to personal data, logged: who, when, which case, which fields, and why.

PIPA asks for the access records of staff who handle personal data to be kept at least two
years where more than 50,000 people's data is held. Nothing here deletes a row, and the
retention purge never touches this table: keeping them longer is the safe side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from storage.tables import AccessLogRow, table_of

ACCESS_LOG = table_of(AccessLogRow)
KEPT_AT_LEAST = dt.timedelta(days=2 * 366)
EVERY_CASE = "*"
"""The case reference of an access that spans a whole flow (an unmasked export)."""


@dataclass(frozen=True)
class AccessEntry:
    at: dt.datetime
    actor: str
    case_ref: str
    fields: list[str]
    reason: str


class ReasonRequired(ValueError):
    """Personal data is shown only for a stated reason."""


def record_access(
    conn: Connection,
    actor: str,
    case_ref: str,
    fields: Sequence[str],
    reason: str,
    now: dt.datetime,
) -> None:
    """Log, in the caller's transaction, that ``actor`` saw ``fields`` of ``case_ref``.

    Call it in the same transaction that reads the data: no view without its record.
    ``case_ref`` is a case reference, or ``flow:<id>`` / ``*`` for a flow-wide export.
    """
    reason = reason.strip()
    if not reason:
        raise ReasonRequired("showing personal data needs a reason (it goes into the access log)")
    if not actor.strip():
        raise ValueError("an access needs an actor")
    row = {
        "at": now,
        "actor": actor[:128],
        "case_ref": case_ref[:200],
        "fields": sorted(set(fields)),
        "reason": reason,
    }
    conn.execute(insert(ACCESS_LOG), row)


def newest_entries(conn: Connection, limit: int, *, actor: str | None = None) -> list[AccessEntry]:
    """The ``limit`` newest entries, newest first (the console's page), for one ``actor``."""
    a = ACCESS_LOG.c
    query = select(a.at, a.actor, a.case_ref, a.fields, a.reason).order_by(a.at.desc(), a.id.desc())
    if actor is not None:
        query = query.where(a.actor == actor)
    return [
        AccessEntry(r.at, r.actor, r.case_ref, list(r.fields), r.reason)
        for r in conn.execute(query.limit(limit))
    ]


def access_entries(
    conn: Connection, *, since: dt.datetime | None = None, actor: str | None = None
) -> list[AccessEntry]:
    """The log, oldest first, from ``since`` and for one ``actor`` when given."""
    a = ACCESS_LOG.c
    query = select(a.at, a.actor, a.case_ref, a.fields, a.reason).order_by(a.at, a.id)
    if since is not None:
        query = query.where(a.at >= since)
    if actor is not None:
        query = query.where(a.actor == actor)
    return [
        AccessEntry(r.at, r.actor, r.case_ref, list(r.fields), r.reason)
        for r in conn.execute(query)
    ]
