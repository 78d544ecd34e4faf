"""A newcomer's first minutes: one fixed place for the data, and a quiet default log."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.cli import configure_logging
from bot.settings import Settings
from flows import Choose, Interview, load_flows


def test_the_default_database_is_one_fixed_file_whatever_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    urls = []
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)
        urls.append(Settings(_env_file=None).database_url)
    expected = f"sqlite:///{tmp_path / 'data' / 'complaintbot' / 'complaintbot.db'}"
    assert urls == [expected, expected]


def chat(folder: Path, home: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "newcomer"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=folder,
    )


def test_an_interview_begun_in_one_folder_continues_from_another(tmp_path: Path) -> None:
    first, second = tmp_path / "project", tmp_path / "elsewhere"
    first.mkdir()
    second.mkdir()
    started = chat(first, tmp_path, ["1", "종료"])  # 한국어, then quit
    assert started.returncode == 0, started.stderr
    database = tmp_path / "data" / "complaintbot" / "complaintbot.db"
    assert f"complaintbot: data in {database}" in started.stderr.splitlines()
    resumed = chat(second, tmp_path, ["종료"])
    assert resumed.returncode == 0, resumed.stderr
    assert "진행 중이던 접수를 이어서 합니다." in resumed.stdout
    assert database.is_file()
    assert not list(first.iterdir()) and not list(second.iterdir())


@pytest.fixture
def restore_library_levels() -> object:
    before = logging.getLogger("transitions").level
    yield
    logging.getLogger("transitions").setLevel(before)


def answer_once() -> None:
    interview = Interview(load_flows()["kakao-outage-2022"])
    interview.answer(interview.start("ko").state, Choose("ko"))
    # The engine reads its Machine without firing it; firing a trigger (as any tool on the
    # Machine may) is what makes transitions chatter.
    scratch = SimpleNamespace(state=interview.flow.start)
    interview.router.machine.events["answer"].trigger(scratch, {"answers": {}})


@pytest.mark.usefixtures("restore_library_levels")
def test_the_default_log_keeps_transitions_chatter_out(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        answer_once()
    assert any(r.name.startswith("transitions") for r in caplog.records)  # it does chatter
    caplog.clear()
    configure_logging("INFO")
    with caplog.at_level(logging.INFO):
        answer_once()
    assert [r.name for r in caplog.records if r.name.startswith("transitions")] == []


def test_the_test_command_type_checks_flows_and_storage_strictly() -> None:
    """`./dev test` runs mypy before pytest, strict over flows/ and storage/ (issue 13)."""
    import tomllib

    root = Path(__file__).resolve().parents[2]
    test_command = (root / "dev").read_text().split("  test)", 1)[1].split(";;", 1)[0]
    lines = [line.strip() for line in test_command.splitlines()]
    mypy = next(n for n, line in enumerate(lines) if line.startswith('"$VENV/bin/mypy"'))
    pytest_line = next(n for n, line in enumerate(lines) if "bin/pytest" in line)
    assert mypy < pytest_line
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["strict"] is True and config["files"] == ["flows", "storage"]
    done = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "Success: no issues found" in done.stdout
