"""Export jobs in the ``exports`` table: queued by anyone, run by whichever process claims one.

Claiming is one conditional UPDATE (``WHERE id = :id AND (state = 'queued' OR lease ran out)``)
that exactly one of several workers wins, on SQLite and PostgreSQL alike; the winner's random
``claim_token`` must match for every later write, so a worker that lost its lease (it hung, or
was killed and another took over) can no longer finish the job. A killed worker's job is taken
up again when its lease runs out and written again from the start.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, insert, or_, select, update

from storage.access_log import record_access
from storage.audit import record_event
from storage.errors import UnknownExport
from storage.export_rows import ExportQuery
from storage.tables import AuditEventRow, ExportJobRow, table_of

JOBS = table_of(ExportJobRow)
LEASE = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class ExportJob:
    id: int
    actor: str
    created_at: dt.datetime
    query: ExportQuery
    format: str
    masked: bool
    language: str
    state: str
    rows_done: int
    rows_total: int | None
    path: str | None
    size: int | None
    sha256: str | None
    attempts: int
    error: str | None
    deliver_to: dict[str, Any]
    delivered_at: dt.datetime | None
    claim_token: str | None = None


def queue(
    conn: Connection,
    *,
    actor: str,
    query: ExportQuery,
    format: str,
    masked: bool,
    language: str,
    path: str | None,
    deliver_to: dict[str, Any] | None,
    now: dt.datetime,
    reason: str | None = None,
    fields: Sequence[str] = (),
) -> int:
    """Queue an export job. Unmasked, it needs a stated ``reason``: the access log gets a row
    (who, when, the flow, which personal ``fields``, why) before any personal value is read,
    so an export that fails later is logged too."""
    if not masked:
        record_access(conn, actor, f"flow:{query.flow_id}", fields, reason or "", now)
    job_id = conn.execute(
        insert(JOBS).returning(JOBS.c.id),
        {
            "actor": actor,
            "created_at": now,
            "flow_id": query.flow_id,
            "filters": query.to_json(),
            "format": format,
            "masked": masked,
            "language": language,
            "state": "queued",
            "path": path,
            "deliver_to": deliver_to or {},
        },
    ).scalar_one()
    detail: dict[str, Any] = {"job": job_id, "format": format, "personal_data": not masked}
    if not masked:
        detail["reason"] = (reason or "").strip()
    record_event(conn, now, actor, "export-queued", query.flow_id, detail)
    return int(job_id)


def reason_of(conn: Connection, job: ExportJob) -> str | None:
    """The reason an unmasked job was queued for, from its "export-queued" audit event
    (written with the job, at the same moment, so the time index finds it)."""
    events = table_of(AuditEventRow).c
    found = conn.execute(
        select(events.detail).where(
            events.at == job.created_at,
            events.action == "export-queued",
            events.subject == job.query.flow_id,
        )
    )
    for (detail,) in found:
        if detail.get("job") == job.id:
            return detail.get("reason") or None
    return None


def _claimable(now: dt.datetime) -> Any:
    c = JOBS.c
    return or_(
        c.state == "queued",
        and_(c.state == "running", c.lease_until < now, c.attempts < MAX_ATTEMPTS),
    )


def anything_to_claim(conn: Connection, now: dt.datetime) -> bool:
    """Whether a job is queued, or running on a lease that ran out (cheap: an index read)."""
    c = JOBS.c
    stale = and_(c.state == "running", c.lease_until < now)
    return conn.execute(select(exists().where(or_(c.state == "queued", stale)))).scalar() is True


def claim(
    conn: Connection, now: dt.datetime, *, job_id: int | None = None, lease: dt.timedelta = LEASE
) -> ExportJob | None:
    """Take the oldest claimable job (or ``job_id``) for this worker; None if none is left."""
    c = JOBS.c
    candidates = select(c.id).where(_claimable(now)).order_by(c.id).limit(5)
    if job_id is not None:
        candidates = candidates.where(c.id == job_id)
    for (candidate,) in conn.execute(candidates).all():
        token = secrets.token_hex(16)
        won = conn.execute(
            update(JOBS)
            .where(c.id == candidate, _claimable(now))
            .values(
                state="running",
                claim_token=token,
                lease_until=now + lease,
                attempts=c.attempts + 1,
                started_at=now,
                rows_done=0,
            )
        ).rowcount
        if won == 1:
            return get(conn, candidate)
    return None


def give_up_stale(conn: Connection, now: dt.datetime) -> int:
    """Jobs whose every attempt died: failed, so they stop being retried."""
    c = JOBS.c
    return conn.execute(
        update(JOBS)
        .where(c.state == "running", c.lease_until < now, c.attempts >= MAX_ATTEMPTS)
        .values(state="failed", error="the export stopped before it finished, several times")
    ).rowcount


def heartbeat(
    conn: Connection,
    job_id: int,
    token: str,
    *,
    rows_done: int,
    rows_total: int | None,
    now: dt.datetime,
    lease: dt.timedelta = LEASE,
) -> bool:
    """Record progress and extend the lease; False if the job is no longer this worker's."""
    c = JOBS.c
    return (
        conn.execute(
            update(JOBS)
            .where(c.id == job_id, c.claim_token == token, c.state == "running")
            .values(rows_done=rows_done, rows_total=rows_total, lease_until=now + lease)
        ).rowcount
        == 1
    )


def finish(
    conn: Connection,
    job: ExportJob,
    token: str,
    *,
    path: str,
    size: int,
    sha256: str,
    rows: int,
    now: dt.datetime,
) -> bool:
    """Mark the job done and audit the export; False if another worker owns it now."""
    c = JOBS.c
    done = conn.execute(
        update(JOBS)
        .where(c.id == job.id, c.claim_token == token, c.state == "running")
        .values(
            state="done",
            path=path,
            size=size,
            sha256=sha256,
            rows_done=rows,
            rows_total=rows,
            finished_at=now,
            lease_until=None,
        )
    ).rowcount
    if done == 1:
        detail = {
            "job": job.id,
            "format": job.format,
            "rows": rows,
            "masked": job.masked,
            "personal_data": not job.masked,
            "sha256": sha256,
            "filters": job.query.to_json(),
        }
        record_event(conn, now, job.actor, "export", job.query.flow_id, detail)
    return done == 1


def fail(conn: Connection, job_id: int, token: str, error: str, now: dt.datetime) -> None:
    c = JOBS.c
    conn.execute(
        update(JOBS)
        .where(c.id == job_id, c.claim_token == token)
        .values(state="failed", error=error[:500], finished_at=now, lease_until=None)
    )


def claim_delivery(conn: Connection, job_id: int, now: dt.datetime) -> bool:
    """True for exactly one caller: that one sends the finished file (or says where it is)."""
    c = JOBS.c
    return (
        conn.execute(
            update(JOBS)
            .where(c.id == job_id, c.delivered_at.is_(None), c.state.in_(("done", "failed")))
            .values(delivered_at=now)
        ).rowcount
        == 1
    )


def undelivered(conn: Connection, channel: str, limit: int = 20) -> list[ExportJob]:
    """Finished jobs someone asked to have delivered on ``channel`` and nobody has sent."""
    c = JOBS.c
    rows = conn.execute(
        select(JOBS)
        .where(c.state.in_(("done", "failed")), c.delivered_at.is_(None))
        .order_by(c.id)
        .limit(limit * 5)
    ).all()
    jobs = [_job(row) for row in rows]
    return [job for job in jobs if job.deliver_to.get("channel") == channel][:limit]


def get(conn: Connection, job_id: int) -> ExportJob:
    row = conn.execute(select(JOBS).where(JOBS.c.id == job_id)).first()
    if row is None:
        raise UnknownExport(f"no export job {job_id}")
    return _job(row)


def recent(conn: Connection, limit: int = 20) -> list[ExportJob]:
    rows = conn.execute(select(JOBS).order_by(JOBS.c.id.desc()).limit(limit)).all()
    return [_job(row) for row in rows]


def _job(row: Any) -> ExportJob:
    return ExportJob(
        id=row.id,
        actor=row.actor,
        created_at=row.created_at,
        query=ExportQuery.from_json(row.filters),
        format=row.format,
        masked=row.masked,
        language=row.language,
        state=row.state,
        rows_done=row.rows_done,
        rows_total=row.rows_total,
        path=row.path,
        size=row.size,
        sha256=row.sha256,
        attempts=row.attempts,
        error=row.error,
        deliver_to=row.deliver_to or {},
        delivered_at=row.delivered_at,
        claim_token=row.claim_token,
    )
