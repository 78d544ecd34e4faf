"""The operators' door to the database: review, case lists and history, export jobs, dedupe.

``Store.operators`` hands one out; every method is one transaction (or one read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, select

from storage import export_jobs, review
from storage.case_lists import CaseEvent, CaseFilter, CaseLink, CasePage, history, links, list_cases
from storage.dedupe import DedupeResult, dedupe_flow
from storage.encryption import Keyring
from storage.export_jobs import ExportJob
from storage.export_rows import ExportLayout, ExportQuery, count_cases, export_rows
from storage.filing import dimension_kinds

if TYPE_CHECKING:
    from storage.published import FlowVersions


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class OperatorStore:
    engine: Engine
    writer: Engine
    flows: FlowVersions
    keys: Keyring = field(default_factory=Keyring)
    """Opens personal answers stored encrypted (PII_ENCRYPTION_KEY): exports, dedupe."""

    # -- review ----------------------------------------------------------------------------

    def set_status(
        self,
        reference: str,
        status: str,
        *,
        actor: str,
        reason: str,
        duplicate_of: str | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        with self.writer.begin() as conn:
            case = review.find(conn, reference)
            flow = self.flows.get(conn, case.flow_id, case.flow_version).flow
            review.set_status(
                conn,
                reference,
                status,
                actor=actor,
                reason=reason,
                duplicate_of=duplicate_of,
                now=now or _utc_now(),
                kinds=dimension_kinds(flow),
                zone=flow.zone,
            )

    def assign(self, reference: str, operator: str | None, *, actor: str) -> None:
        with self.writer.begin() as conn:
            review.assign(conn, reference, operator, actor=actor, now=_utc_now())

    def note(self, reference: str, text: str, *, actor: str) -> None:
        with self.writer.begin() as conn:
            review.note(conn, reference, text, actor=actor, now=_utc_now())

    def lock(
        self,
        reference: str,
        *,
        actor: str,
        lasting: dt.timedelta = review.LOCK_FOR,
        now: dt.datetime | None = None,
    ) -> dt.datetime:
        with self.writer.begin() as conn:
            return review.lock(conn, reference, actor=actor, now=now or _utc_now(), lasting=lasting)

    def unlock(self, reference: str, *, actor: str) -> None:
        with self.writer.begin() as conn:
            review.unlock(conn, reference, actor=actor, now=_utc_now())

    def history(self, reference: str) -> list[CaseEvent]:
        with self.engine.connect() as conn:
            return history(conn, reference)

    def links(self, reference: str) -> list[CaseLink]:
        with self.engine.connect() as conn:
            return links(conn, reference)

    def list_cases(
        self, where: CaseFilter, *, after: int | None = None, limit: int = 50
    ) -> CasePage:
        with self.engine.connect() as conn:
            return list_cases(conn, where, after=after, limit=limit)

    def dedupe(self, flow_id: str, *, actor: str) -> DedupeResult:
        """Look for repeats among existing cases, as filing would have (oldest first)."""
        with self.engine.connect() as conn:
            versions = _versions(conn, flow_id)
        flows = {v: self.flows_get(flow_id, v) for v in versions}
        return dedupe_flow(self.writer, flow_id, flows, actor=actor, now=_utc_now(), keys=self.keys)

    def flows_get(self, flow_id: str, version: str) -> Any:
        with self.engine.connect() as conn:
            return self.flows.get(conn, flow_id, version).flow

    # -- exports -----------------------------------------------------------------------------

    def queue_export(
        self,
        query: ExportQuery,
        *,
        actor: str,
        format: str,
        masked: bool,
        language: str,
        path: str | None = None,
        deliver_to: dict[str, Any] | None = None,
        reason: str | None = None,
        fields: Sequence[str] = (),
    ) -> int:
        """Queue an export; unmasked it needs a ``reason`` (ReasonRequired) and is logged in
        the access log with the personal ``fields`` it shows."""
        with self.writer.begin() as conn:
            return export_jobs.queue(
                conn,
                actor=actor,
                query=query,
                format=format,
                masked=masked,
                language=language,
                path=path,
                deliver_to=deliver_to,
                now=_utc_now(),
                reason=reason,
                fields=fields,
            )

    def claim_export(
        self, *, job_id: int | None = None, now: dt.datetime | None = None,
        lease: dt.timedelta = export_jobs.LEASE,
    ) -> ExportJob | None:  # fmt: skip
        moment = now or _utc_now()
        with self.engine.connect() as conn:  # a read first: idle workers take no write lock
            if not export_jobs.anything_to_claim(conn, moment):
                return None
        with self.writer.begin() as conn:
            export_jobs.give_up_stale(conn, moment)
            return export_jobs.claim(conn, moment, job_id=job_id, lease=lease)

    def export_progress(
        self, job: ExportJob, token: str, rows_done: int, rows_total: int | None,
        lease: dt.timedelta = export_jobs.LEASE,
    ) -> bool:  # fmt: skip
        with self.writer.begin() as conn:
            return export_jobs.heartbeat(
                conn, job.id, token, rows_done=rows_done, rows_total=rows_total,
                now=_utc_now(), lease=lease,
            )  # fmt: skip

    def finish_export(
        self, job: ExportJob, token: str, *, path: str, size: int, sha256: str, rows: int
    ) -> bool:
        with self.writer.begin() as conn:
            return export_jobs.finish(
                conn, job, token, path=path, size=size, sha256=sha256, rows=rows, now=_utc_now()
            )

    def fail_export(self, job: ExportJob, token: str, error: str) -> None:
        with self.writer.begin() as conn:
            export_jobs.fail(conn, job.id, token, error, _utc_now())

    def export_job(self, job_id: int) -> ExportJob:
        with self.engine.connect() as conn:
            return export_jobs.get(conn, job_id)

    def export_reason(self, job_id: int) -> str | None:
        """Why an unmasked export was asked for (its audit event), for each download's log."""
        with self.engine.connect() as conn:
            return export_jobs.reason_of(conn, export_jobs.get(conn, job_id))

    def recent_exports(self, limit: int = 20) -> list[ExportJob]:
        with self.engine.connect() as conn:
            return export_jobs.recent(conn, limit)

    def undelivered_exports(self, channel: str) -> list[ExportJob]:
        with self.engine.connect() as conn:
            return export_jobs.undelivered(conn, channel)

    def claim_delivery(self, job_id: int) -> bool:
        with self.writer.begin() as conn:
            return export_jobs.claim_delivery(conn, job_id, _utc_now())

    def export_rows(self, layout: ExportLayout, query: ExportQuery) -> Iterator[list[Any]]:
        return export_rows(self.engine, layout, query, self.keys)

    def count_cases(self, query: ExportQuery) -> int:
        return count_cases(self.engine, query)


def _versions(conn: Connection, flow_id: str) -> list[str]:
    from storage.tables import CaseRow, table_of

    c = table_of(CaseRow).c
    return list(
        conn.execute(select(c.flow_version).where(c.flow_id == flow_id).distinct()).scalars()
    )
