"""The surge benchmark's smoke run: every bot completes its interviews and passes its check.

Not timed: the figures of a real run live in bench/README.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.timeout(600)  # 8 fresh processes; a loaded machine needs more than the 120 s default
def test_surge_quick_runs_every_bot_and_every_check_passes() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench", "surge", "--quick", "--sqlite-only"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=550,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    runs = [line for line in out.stdout.splitlines() if " upd/s " in line]
    assert len(runs) == 8, out.stdout  # 2 paths x 3 bots, before, open loop
    assert all(line.rstrip().split("MB  ", 1)[1].startswith("ok") for line in runs), out.stdout
    kinds = {line.split()[0] for line in runs}
    assert kinds == {"floor", "handwritten", "project", "project-aiorl"}
    assert "ratios" in out.stdout and "before/after the pacer" in out.stdout
