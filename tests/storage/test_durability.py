"""A process killed with SIGKILL loses no answer it had reported as committed."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from storage import Store
from tests.storage.sample_flows import counter

ROOT = Path(__file__).parents[2]
REPORTED_BEFORE_KILL = 150


def test_answers_reported_committed_survive_kill_9(store: Store, database_url: str) -> None:
    store.publish_flow(counter())
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.storage.answering", database_url, "victim", "1000000"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    last_reported = 0
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline() == "ready\n"
        while last_reported < REPORTED_BEFORE_KILL:
            line = worker.stdout.readline()
            assert line.startswith("committed "), f"worker stopped early: {line!r}"
            last_reported = int(line.split()[1])
        worker.send_signal(signal.SIGKILL)  # mid-stream: it is answering as fast as it can
        worker.wait(timeout=30)
    finally:
        worker.kill()
    assert worker.returncode == -signal.SIGKILL

    with Store(database_url) as fresh:
        stored = fresh.current("test", "victim")
    assert stored is not None
    assert stored.state.turn >= last_reported
    assert stored.version == stored.state.turn  # one committed version per answer, no gaps
