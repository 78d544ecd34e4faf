"""`complaintbot rehearse`: simulated claimants through a deployment's webhook, then a check."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.rehearsal import Plan, rehearse
from bot.rehearsal.claimants import description_of
from bot.rehearsal.run import FIRST_USER
from bot.rehearsal.serving import free_port
from bot.telegram import CHANNEL
from storage import Store
from storage.tables import CaseRow

ROOT = Path(__file__).resolve().parents[2]
CASES = CaseRow.__table__


def clean_environment() -> dict[str, str]:
    """This machine's environment without any bot settings (a test sets its own)."""
    prefixes = ("TELEGRAM_", "WEBHOOK_", "DATABASE_URL", "LOG_LEVEL", "PII_", "DEFAULT_FLOW")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return env | {"PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)}


async def test_rehearsal_in_process_files_one_own_case_per_claimant() -> None:
    summary = await rehearse(Plan(claimants=4, concurrency=2, progress=False))
    lines = summary.lines()
    assert summary.ok, lines
    assert len(summary.tally.completed) == 4
    assert len(summary.tally.latencies) == 4 * 14  # every update answered 200 at the first try
    assert lines[1].startswith("completed: 4 of 4 interviews in ")
    assert lines[2].startswith("latency per update: p50 ")
    assert lines[4] == "errors: no HTTP errors; nobody stuck"
    assert lines[5].startswith("cases: ok: 4 cases in the database, one per claimant")


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_rehearse_command_against_a_running_webhook_deployment(tmp_path: Path) -> None:
    """The command first, then `complaintbot run --webhook` pointed at its Bot API, as an
    operator would start them; the summary on stdout, the cases in the deployment's database."""
    api_port, webhook_port = free_port(), free_port()
    database_url = f"sqlite:///{tmp_path / 'deployment.db'}"
    webhook_url = f"http://127.0.0.1:{webhook_port}/telegram"
    env = clean_environment()
    rehearsal = subprocess.Popen(
        [sys.executable, "-m", "bot", "rehearse", "--claimants", "3", "--concurrency", "2",
         "--url", webhook_url, "--api-port", str(api_port), "--database-url", database_url,
         "--wait", "120"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    log = (tmp_path / "deployment.log").open("wb")
    deployment = None
    try:
        assert rehearsal.stderr is not None
        said = rehearsal.stderr.readline()  # the instructions come before the wait
        assert f"TELEGRAM_API_BASE_URL=http://127.0.0.1:{api_port}/bot" in said, said
        deployment = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--webhook"],
            cwd=tmp_path,
            env=env
            | {
                "TELEGRAM_BOT_TOKEN": "123:deployment-own-token",
                "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{api_port}/bot",
                "WEBHOOK_URL": webhook_url,
                "WEBHOOK_SECRET": "deployment-secret_1",
                "WEBHOOK_PORT": str(webhook_port),
                "DATABASE_URL": database_url,
            },
            stdout=log,
            stderr=log,
        )
        out, err = rehearsal.communicate(timeout=200)
    finally:
        for process in (rehearsal, deployment):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(30)
        log.close()
    assert rehearsal.returncode == 0, out + err + (tmp_path / "deployment.log").read_text()
    assert f"against {webhook_url}" in out
    assert "completed: 3 of 3 interviews" in out
    assert "errors: no HTTP errors; nobody stuck" in out
    assert "cases: ok: 3 cases in the database, one per claimant" in out
    with Store(database_url) as store, store.engine.connect() as conn:
        keys = conn.execute(select(CASES.c.user_key)).scalars().all()
    assert len(keys) == 3 and all(int(key) >= FIRST_USER for key in keys)
    with Store(database_url) as store:
        for key in keys:
            (filed,) = store.cases_of(CHANNEL, key)
            case = store.case(filed.reference)
            assert case is not None and case.answers["description"] == description_of(int(key))


def test_rehearse_says_so_when_the_deployment_never_sets_its_webhook(tmp_path: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "rehearse", "--claimants", "1",
         "--url", "http://127.0.0.1:9/telegram", "--api-port", str(free_port()), "--wait", "1"],
        cwd=tmp_path, env=clean_environment(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    assert "rehearsal: no setWebhook from the deployment within 1 s" in result.stderr
    assert result.stdout == ""
    assert time.monotonic() - started < 50
