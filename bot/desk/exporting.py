"""Running one export job: typed rows from storage into a writer, atomically into a file.

The file is written next to its final name and renamed only when complete, so nobody ever
picks up half an export; progress goes to the job row every few thousand rows, which also
extends the worker's lease. A worker that finds its lease taken over stops at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flows import Flow
from storage.export_jobs import ExportJob
from storage.export_rows import ExportLayout
from storage.operator_store import OperatorStore

FORMATS = ("csv", "xlsx", "jsonl", "parquet")
SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "jsonl": ".jsonl", "parquet": ".parquet"}
HEARTBEAT_ROWS = 5_000
Progress = Callable[[int, int | None], None]
"""(rows written, rows in all) after every few rows: a progress bar, or nothing."""


class LeaseLost(Exception):
    """Another worker took this job over (this one was too slow, or presumed dead)."""


class ExportFailed(Exception):
    """The export could not be written; the message is for the operator (no personal data)."""


def write_file(
    format: str, layout: ExportLayout, rows: Any, path: str, tick: Callable[[int], None]
) -> int:
    # Imported here: pyarrow and XlsxWriter take a while to load, and most commands need neither.
    from bot.desk.csv_writer import write_csv
    from bot.desk.jsonl_writer import write_jsonl
    from bot.desk.parquet_writer import write_parquet
    from bot.desk.xlsx_writer import write_xlsx

    columns = layout.columns
    if format == "csv":
        with open(path, "wb") as out:
            return write_csv(columns, rows, out, tick)
    if format == "jsonl":
        with open(path, "wb") as out:
            return write_jsonl(columns, rows, out, tick)
    if format == "xlsx":
        return write_xlsx(columns, rows, path, tick)
    if format == "parquet":
        return write_parquet(columns, rows, path, tick, layout.flow.timezone)
    raise ExportFailed(f"unknown export format {format!r}; one of {', '.join(FORMATS)}")


def default_path(export_dir: Path, job: ExportJob) -> Path:
    return export_dir / f"{job.query.flow_id}-cases-{job.id}{SUFFIX[job.format]}"


def run_job(
    ops: OperatorStore,
    flows: Mapping[str, Flow],
    job: ExportJob,
    export_dir: Path,
    progress: Progress | None = None,
) -> ExportJob:
    """Write the claimed ``job``'s file and mark it done (or failed); returns the job after."""
    token = job.claim_token
    assert token is not None, "run_job needs a claimed job"
    flow = flows.get(job.query.flow_id)
    if flow is None:
        ops.fail_export(job, token, f"unknown flow {job.query.flow_id}")
        return ops.export_job(job.id)
    path = Path(job.path) if job.path else default_path(export_dir, job)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + f".part-{token[:8]}")
    layout = ExportLayout.of(flow, job.language, job.masked)
    total = ops.count_cases(job.query)

    def tick(done: int) -> None:
        if done % HEARTBEAT_ROWS == 0:
            if not ops.export_progress(job, token, done, total):
                raise LeaseLost(f"export {job.id} was taken over by another worker")
            if progress:
                progress(done, total)

    try:
        rows = write_file(
            job.format, layout, ops.export_rows(layout, job.query), str(partial), tick
        )
        digest = _sha256(partial)
        size = partial.stat().st_size
        os.replace(partial, path)
    except LeaseLost:
        _remove(partial)
        raise
    except Exception as exc:
        _remove(partial)
        ops.fail_export(job, token, type(exc).__name__)
        raise ExportFailed(f"export {job.id} failed: {type(exc).__name__}") from exc
    if progress:
        progress(rows, rows)
    if not ops.finish_export(job, token, path=str(path), size=size, sha256=digest, rows=rows):
        raise LeaseLost(f"export {job.id} was taken over by another worker")
    return ops.export_job(job.id)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
