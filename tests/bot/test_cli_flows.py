"""The `complaintbot flows` commands, run as a real subprocess like an admin would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from flows import load_flow

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


def _with_db(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONIOENCODING": "utf-8",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'flows.db'}",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )


def test_publish_versions_diff_and_rollback(tmp_path: Path) -> None:
    first = tmp_path / "mini.yaml"
    first.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    published = _with_db(tmp_path, "flows", "publish", str(first), "--note", "first try")
    assert published.returncode == 0, published.stderr
    v1 = published.stdout.split()[-1]
    assert published.stdout == f"published mini version {v1}\n"

    again = _with_db(tmp_path, "flows", "publish", str(first))
    assert again.returncode == 1
    assert f"flow 'mini' version {v1} is already the published version" in again.stderr

    second = tmp_path / "mini2.yaml"
    second.write_text(first.read_text(encoding="utf-8").replace("미니", "미니 2"), "utf-8")
    v2 = _with_db(tmp_path, "flows", "publish", str(second)).stdout.split()[-1]
    assert v2 != v1

    older = _with_db(tmp_path, "flows", "publish", str(first))
    assert older.returncode == 1 and f"complaintbot flows rollback mini {v1}" in older.stderr

    diff = _with_db(tmp_path, "flows", "diff", "mini", v1, v2)
    assert diff.returncode == 0, diff.stderr
    assert "-title: {ko: 미니, en: Mini}\n+title: {ko: 미니 2, en: Mini}\n" in diff.stdout

    back = _with_db(tmp_path, "flows", "rollback", "mini", v1, "--actor", "lead")
    assert back.returncode == 0 and back.stdout == f"rolled back mini to version {v1}\n"
    listed = _with_db(tmp_path, "flows", "versions", "mini").stdout.splitlines()
    assert listed[0].startswith(f"* {v1}") and listed[1].strip().endswith("first try")
    assert listed[2].strip().endswith("by lead")
    assert listed[3].startswith(f"  {v2}")


def test_a_flow_paths_file_never_silently_replaces_a_shipped_flow(tmp_path: Path) -> None:
    shipped = Path(__file__).parents[2] / "flows" / "definitions" / "template_outage.yaml"
    copy = tmp_path / "mine.yaml"
    copy.write_text(shipped.read_text(encoding="utf-8") + "\n# my edit\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "flows", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "PYTHONIOENCODING": "utf-8",
            "FLOW_PATHS": str(copy),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'flows.db'}",
        },
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert f"{copy}: flow id 'generic-outage' is also a shipped flow; it is a draft" in (
        result.stderr
    )
    listed = {line.split("\t")[0]: line.split("\t")[1:] for line in result.stdout.splitlines()}
    published, state, title = listed["generic-outage"]
    assert published == load_flow(shipped).version  # the shipped file, published on first start
    assert state == f"file {load_flow(copy).version} is a draft (flows publish FILE)"
    assert title == "Hanbit Cloud outage damage report"
    assert listed["kakao-outage-2022"][1] == "file is the published version"


def test_flows_test_runs_the_shipped_scripts() -> None:
    result = complaintbot("flows", "test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "kakao-outage-2022 (" in result.stdout and "generic-outage (" in result.stdout
    assert "FAIL" not in result.stdout and result.stdout.count("  ok    ") >= 6


SCRIPT = """\
flow: mini
scripts:
  - name: refusing
    steps:
      - {choose: refuse, expect: refused}
    ends: refused
"""


def test_a_failing_script_fails_flows_test_and_blocks_publish(tmp_path: Path) -> None:
    flow = tmp_path / "mini.yaml"
    flow.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "mini.test.yaml").write_text(SCRIPT.replace("ends: refused", "ends: filed"))
    tested = complaintbot("flows", "test", str(flow))
    assert tested.returncode == 1
    assert "FAIL  refusing" in tested.stdout and "mini.test.yaml:3:" in tested.stdout
    assert "expected the interview to end filed, but it ended refused" in tested.stdout

    blocked = _with_db(tmp_path, "flows", "publish", str(flow))
    assert blocked.returncode == 1
    assert "not published: 1 of 1 flow script(s) failed" in blocked.stderr
    listed = _with_db(tmp_path, "flows", "versions", "mini")
    assert listed.returncode == 2 and "has no stored versions" in listed.stderr

    (tmp_path / "mini.test.yaml").write_text(SCRIPT)
    published = _with_db(tmp_path, "flows", "publish", str(flow))
    assert published.returncode == 0, published.stderr
    assert "ok    refusing (1 inputs)" in published.stdout
