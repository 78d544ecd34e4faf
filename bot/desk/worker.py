"""The export worker: a small loop any bot process can run to take queued export jobs.

Jobs are claimed in the database, so several processes running this loop each take different
jobs; a job whose worker died is taken up again once its lease runs out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path

from bot.desk.exporting import ExportFailed, LeaseLost, run_job
from flows import Flow
from storage import TRANSIENT_ERRORS
from storage.export_jobs import ExportJob
from storage.operator_store import OperatorStore

log = logging.getLogger(__name__)

CHECK_EVERY = 5.0
"""Seconds between two looks for queued jobs when there were none."""


def run_next(ops: OperatorStore, flows: Mapping[str, Flow], export_dir: Path) -> ExportJob | None:
    """Claim and run one queued job; None when there was none to claim."""
    job = ops.claim_export()
    if job is None:
        return None
    try:
        return run_job(ops, flows, job, export_dir)
    except (ExportFailed, LeaseLost) as exc:
        log.warning("export %s: %s", job.id, exc)
        return ops.export_job(job.id)


class ExportWorker:
    """A daemon thread running ``run_next`` until stopped."""

    def __init__(
        self,
        ops: OperatorStore,
        flows: Mapping[str, Flow],
        export_dir: Path,
        every: float = CHECK_EVERY,
    ) -> None:
        self._ops, self._flows, self._dir, self._every = ops, flows, export_dir, every
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="export-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Look for queued jobs now (one was just queued in this process)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                done = run_next(self._ops, self._flows, self._dir)
            except TRANSIENT_ERRORS as exc:  # the database is down: try again later
                log.warning("export worker waiting: %s", type(exc).__name__)
                done = None
            if done is None:
                self._wake.wait(self._every)
                self._wake.clear()
