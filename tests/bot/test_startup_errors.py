"""Start-up and configuration errors: one or two lines naming the setting, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.telegram_server import FakeBotApi

TOKEN = "123456789:AAF4ke-wrong_token_for_the_test"


def complaintbot(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_URL", "LOG_LEVEL"))
    }
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env | settings,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )


def complaint(result: subprocess.CompletedProcess[str]) -> list[str]:
    """What the command said, without the line saying where the data lives."""
    return [
        line for line in result.stderr.splitlines() if not line.startswith("complaintbot: data")
    ]


def test_webhook_without_its_url_names_both_settings_without_a_traceback(tmp_path: Path) -> None:
    result = complaintbot(tmp_path, "run", "--webhook", TELEGRAM_BOT_TOKEN=TOKEN)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert complaint(result) == [
        "--webhook needs WEBHOOK_URL (the public HTTPS address Telegram posts to) and "
        "WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -).",
        "Set both in .env or the environment (see .env.example), or run without --webhook "
        "to use long polling.",
    ]


def test_debug_shows_the_traceback_of_the_same_error(tmp_path: Path) -> None:
    result = complaintbot(tmp_path, "run", "--webhook", "--debug", TELEGRAM_BOT_TOKEN=TOKEN)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "WebhookNotConfigured" in result.stderr


def test_an_unreachable_bot_api_names_its_setting(tmp_path: Path) -> None:
    with FakeBotApi() as fake:
        base = fake.base_url
    # stopped: nothing listens on its port any more
    result = complaintbot(tmp_path, "run", TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=base)
    assert result.returncode == 4
    assert "Traceback" not in result.stderr
    lines = complaint(result)
    assert len(lines) == 2
    assert lines[0].startswith(
        f"Cannot reach the Telegram Bot API at TELEGRAM_API_BASE_URL={base} "
    )
    assert TOKEN not in result.stderr


def test_a_token_the_bot_api_refuses_is_named(tmp_path: Path) -> None:
    with FakeBotApi() as fake:  # it answers 401 to any other token than its own
        result = complaintbot(
            tmp_path, "run", TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=fake.base_url
        )
    assert result.returncode == 2
    assert complaint(result) == [
        "Telegram refused TELEGRAM_BOT_TOKEN. Copy the token again from @BotFather into .env "
        "(see .env.example)."
    ]
    assert TOKEN not in result.stderr


@pytest.mark.parametrize(
    ("setting", "value", "first_line"),
    [
        ("WEBHOOK_PORT", "99999", "WEBHOOK_PORT: Input should be less than or equal to 65535"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL: LOG_LEVEL must be one of DEBUG, INFO, WARNING"),
        ("REMINDER_AFTER_HOURS", "soon", "REMINDER_AFTER_HOURS: Input should be a valid number"),
    ],
)
def test_a_bad_setting_is_named_with_the_fix(
    tmp_path: Path, setting: str, value: str, first_line: str
) -> None:
    result = complaintbot(tmp_path, "chat", **{setting: value})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = complaint(result)
    assert len(lines) == 2
    assert lines[0].startswith(first_line)
    assert lines[1] == "Set it in .env or the environment (see .env.example)."


def test_an_unreachable_database_is_named_with_the_fix(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody:hunter2@127.0.0.1:9/none"
    result = complaintbot(tmp_path, "chat", DATABASE_URL=url)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr and "hunter2" not in result.stderr
    lines = complaint(result)
    assert lines[0].startswith(
        "Cannot open the database at DATABASE_URL=postgresql+psycopg://nobody:***@127.0.0.1:9/none: "
    )
    assert lines[1] == "Start the database server, or fix DATABASE_URL in .env (see .env.example)."


def test_a_database_url_of_an_unknown_kind_is_named(tmp_path: Path) -> None:
    result = complaintbot(tmp_path, "chat", DATABASE_URL="mysql://me@localhost/db")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert complaint(result)[0].startswith("DATABASE_URL=mysql://me@localhost/db is not a database")


def test_a_broken_flow_file_is_named_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\nsteps: [\n", encoding="utf-8")
    result = complaintbot(tmp_path, "chat", FLOW_PATHS=str(tmp_path / "broken.yaml"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{tmp_path / 'broken.yaml'}:3:1: " in result.stderr


def test_postgresql_without_its_driver_says_which_extra_to_install(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": "postgresql+psycopg://me@127.0.0.1:9/db"}
    hide_driver = (
        "import sys; sys.modules['psycopg'] = None; from bot.cli import main; main(['chat'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", hide_driver],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert complaint(result) == [
        "DATABASE_URL=postgresql+psycopg://me@127.0.0.1:9/db names PostgreSQL, whose driver is "
        "not installed. Install it with: pip install 'complaintbot[postgres]'"
    ]
