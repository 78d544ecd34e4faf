"""The claimants' web chat over HTTP: whole interviews, resuming, uploads, limits, privacy."""

from __future__ import annotations

import hashlib
import html
import logging
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.chat_driver import EN_BY_BUTTONS, KO_BY_BUTTONS, WebClaimant, text_of
from tests.web.conftest import Console, client_for, csrf_of, make_console


def tiny_png() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def chat_console(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Console]:
    overrides: dict[str, Any] = {"web_upload_dir": str(tmp_path / "uploads")}
    overrides |= getattr(request, "param", {})
    made = make_console(database_url, **overrides)
    try:
        yield made
    finally:
        made.store.close()


def new_claimant(console: Console) -> WebClaimant:
    return WebClaimant(client_for(console))


def code_on(page: str) -> str:
    found = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", page)
    assert found, "no resume code on the page"
    return found.group(0)


def test_an_english_interview_by_buttons_ends_with_a_case_number(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    me.start()
    assert "Please choose your language" in me.question
    me.run(EN_BY_BUTTONS)
    reference = me.case_number()
    assert '<html lang="en"' in me.page
    case = chat_console.store.case(reference)
    assert case is not None and case.channel == "web"
    # The stored key is a keyed hash, neither the code nor anything the page shows.
    code = code_on(me.page).replace("-", "")
    assert code not in case.user_key and len(case.user_key) == 40


def test_a_korean_interview_ends_with_a_case_number(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    me.start()
    me.run(KO_BY_BUTTONS)
    reference = me.case_number()
    assert '<html lang="ko"' in me.page and "접수번호" in me.question
    cases = me.client.get("/chat/cases").text
    assert reference in cases and "접수됨" in cases


def test_consent_is_the_flows_own_question_and_refusing_files_nothing(
    chat_console: Console,
) -> None:
    me = new_claimant(chat_console)
    me.start()
    me.press("English")
    assert "personal information" in me.question
    assert [label for _, label in me.buttons()][:2] == ["I agree", "I do not agree"]
    me.press("I do not agree")
    assert "Case number:" not in me.page
    assert "아직 접수한 내역이 없습니다." in me.client.get("/chat/cases").text


def test_a_typed_answer_that_is_not_understood_is_an_error_tied_to_its_field(
    chat_console: Console,
) -> None:
    me = new_claimant(chat_console)
    me.start()
    me.run(EN_BY_BUTTONS[:8])
    assert "When did the harm happen" in me.question
    me.type("sometime")
    assert me.error, "no error shown"
    assert "When did the harm happen" in me.question
    field = re.search(r'<input id="answer"[^>]*>', me.page)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert "answer-error" in field.group(0)


def test_multi_choice_ticks_have_a_text_equivalent(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    me.start()
    me.run(EN_BY_BUTTONS[:3])
    ticked = next(label for value, label in me.buttons() if value == "toggle:0")
    assert "✅" in ticked and "(selected)" in ticked
    assert re.search(r'value="toggle:0"[^>]*aria-pressed="true"', me.page)


def test_the_same_browser_resumes_by_cookie_and_is_told_where_it_stands(
    chat_console: Console,
) -> None:
    me = new_claimant(chat_console)
    me.start()
    me.run(EN_BY_BUTTONS[:4])
    where = me.question
    me.start()  # the next visit: "Start" again
    assert me.question == where
    assert "You have answered 3 questions so far" in text_of(me.page)


def test_another_device_resumes_by_the_code(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    me.start()
    me.run(EN_BY_BUTTONS[:2])
    where, code = me.question, code_on(me.page)
    other = new_claimant(chat_console)
    page = other.open()
    typed = code.lower().replace("-", " ")  # read aloud, retyped
    response = other.client.post("/chat/resume", data={"csrf_token": csrf_of(page), "code": typed})
    assert response.status_code == 303 and response.headers["location"] == "/chat"
    other.open()
    assert other.question == where
    other.run(EN_BY_BUTTONS[2:])
    assert other.case_number()


def test_a_wrong_or_malformed_code_is_refused_with_a_reason(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    page = me.open()
    bad = me.client.post("/chat/resume", data={"csrf_token": csrf_of(page), "code": "12"})
    assert bad.status_code == 400 and "12자리" in bad.text
    unknown = me.client.post(
        "/chat/resume", data={"csrf_token": csrf_of(page), "code": "ABCD-EFGH-JKMN"}
    )
    assert unknown.status_code == 404
    assert 'aria-invalid="true"' in unknown.text and 'role="alert"' in unknown.text


def test_guessing_codes_is_limited_per_address(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    page = me.open()
    statuses = [
        me.client.post(
            "/chat/resume", data={"csrf_token": csrf_of(page), "code": f"ABCD-EFGH-JK{n:02d}"}
        ).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [404] * 10
    assert statuses[10] == 429


@pytest.mark.parametrize("chat_console", [{"web_chat_requests_per_minute": 5}], indirect=True)
def test_chat_requests_are_limited_per_address(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    statuses = [me.client.get("/chat").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    limited = me.client.get("/chat")
    assert limited.headers["retry-after"] == "60"
    assert "wait a minute" in limited.text or "기다린" in limited.text
    # The console's sign-in page is not the chat's: its own limits apply.
    assert me.client.get("/sign-in").status_code == 200


@pytest.mark.parametrize("chat_console", [{"web_upload_max_mb": 0.01}], indirect=True)
def test_evidence_is_checked_kept_and_recorded_with_the_case(
    chat_console: Console, tmp_path: Path
) -> None:
    me = new_claimant(chat_console)
    me.start()
    me.run(EN_BY_BUTTONS[:10])
    assert "evidence" in me.question
    me.upload("notes.txt", b"just some text, not a photo")
    assert "not accepted" in me.error
    me.upload("big.png", tiny_png() + b"\x00" * 20_000)
    assert "too large" in me.error
    me.upload("receipt.png", tiny_png(), "image/png")
    assert me.error == "" and "Files attached: 1 of 5" in text_of(me.page)
    kept = list((tmp_path / "uploads").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == tiny_png()
    assert "receipt" not in kept[0].name  # random names in the folder
    me.press("Done")
    me.press("Skip")
    me.press("Submit")
    case = chat_console.store.case(me.case_number())
    assert case is not None
    [attachment] = case.attachments
    assert attachment.file_id == kept[0].as_uri()
    assert attachment.name == "receipt.png" and attachment.kind == "photo"
    # The content's hash names the file for the same-evidence duplicate rule.
    [item] = case.answers["evidence"]
    assert item["file_unique_id"] == "sha256:" + hashlib.sha256(tiny_png()).hexdigest()


@pytest.mark.parametrize("chat_console", [{"web_upload_max_mb": 0.01}], indirect=True)
def test_an_upload_far_over_the_limit_is_refused_before_it_is_read(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    me.start()
    response = me.client.post(
        "/chat/upload",
        data={"csrf_token": csrf_of(me.page)},
        files={"file": ("huge.png", tiny_png() + b"\x00" * 200_000, "image/png")},
    )
    assert response.status_code == 413


def test_a_claimant_sees_only_their_own_cases(chat_console: Console) -> None:
    alice = new_claimant(chat_console)
    alice.start()
    alice.run(EN_BY_BUTTONS)
    hers = alice.case_number()
    bob = new_claimant(chat_console)
    bob.start()
    bob.run(EN_BY_BUTTONS)
    his = bob.case_number()
    assert hers in alice.client.get("/chat/cases").text
    assert his not in alice.client.get("/chat/cases").text
    assert hers not in bob.client.get("/chat/cases").text
    stranger = new_claimant(chat_console)
    page = stranger.client.get("/chat/cases").text
    assert hers not in page and his not in page


def test_mydata_shows_this_claimant_their_own_data_and_nobody_elses(
    chat_console: Console,
) -> None:
    from flows import message

    alice = new_claimant(chat_console)
    alice.start()
    alice.run(EN_BY_BUTTONS)
    hers, her_story = alice.case_number(), "I could not reach my family during the outage."
    bob = new_claimant(chat_console)
    bob.start()
    bob.run(KO_BY_BUTTONS)
    his, his_story = bob.case_number(), "카카오톡이 안 되어 가족과 연락하지 못했습니다."
    assert "/chat/mydata" in alice.client.get("/chat/cases").text
    mine = alice.client.get("/chat/mydata")
    assert mine.status_code == 200
    assert hers in mine.text and her_story in mine.text
    assert his not in mine.text and his_story not in mine.text
    assert any(message("mydata.erase_other", lang) in mine.text for lang in ("ko", "en"))
    theirs = bob.client.get("/chat/mydata").text
    assert his in theirs and his_story in theirs
    assert hers not in theirs and her_story not in theirs
    stranger = new_claimant(chat_console).client.get("/chat/mydata")
    assert stranger.status_code == 200
    assert any(message("mydata.none", lang) in stranger.text for lang in ("ko", "en"))
    for value in (hers, his, her_story, his_story):
        assert value not in stranger.text
    assert chat_console.store.access_log() == [], "a claimant's own view is no staff access"


def test_no_personal_data_in_urls_or_logs(
    chat_console: Console, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    me = new_claimant(chat_console)
    locations: list[str] = []
    original = me.client.post

    def post(url: str, **kwargs: Any) -> Any:
        response = original(url, **kwargs)
        locations.append(response.headers.get("location", ""))
        return response

    me.client.post = post  # type: ignore[method-assign]
    me.start()
    script = [
        *EN_BY_BUTTONS[:10],
        ("press", "Skip"),
        ("type", "010-2345-6789"),
        ("press", "Submit"),
    ]
    me.run(script)
    assert me.case_number()
    assert set(locations) <= {"/chat"}
    logged = caplog.text
    for secret in ("010-2345-6789", "reach my family", code_on(me.page)):
        assert secret not in logged


def test_a_button_from_an_earlier_question_is_stale(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    me.start()
    old_page = me.page
    me.press("English")
    where = me.question
    turn = re.search(r'name="turn" value="(\d+)"', old_page)
    assert turn
    me.client.post(
        "/chat/answer",
        data={"csrf_token": csrf_of(old_page), "turn": turn.group(1), "press": "choose:0"},
    )
    me.open()
    assert me.question == where
    assert "earlier question" in text_of(me.page)


def test_switching_language_mid_interview(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    me.start()
    me.run(EN_BY_BUTTONS[:2])
    response = me.client.post(
        "/chat/language", data={"csrf_token": csrf_of(me.page), "language": "ko"}
    )
    assert response.status_code == 303
    me.open()
    assert '<html lang="ko"' in me.page
    assert "카카오" in me.question


def test_forgetting_the_code_on_this_device(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    me.start()
    me.client.post("/chat/forget", data={"csrf_token": csrf_of(me.page)})
    page = me.open()
    assert 'id="start"' in page and "재개 코드를 지웠습니다" in page
    assert "cb_claimant" not in me.client.cookies


def test_the_web_chat_says_press_where_it_draws_buttons(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    me.start()
    me.run(EN_BY_BUTTONS[:10])  # to the evidence question, which may be skipped
    page = html.unescape(me.page)
    assert "If you have none, press 'Skip'." in page
    assert "{skip}" not in page and "type 'skip'" not in page


@pytest.mark.parametrize("script", [EN_BY_BUTTONS, KO_BY_BUTTONS], ids=["en", "ko"])
def test_chat_js_gets_the_next_page_in_the_answer_itself(
    chat_console: Console, script: list[tuple[str, str]]
) -> None:
    """With chat.js an answer is one request answered with the page GET /chat would show."""
    plain, fetched = new_claimant(chat_console), new_claimant(chat_console)
    fetched.fetch = True
    plain.start()
    fetched.start()
    for how, what in script:
        for me in (plain, fetched):
            me.type(what) if how == "type" else me.press(what)
        number = re.compile(r"[A-Z]{3}-\d{6}-\d{6}")
        assert number.sub("#", fetched.question) == number.sub("#", plain.question)
        assert fetched.buttons() == plain.buttons()
        assert fetched.error == plain.error
        # The answer's page is the page: a GET /chat afterwards shows the same question.
        again = WebClaimant(fetched.client)
        again.open()
        assert again.question == fetched.question
    assert plain.case_number() != fetched.case_number()
    case = chat_console.store.case(fetched.case_number())
    assert case is not None and case.channel == "web"


def test_chat_js_sees_an_error_and_a_stale_button_as_the_redirect_would(
    chat_console: Console,
) -> None:
    me = new_claimant(chat_console)
    me.fetch = True
    me.start()
    old_page = me.page
    me.run(EN_BY_BUTTONS[:8])
    me.type("sometime")
    assert "When did the harm happen" in me.question and me.error
    field = re.search(r'<input id="answer"[^>]*>', me.page)
    assert field and 'aria-invalid="true"' in field.group(0)
    turn = re.search(r'name="turn" value="(\d+)"', old_page)
    assert turn
    stale = me.client.post(
        "/chat/answer",
        data={"csrf_token": csrf_of(old_page), "turn": turn.group(1), "press": "choose:0"},
        headers={"X-Chat-Fetch": "1"},
    )
    assert stale.status_code == 200 and stale.headers["X-Chat-Page"] == "1"
    assert "earlier question" in text_of(stale.text)
    assert "When did the harm happen" in text_of(stale.text)


@pytest.mark.parametrize("chat_console", [{"web_chat_requests_per_minute": 6}], indirect=True)
def test_an_answer_by_chat_js_costs_one_count_of_the_limit(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    me.fetch = True
    me.start()  # GET /chat, POST /chat/start, GET /chat: three counts
    me.press("English")
    me.press("I agree")
    me.press("KakaoTalk")  # three answers, three counts: six in all
    limited = me.client.post(
        "/chat/answer", data=me._form(press="choose:0"), headers={"X-Chat-Fetch": "1"}
    )
    assert limited.status_code == 429 and "X-Chat-Page" not in limited.headers


def test_without_the_header_an_answer_still_redirects(chat_console: Console) -> None:
    me = new_claimant(chat_console)
    me.start()
    response = me.client.post("/chat/answer", data=me._form(press="choose:0"))
    assert response.status_code == 303 and response.headers["location"] == "/chat"
    assert "X-Chat-Page" not in response.headers
