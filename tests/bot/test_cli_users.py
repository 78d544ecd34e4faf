"""`complaintbot users ...` and `complaintbot web`, run as real subprocesses."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.web.conftest import free_port

PASSWORD = "a long enough password"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONIOENCODING": "utf-8",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        **extra,
    }


def complaintbot(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(tmp_path),
        cwd=tmp_path,
        input=stdin,
    )


def test_users_add_list_and_disable(tmp_path: Path) -> None:
    added = complaintbot(
        tmp_path, "users", "add", "Alice", "--role", "admin", stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert added.returncode == 0, added.stderr
    assert "added alice (admin)" in added.stdout
    linked = complaintbot(tmp_path, "users", "add", "bob", "--role", "operator", "--link")
    assert linked.returncode == 0, linked.stderr
    assert re.search(r"http://127\.0\.0\.1:8000/account/setup/[\w-]{40,}", linked.stdout)
    listed = complaintbot(tmp_path, "users", "list")
    assert listed.stdout.splitlines() == [
        "alice\tadmin\tactive",
        "bob\toperator\twaiting for a password",
    ]
    assert complaintbot(tmp_path, "users", "disable", "bob").returncode == 0
    assert "bob\toperator\tdisabled" in complaintbot(tmp_path, "users", "list").stdout


def test_users_commands_refuse_politely(tmp_path: Path) -> None:
    bad_role = complaintbot(tmp_path, "users", "add", "carol", "--role", "boss", "--link")
    assert bad_role.returncode == 2 and "role must be one of admin, operator" in bad_role.stderr
    short = complaintbot(tmp_path, "users", "add", "carol", stdin="short\nshort\n")
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    unknown = complaintbot(tmp_path, "users", "disable", "nobody")
    assert unknown.returncode == 2 and "no account named 'nobody'" in unknown.stderr
    assert "Traceback" not in bad_role.stderr + short.stderr + unknown.stderr


def test_web_prints_the_first_admin_link_serves_it_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "web", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(tmp_path),
        cwd=tmp_path,
    )
    try:
        assert server.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(server.stdout, selectors.EVENT_READ)
        printed = ""
        while "Web console on" not in printed:
            assert selector.select(timeout=30), f"nothing more printed: {printed!r}"
            chunk = os.read(server.stdout.fileno(), 4096).decode()
            assert chunk, server.stderr.read() if server.stderr else ""
            printed += chunk
        link = re.search(rf"http://127\.0\.0\.1:{port}/account/setup/[\w-]+", printed)
        assert link, printed
        page = _get_when_up(link.group(0))
        assert page.status_code == 200 and "첫 관리자 만들기" in page.text
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    assert server.returncode == 0


def _get_when_up(url: str) -> httpx.Response:
    for _ in range(200):
        try:
            return httpx.get(url, timeout=5)
        except httpx.ConnectError:
            time.sleep(0.05)  # still binding its socket
    raise AssertionError(f"{url} never answered")
