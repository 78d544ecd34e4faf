"""The `complaintbot flows` commands, run as a real subprocess like an admin would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

MINI = Path(__file__).parents[1] / "flows" / "data" / "mini.yaml"


def complaintbot(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=cwd,
    )


def test_validate_passes_the_shipped_flows() -> None:
    result = complaintbot("flows", "validate")
    assert result.returncode == 0, result.stderr
    assert "kakao-outage-2022" in result.stdout and "generic-outage" in result.stdout


def test_validate_fails_with_file_and_line_on_a_broken_flow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    source = MINI.read_text(encoding="utf-8").replace("next: service_other", "next: nowhere")
    broken.write_text(source, encoding="utf-8")
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "next: nowhere" in text)
    result = complaintbot("flows", "validate", str(broken))
    assert result.returncode == 1
    assert f"{broken}:{line}:5: steps.services.next: unknown step 'nowhere'" in result.stderr
    assert "1 problem(s) found." in result.stderr


def test_schema_is_json_schema_describing_steps() -> None:
    result = complaintbot("flows", "schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["title"] == "complaintbot flow"
    assert {"id", "languages", "start", "steps"} <= set(schema["properties"])
    kinds = json.dumps(schema["$defs"])
    for kind in ("multi_choice", "money", "datetime", "confirm", "end"):
        assert f'"const": "{kind}"' in kinds, kind


def test_diagram_prints_mermaid_with_labelled_branches() -> None:
    result = complaintbot("flows", "diagram", str(MINI), "--lang", "en")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("flowchart TD\n")
    assert 'consent -- "consent equals refuse" --> refused' in out
    assert 'consent -- "otherwise" --> services' in out
    assert "only if services contains other" in out


def test_run_without_a_token_points_to_the_terminal_chat(tmp_path: Path) -> None:
    result = complaintbot("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "complaintbot chat" in result.stderr
