"""The operators' commands from a fresh database, run as real subprocesses like an operator
would: seed, list, show, mark, history, dedupe, export, report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "DATABASE_URL": f"sqlite:///{tmp_path}/cb.db",
           "EXPORT_DIR": str(tmp_path / "exports")}  # fmt: skip

    def complaintbot(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True,
                              text=True, timeout=300, env=env, cwd=tmp_path)  # fmt: skip
        if ok:
            assert done.returncode == 0, done.stderr
        return done

    return complaintbot


@pytest.mark.slow
@pytest.mark.timeout(900)  # a dozen subprocesses, each loading the flows and the schema
def test_an_operators_day_from_a_fresh_database(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seeded = run("seed", "--cases", "60")
    assert "filed 60 cases" in seeded.stdout

    listed = run("cases", "list", "--status", "received", "--limit", "5").stdout.splitlines()
    assert len(listed) == 6 and listed[-1].startswith("next page: --after ")
    first = listed[0].split("\t")[0]

    shown = run("cases", "show", first).stdout
    assert first in shown and "personal data masked" in shown and "010-" not in shown

    run("cases", "mark", first, "in_review", "--reason", "checking", "--actor", "ana")
    refused = run("cases", "mark", first, "received", "--reason", "undo", ok=False)
    assert refused.returncode == 1 and "cannot become" in refused.stderr
    assert "Traceback" not in refused.stderr
    run("cases", "mark", first, "unrelated", "--reason", "not the outage", "--actor", "ana")
    history = run("cases", "history", first).stdout
    assert "ana\tstatus received->in_review: checking" in history
    assert "in_review->unrelated: not the outage" in history

    dedupe = run("cases", "dedupe").stdout
    assert dedupe.startswith("checked 60 cases; new duplicates: none")

    out = tmp_path / "cases.csv"
    exported = run("export", "--format", "csv", "--out", str(out), "--status", "unrelated").stdout
    assert exported.startswith(f"1 cases -> {out}") and "personal data masked" in exported
    assert first in out.read_text("utf-8-sig")

    report_path = tmp_path / "report.json"
    run("report", "--format", "json", "--out", str(report_path))
    report = json.loads(report_path.read_text("utf-8"))
    assert report["totals"]["filed"] == 60
    assert report["totals"]["by_status"]["unrelated"] == 1
    public = tmp_path / "public.html"
    run("report", "--format", "html", "--public", "--out", str(public))
    assert "groups under 5 suppressed" in public.read_text("utf-8")


def test_unknown_formats_and_flows_are_friendly(run) -> None:  # type: ignore[no-untyped-def]
    bad = run("export", "--format", "docx", ok=False)
    assert (
        bad.returncode != 0
        and "unknown export format" in bad.stderr
        and "Traceback" not in bad.stderr
    )
    flow = run("report", "--flow", "nope", ok=False)
    assert flow.returncode == 2 and "unknown flow 'nope'" in flow.stderr
