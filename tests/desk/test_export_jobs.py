"""Export jobs: claimed in the database by exactly one worker, taken up again after a kill."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.desk import Desk
from bot.desk.worker import run_next
from flows import Interview
from storage import Store
from storage.export_rows import ExportQuery
from tests.storage.filed import file_survey
from tests.storage.sample_flows import survey

ROOT = Path(__file__).parents[2]
DAY_16 = dt.datetime(2022, 10, 16, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def desk(store: Store, tmp_path: Path) -> Desk:
    loaded = survey()
    store.publish_flow(loaded)
    iv = Interview(loaded)
    for n in range(3):
        file_survey(store, iv, f"u{n}", now=DAY_16, services=["talk"], harms=["time"])
    return Desk(store, {"survey": loaded.flow}, tmp_path / "exports")


def test_a_queued_job_is_claimed_by_exactly_one_of_two_workers(desk: Desk) -> None:
    job_id = desk.request_export(ExportQuery("survey"), format="csv", masked=True, actor="op")
    barrier = threading.Barrier(2)
    claimed: list[object] = []

    def worker() -> None:
        barrier.wait()
        claimed.append(desk.ops.claim_export())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    winners = [job for job in claimed if job is not None]
    assert len(claimed) == 2 and len(winners) == 1
    assert winners[0].id == job_id  # type: ignore[attr-defined]


def test_a_worker_runs_queued_jobs_and_the_file_is_complete(desk: Desk) -> None:
    job_id = desk.request_export(ExportQuery("survey"), format="jsonl", masked=True, actor="op")
    done = run_next(desk.ops, desk.flows, desk.export_dir)
    assert done is not None and done.id == job_id and done.state == "done"
    assert done.rows_done == 3 and done.size == Path(str(done.path)).stat().st_size
    assert len(Path(str(done.path)).read_text("utf-8").splitlines()) == 3
    assert run_next(desk.ops, desk.flows, desk.export_dir) is None


def test_a_killed_workers_job_is_resumed_after_its_lease(desk: Desk, database_url: str) -> None:
    job_id = desk.request_export(ExportQuery("survey"), format="csv", masked=True, actor="op")
    stalled = subprocess.Popen(
        [sys.executable, "-m", "tests.desk.stalled_worker", database_url, str(job_id)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert stalled.stdout is not None
        line = stalled.stdout.readline()
        assert line.startswith("claimed ") and "None" not in line
    finally:
        stalled.kill()
        stalled.wait(30)
    assert desk.ops.claim_export() is None  # the lease still runs
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    job = desk.ops.claim_export(now=later)
    assert job is not None and job.id == job_id and job.attempts == 2
    from bot.desk.exporting import run_job

    done = run_job(desk.ops, desk.flows, job, desk.export_dir)
    assert done.state == "done" and done.rows_done == 3


def test_a_worker_that_lost_its_lease_cannot_finish(desk: Desk) -> None:
    desk.request_export(ExportQuery("survey"), format="csv", masked=True, actor="op")
    first = desk.ops.claim_export()
    assert first is not None and first.claim_token
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    second = desk.ops.claim_export(now=later)
    assert second is not None and second.claim_token != first.claim_token
    assert not desk.ops.finish_export(
        first, first.claim_token, path="x", size=1, sha256="0", rows=1
    )
    assert desk.ops.finish_export(
        second, str(second.claim_token), path="y", size=1, sha256="0", rows=3
    )
    assert desk.ops.export_job(first.id).path == "y"
