"""The memory benchmark's smoke run: conversations stay open, nothing per user in memory.

Not a measurement (a few hundred conversations): the 100,000 figures live in bench/README.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_memory_bench_opens_every_conversation_and_keeps_no_per_user_state() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench", "memory", "--conversations", "300"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=280,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    points = [line for line in out.stdout.splitlines() if " conversations (" in line]
    assert len(points) == 4, out.stdout  # 10 %, 25 %, 50 %, 100 %
    last = points[-1]
    assert last.lstrip().startswith("300 conversations (300 open in the database)"), last
    for kept in ("ptb user_data 0", "ptb chat_data 0", "ptb persistence marks 0", "locks 0"):
        assert kept in last, last
    assert "300 open conversations: RSS" in out.stdout
