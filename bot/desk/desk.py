"""The operators' desk: what the CLI, Telegram and the web console call for exports and cases."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.desk.exporting import FORMATS, ExportFailed, Progress, run_job
from bot.desk.worker import ExportWorker
from flows import Flow
from storage import Store
from storage.export_jobs import ExportJob
from storage.export_rows import ExportQuery
from storage.operator_store import OperatorStore


class Desk:
    """Exports (now, or queued for a worker) over one Store and the loaded flows."""

    def __init__(self, store: Store, flows: Mapping[str, Flow], export_dir: Path) -> None:
        self.store = store
        self.flows = flows  # may be a live view (IntakeService.released_flows)
        self.export_dir = export_dir

    @property
    def ops(self) -> OperatorStore:
        return self.store.operators

    def export_now(
        self,
        query: ExportQuery,
        *,
        format: str,
        path: Path,
        masked: bool,
        actor: str,
        language: str | None = None,
        progress: Progress | None = None,
        reason: str | None = None,
    ) -> ExportJob:
        """Write the export in this process (a job row all the same: audited, listed)."""
        job_id = self.request_export(
            query,
            format=format,
            masked=masked,
            actor=actor,
            language=language,
            path=path,
            reason=reason,
        )
        job = self.ops.claim_export(job_id=job_id)
        if job is None:  # a worker elsewhere took it first: it will write the file
            raise ExportFailed(f"export {job_id} was taken by another process")
        return run_job(self.ops, self.flows, job, self.export_dir, progress)

    def request_export(
        self,
        query: ExportQuery,
        *,
        format: str,
        masked: bool,
        actor: str,
        language: str | None = None,
        path: Path | None = None,
        deliver_to: dict[str, object] | None = None,
        reason: str | None = None,
    ) -> int:
        """Queue an export for any process's worker; returns the job id.

        Unmasked (``masked=False``) it needs a stated ``reason`` (storage.ReasonRequired
        otherwise), which goes into the access log with the personal fields shown.
        """
        if format not in FORMATS:
            raise ExportFailed(f"unknown export format {format!r}; one of {', '.join(FORMATS)}")
        flow = self.flows.get(query.flow_id)
        if flow is None:
            raise ExportFailed(f"unknown flow {query.flow_id!r}")
        return self.ops.queue_export(
            query,
            actor=actor,
            format=format,
            masked=masked,
            language=language or flow.default_language,
            path=str(path) if path else None,
            deliver_to=deliver_to,
            reason=reason,
            fields=[] if masked else [*sorted(flow.personal_fields()), "notes", "user_key"],
        )

    def worker(self, every: float = 5.0) -> ExportWorker:
        return ExportWorker(self.ops, self.flows, self.export_dir, every)
