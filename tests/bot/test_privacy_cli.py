"""`complaintbot privacy ...` run as an operator would: purge, holds, access log, keys."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from storage import Store
from storage.encryption import new_key
from tests.bot.test_terminal_chat import KO_ANSWERS, chat_env

LATER = (dt.date.today() + dt.timedelta(days=4 * 366)).isoformat()


def complaintbot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input="\n".join(KO_ANSWERS) + "\n" if args[0] == "chat" else None,
        capture_output=True,
        text=True,
        timeout=60,
        env=chat_env(tmp_path) | env,
        cwd=tmp_path,
    )


def _said(result: subprocess.CompletedProcess[str]) -> str:
    """The error: one line, after the start-up note naming the database file."""
    lines = [
        line for line in result.stderr.splitlines() if not line.startswith("complaintbot: data in")
    ]
    assert len(lines) == 1, result.stderr
    return lines[0]


def _reference(tmp_path: Path, **env: str) -> str:
    filed = complaintbot(tmp_path, "chat", "--user", "alice", **env)
    assert filed.returncode == 0, filed.stderr
    return filed.stdout.split("접수번호: ")[1].split()[0]


def test_purge_previews_holds_releases_and_anonymises(tmp_path: Path) -> None:
    ref = _reference(tmp_path)
    preview = complaintbot(tmp_path, "privacy", "purge", "--dry-run", "--as-of", LATER)
    assert preview.returncode == 0, preview.stderr
    assert "would anonymise 1 case(s)" in preview.stdout
    held = complaintbot(tmp_path, "privacy", "hold", ref, "--reason", "court order 12")
    assert held.stdout.strip() == f"{ref} is on legal hold"
    skipped = complaintbot(tmp_path, "privacy", "purge", "--as-of", LATER, "--actor", "dpo")
    assert "anonymised 0 case(s)" in skipped.stdout
    assert f"skipped, on legal hold: 1: {ref}" in skipped.stdout
    released = complaintbot(tmp_path, "privacy", "release", ref)
    assert released.stdout.strip() == f"{ref}: hold released"
    done = complaintbot(tmp_path, "privacy", "purge", "--as-of", LATER)
    assert "anonymised 1 case(s)" in done.stdout and "1/1 cases" in done.stderr
    mine = complaintbot(tmp_path, "mydata", "--user", "alice")
    assert mine.stdout.strip() == "이 채널에 저장된 내 정보가 없습니다."
    unknown = complaintbot(tmp_path, "privacy", "hold", "KKO-000000-000000", "--reason", "x")
    assert unknown.returncode == 1
    assert _said(unknown) == "no case KKO-000000-000000"


def test_access_log_lists_who_saw_what_and_why(tmp_path: Path) -> None:
    ref = _reference(tmp_path)
    with Store(chat_env(tmp_path)["DATABASE_URL"]) as store:
        store.case(ref, actor="op-kim", reason="compensation call")
        store.record_access("op-lee", ref, ["contact_phone"], "duplicate check")
    listed = complaintbot(tmp_path, "privacy", "access-log", "--actor", "op-kim")
    lines = listed.stdout.splitlines()
    assert lines[0] == "at\tactor\tcase\tfields\treason" and len(lines) == 2
    assert lines[1].split("\t")[1:3] == ["op-kim", ref]
    assert lines[1].endswith("\tcompensation call") and "contact_phone" in lines[1]
    later = complaintbot(tmp_path, "privacy", "access-log", "--since", LATER)
    assert later.stdout.splitlines() == ["at\tactor\tcase\tfields\treason"]


def test_a_wrong_or_malformed_key_fails_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    key = new_key()
    _reference(tmp_path, PII_ENCRYPTION_KEY=key)
    for bad in (new_key(), "tooshort"):
        result = complaintbot(tmp_path, "mydata", "--user", "alice", PII_ENCRYPTION_KEY=bad)
        assert result.returncode == 3
        assert "Traceback" not in result.stderr
        assert "PII_ENCRYPTION_KEY" in _said(result)
    missing = complaintbot(tmp_path, "mydata", "--user", "alice")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert _said(missing).endswith("but PII_ENCRYPTION_KEY is not set")
    shown = complaintbot(tmp_path, "mydata", "--user", "alice", PII_ENCRYPTION_KEY=key)
    assert "결제가 안 되어 손님들이 그냥 돌아갔습니다." in shown.stdout


def test_rotate_key_moves_everything_to_the_new_key(tmp_path: Path) -> None:
    old, new = new_key(), new_key()
    _reference(tmp_path, PII_ENCRYPTION_KEY=old)
    rotated = complaintbot(
        tmp_path, "privacy", "rotate-key", PII_ENCRYPTION_KEY=new, PII_ENCRYPTION_OLD_KEYS=old
    )
    assert rotated.returncode == 0, rotated.stderr
    assert "re-encrypted 0 open interview(s), 1 case(s), 0 attachment(s)" in rotated.stdout
    shown = complaintbot(tmp_path, "mydata", "--user", "alice", PII_ENCRYPTION_KEY=new)
    assert "결제가 안 되어 손님들이 그냥 돌아갔습니다." in shown.stdout
    assert len(complaintbot(tmp_path, "privacy", "new-key").stdout.strip()) == 44


def test_cases_show_without_the_key_shows_the_masked_view_and_says_the_key_is_needed(
    tmp_path: Path,
) -> None:
    key = new_key()
    ref = _reference(tmp_path, PII_ENCRYPTION_KEY=key)
    story = "결제가 안 되어 손님들이 그냥 돌아갔습니다."
    masked = complaintbot(tmp_path, "cases", "show", ref)
    assert masked.returncode == 0, masked.stderr
    assert "Traceback" not in masked.stderr + masked.stdout
    assert ref in masked.stdout and story not in masked.stdout
    assert "[encrypted]" in masked.stdout
    assert "PII_ENCRYPTION_KEY is not set here" in masked.stdout
    refused = complaintbot(
        tmp_path, "cases", "show", ref, "--include-pii", "--reason", "call", "--actor", "op-kim"
    )
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert _said(refused).endswith("but PII_ENCRYPTION_KEY is not set")
    with Store(chat_env(tmp_path)["DATABASE_URL"], pii_key=key) as store:
        assert store.access_log() == [], "a refused view shows nothing and logs nothing"
    keyed = complaintbot(tmp_path, "cases", "show", ref, PII_ENCRYPTION_KEY=key)
    assert "[encrypted]" not in keyed.stdout and "PII_ENCRYPTION_KEY" not in keyed.stdout
    clear = complaintbot(
        tmp_path, "cases", "show", ref, "--include-pii", "--reason", "compensation call",
        "--actor", "op-kim", PII_ENCRYPTION_KEY=key,
    )  # fmt: skip
    assert clear.returncode == 0, clear.stderr
    assert story in clear.stdout
    with Store(chat_env(tmp_path)["DATABASE_URL"], pii_key=key) as store:
        (entry,) = store.access_log()
    assert (entry.actor, entry.case_ref, entry.reason) == ("op-kim", ref, "compensation call")
