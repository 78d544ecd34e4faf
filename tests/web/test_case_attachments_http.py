"""An operator opens a case's evidence from the console: a web chat upload from the upload
folder, a Telegram file fetched from the (fake) Bot API on demand; each opening access-logged
and audited; nothing outside the upload folder, and nothing for the signed-out."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.intake import IntakeService
from flows import Done, Skip, Submit, Text, Upload, UserInput
from storage.audit import events_before
from tests.fakes import FakeBotApi
from tests.web.conftest import EN_CASE, PASSWORD, Console, client_for, make_console, sign_in

PDF = b"%PDF-1.4\n% a receipt\n"


@pytest.fixture
def fake_telegram() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def files_console(
    database_url: str, tmp_path: Path, fake_telegram: FakeBotApi, request: pytest.FixtureRequest
) -> Iterator[Console]:
    overrides: dict[str, Any] = {
        "web_upload_dir": str(tmp_path / "uploads"),
        "telegram_bot_token": fake_telegram.token,
        "telegram_api_base_url": fake_telegram.base_url,
        "telegram_file_base_url": fake_telegram.base_file_url,
    }
    made = make_console(database_url, **(overrides | getattr(request, "param", {})))
    try:
        yield made
    finally:
        made.store.close()


def file_with(intake: IntakeService, channel: str, user: str, *uploads: Upload) -> str:
    """An English case whose evidence step gets ``uploads``."""
    intake.begin(channel, user)
    reply = None
    for answer in EN_CASE[:8]:
        reply = intake.handle(channel, user, Text(answer))
    given: list[UserInput] = [*uploads, Done()] if uploads else [Skip()]
    for item in [*given, Skip(), Submit()]:
        reply = intake.handle(channel, user, item)
    assert reply is not None and reply.case_reference, reply
    return reply.case_reference


def operator(console: Console) -> TestClient:
    console.accounts.add("olivia", "operator", PASSWORD, actor="test")
    client = client_for(console)
    assert sign_in(client, "olivia").status_code == 303
    return client


def openings(console: Console, reference: str) -> list[tuple[str, str]]:
    with console.store.engine.connect() as conn:
        events = events_before(conn, None, 500)
    audited = [(e.actor, e.action) for e in events if e.subject == reference]
    return [a for a in audited if a[1] == "view-attachment"]


def logged(console: Console, reference: str) -> list[tuple[str, list[str], str]]:
    return [
        (e.actor, list(e.fields), e.reason)
        for e in console.store.access_log()
        if e.case_ref == reference and "attachments" in e.fields and len(e.fields) == 1
    ]


def test_a_web_chat_upload_opens_for_an_operator_and_is_logged(
    files_console: Console, tmp_path: Path
) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir()
    kept = folder / "0a1b2c.pdf"
    kept.write_bytes(PDF)
    upload = Upload(kept.as_uri(), "document", size=len(PDF), name="영수증.pdf",
                    mime_type="application/pdf")  # fmt: skip
    reference = file_with(files_console.intake, "web", "w-1", upload)
    client = operator(files_console)
    page = client.get(f"/cases/{reference}").text
    assert f'href="/cases/{reference}/attachments/0"' in page
    got = client.get(f"/cases/{reference}/attachments/0")
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("attachment;")  # a PDF never inline
    assert "%EC%98%81%EC%88%98%EC%A6%9D.pdf" in got.headers["content-disposition"]
    assert openings(files_console, reference) == [("web:olivia", "view-attachment")]
    [(actor, fields, reason)] = logged(files_console, reference)
    assert actor == "web:olivia" and fields == ["attachments"] and "attachment" in reason


def test_a_telegram_file_is_fetched_from_the_bot_api_when_opened(
    files_console: Console, fake_telegram: FakeBotApi
) -> None:
    photo = fake_telegram.add_file("photo", b"\xff\xd8\xff\xe0 a photo")
    reference = file_with(files_console.intake, "telegram", "42", Upload(photo.file_id, "photo"))
    client = operator(files_console)
    got = client.get(f"/cases/{reference}/attachments/0")
    assert got.status_code == 200 and got.content == b"\xff\xd8\xff\xe0 a photo"
    assert got.headers["content-type"] == "image/jpeg"
    assert got.headers["content-disposition"].startswith("inline;")  # a picture opens in place
    methods = [call.method for call in fake_telegram.calls]
    assert "getFile" in methods
    assert openings(files_console, reference) == [("web:olivia", "view-attachment")]
    assert fake_telegram.token not in got.text  # the token never reaches a page


def test_a_file_telegram_no_longer_has_gets_a_friendly_page(files_console: Console) -> None:
    reference = file_with(
        files_console.intake, "telegram", "43", Upload("AgACgone", "photo", size=10)
    )
    got = operator(files_console).get(f"/cases/{reference}/attachments/0")
    assert got.status_code == 502 and "텔레그램에서 파일을 받아 오지 못했습니다" in got.text
    assert "Traceback" not in got.text


def test_an_address_that_is_no_telegram_file_is_not_asked_of_the_bot_api(
    files_console: Console, fake_telegram: FakeBotApi
) -> None:
    reference = file_with(
        files_console.intake, "telegram", "46", Upload("script://receipt.pdf", "document")
    )
    got = operator(files_console).get(f"/cases/{reference}/attachments/0")
    assert got.status_code == 404 and "Traceback" not in got.text
    assert [call.method for call in fake_telegram.calls if call.method == "getFile"] == []


@pytest.mark.parametrize("files_console", [{"telegram_bot_token": None}], indirect=True)
def test_without_a_bot_token_a_telegram_file_says_what_is_needed(files_console: Console) -> None:
    reference = file_with(files_console.intake, "telegram", "44", Upload("AgACx", "photo"))
    got = operator(files_console).get(f"/cases/{reference}/attachments/0")
    assert got.status_code == 503 and "TELEGRAM_BOT_TOKEN" in got.text


def test_nothing_outside_the_upload_folder_is_served(
    files_console: Console, tmp_path: Path
) -> None:
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("not evidence")
    reference = file_with(
        files_console.intake, "web", "w-2", Upload(secret.as_uri(), "document", name="x.txt")
    )
    client = operator(files_console)
    got = client.get(f"/cases/{reference}/attachments/0")
    assert got.status_code == 404 and "not evidence" not in got.text
    assert client.get(f"/cases/{reference}/attachments/1").status_code == 404
    assert client.get("/cases/KKO-000000-000000/attachments/0").status_code == 404


def test_signed_out_nobody_opens_an_attachment(files_console: Console, tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir()
    kept = folder / "a.pdf"
    kept.write_bytes(PDF)
    reference = file_with(files_console.intake, "web", "w-3", Upload(kept.as_uri(), "document"))
    got = client_for(files_console).get(f"/cases/{reference}/attachments/0")
    assert got.status_code == 303 and got.headers["location"].startswith("/sign-in")
    assert openings(files_console, reference) == []


def test_fetching_a_telegram_file_logs_no_token_even_at_debug(
    files_console: Console,
    fake_telegram: FakeBotApi,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    from bot.cli import configure_logging

    names = ("", "httpx", "httpcore", "transitions", "alembic")
    before = {name: logging.getLogger(name).level for name in names}
    configure_logging("DEBUG")
    request.addfinalizer(lambda: [logging.getLogger(n).setLevel(v) for n, v in before.items()])
    photo = fake_telegram.add_file("photo", b"\xff\xd8\xff\xe0 another")
    reference = file_with(files_console.intake, "telegram", "45", Upload(photo.file_id, "photo"))
    client = operator(files_console)
    with caplog.at_level(logging.DEBUG):
        assert client.get(f"/cases/{reference}/attachments/0").status_code == 200
    assert fake_telegram.token not in caplog.text


def test_erasing_a_claimant_deletes_their_web_chat_uploads(
    files_console: Console, tmp_path: Path
) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir()
    kept = folder / "e1.pdf"
    kept.write_bytes(PDF)
    other = folder / "e2.pdf"
    other.write_bytes(PDF)
    mine = file_with(files_console.intake, "web", "w-erase", Upload(kept.as_uri(), "document"))
    file_with(files_console.intake, "web", "w-keep", Upload(other.as_uri(), "document"))
    assert files_console.store.case(mine).attachments[0].stored_path == str(kept)
    erasure = files_console.intake.erase("web", "w-erase", actor="claimant")
    assert erasure.stored_paths == [str(kept)]
    assert not kept.exists() and other.exists()  # only the erased claimant's file goes
