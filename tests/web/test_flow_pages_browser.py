"""The flows pages in a real browser (Debian's Chromium via Playwright): an admin fixes an
error shown at its line, rewords a question, adds a choice and publishes; new interviews get
it while one begun before finishes on its old version. axe-core on every flows page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from flows import Skip, Submit, Text, UserInput
from storage.tables import CaseRow
from tests.web.conftest import LiveConsole
from tests.web.test_console_browser import create_first_admin

pytestmark = pytest.mark.browser

FLOW = "kakao-outage-2022"
OLD_WORDS = "피해를 입으신 카카오 서비스를 모두 골라 주세요."
NEW_WORDS = "장애로 불편을 겪으신 카카오 서비스를 모두 골라 주세요."
NEW_CHOICE = """      - value: kakao_bank
        label:
          ko: 카카오뱅크
          en: KakaoBank
"""
KO_CASE_AFTER_SERVICES = [
    "1",  # KakaoTalk
    "1",  # paid
    "1",  # individual
    "5",  # time and distress
    "2022년 10월 15일 오후 6시",
    "장애 동안 가족과 연락이 닿지 않았습니다.",
    "skip",
    "skip",
    "submit",
]


def _edited(source: str) -> str:
    assert OLD_WORDS in source
    source = source.replace(OLD_WORDS, NEW_WORDS, 1)
    return source.replace("    next: service_other\n", NEW_CHOICE + "    next: service_other\n", 1)


def _broken(source: str) -> tuple[str, int]:
    line = source.splitlines().index("        goto: services") + 1
    return source.replace("goto: services", "goto: servicez", 1), line


def _to_services(live: LiveConsole, user: str) -> tuple[str, list[str]]:
    """A Korean interview through the intake, up to the services question."""
    reply = live.intake.begin("test", user)
    answers = {"language": "1", "consent": "1"}
    while reply.prompt is not None and reply.prompt.step in answers:
        reply = live.intake.handle("test", user, Text(answers[reply.prompt.step]))
    prompt = reply.prompt
    assert prompt is not None and prompt.step == "services", reply
    return prompt.text, [option.label for option in prompt.options]  # type: ignore[union-attr]


def _finish(live: LiveConsole, user: str) -> str:
    words: dict[str, UserInput] = {"skip": Skip(), "submit": Submit()}
    reply = None
    for answer in KO_CASE_AFTER_SERVICES:
        reply = live.intake.handle("test", user, words.get(answer, Text(answer)))
    assert reply is not None and reply.case_reference, reply
    return reply.case_reference


def _case_version(live: LiveConsole, reference: str) -> str:
    cases = CaseRow.__table__
    with live.store.engine.connect() as conn:
        return conn.execute(
            select(cases.c.flow_version).where(cases.c.reference == reference)
        ).scalar_one()


def test_an_admin_fixes_an_error_rewords_a_question_adds_a_choice_and_publishes(
    page: Page, live_console: LiveConsole
) -> None:
    live = live_console
    old_version = live.intake.interview(FLOW).version
    source = live.intake.interview(FLOW).loaded.source
    before_text, before_options = _to_services(live, "began-before")
    assert before_text.startswith(OLD_WORDS) and "카카오뱅크" not in before_options

    create_first_admin(page, live)
    page.get_by_role("link", name="대화 흐름").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("대화 흐름")
    page.get_by_role("link", name="카카오 서비스 장애 피해 접수").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("흐름 편집")

    broken, line = _broken(source)
    editor = page.get_by_label("흐름 파일 (YAML)")
    editor.fill(broken)
    page.get_by_role("button", name="검사하고 초안 저장").click()
    problems = page.locator("#source-problems")
    expect(problems).to_contain_text(f"{line}번째 줄, 9번째 칸")
    expect(problems).to_contain_text("unknown step 'servicez' referenced")
    expect(problems.locator(".source-line")).to_contain_text("goto: servicez")
    expect(editor).to_have_attribute("aria-invalid", "true")
    expect(editor).to_have_accessible_description(re.compile("unknown step 'servicez'"))
    expect(page.get_by_role("alert")).to_be_focused()  # the error summary is read out first
    problems.get_by_role("link", name=re.compile(f"{line}번째 줄")).click()
    expect(editor).to_be_focused()
    selected = editor.evaluate("e => e.value.slice(e.selectionStart, e.selectionEnd)")
    assert selected.strip() == "goto: servicez"  # the link put the cursor on that line

    editor.fill(_edited(source))
    page.get_by_role("button", name="검사하고 초안 저장").click()
    expect(page.get_by_role("status").first).to_contain_text("문제가 없습니다")
    expect(page.locator(".flow-outline")).to_contain_text(NEW_WORDS)
    expect(page.locator(".diff .diff-added").first).to_be_visible()
    page.get_by_role("button", name="시험 대화 실행").click()
    expect(page.locator("#script-results")).to_contain_text("통과")
    expect(page.locator("#script-results .failed")).to_have_count(0)
    page.get_by_label("메모 (이유)").first.fill("질문을 더 쉽게, 카카오뱅크 추가")
    page.get_by_role("button", name="초안 게시").click()
    expect(page.get_by_role("status").first).to_contain_text("게시했습니다")
    new_version = live.intake.interview(FLOW).version
    assert new_version != old_version
    expect(page.locator("table")).to_contain_text("질문을 더 쉽게, 카카오뱅크 추가")

    after_text, after_options = _to_services(live, "began-after")
    assert after_text.startswith(NEW_WORDS) and "카카오뱅크" in after_options
    earlier = live.intake.prompt("test", "began-before")
    assert earlier is not None and earlier.text.startswith(OLD_WORDS)
    reference = _finish(live, "began-before")
    assert _case_version(live, reference) == old_version
    assert _case_version(live, _finish(live, "began-after")) == new_version


def walk_flows_pages(page: Page, live: LiveConsole) -> Iterator[str]:
    """Every flows page an admin (already signed in) sees, and its states, yielding at each:
    part of the console-wide accessibility sweep (tests/web/test_console_accessibility.py)."""
    base = live.base_url
    page.goto(f"{base}/flows")
    yield "flows list"
    page.goto(f"{base}/flows/{FLOW}")
    yield "flow editor"
    source = live.intake.interview(FLOW).loaded.source
    page.locator("#f-source").fill(_broken(source)[0])
    page.locator(".flow-editor form.stack button[type=submit]").click()
    expect(page.locator("#source-problems li")).to_have_count(1)
    yield "flow editor with a problem"
    page.locator("#f-source").fill(source.replace("Please check", "Look over", 1))
    with page.expect_navigation():
        page.locator(".flow-editor form.stack button[type=submit]").click()
    expect(page.locator(".diff .diff-added").first).to_be_visible()
    yield "flow editor with a draft and its diff"
    page.locator("form[action$='/publish'] button[type=submit]").click()
    expect(page.locator("#script-results .failed")).not_to_have_count(0)
    yield "publish blocked by a failing script"
    with page.expect_navigation():
        page.locator("form[action$='/draft/discard'] button").click()
    page.locator("#f-source").fill(_edited(source))
    with page.expect_navigation():
        page.locator(".flow-editor form.stack button[type=submit]").click()
    page.locator("form[action$='/scripts'] button[type=submit]").click()
    expect(page.locator("#script-results .passed").first).to_be_visible()
    expect(page.locator("#script-results .failed")).to_have_count(0)
    yield "scripts run and passed"
    page.locator("form[action$='/publish'] button[type=submit]").click()
    expect(page.locator("form[action$='/rollback']")).to_have_count(1)
    yield "published, with versions and an earlier one to roll back to"
    page.locator("a[href*='/diff?old=']").click()
    expect(page.locator(".diff-added").first).to_be_visible()
    yield "diff of two versions"
    page.goto(f"{base}/flows/{FLOW}")
    with page.expect_navigation():
        page.locator("form[action$='/rollback'] button[type=submit]").click()
    expect(page.locator("form[action$='/rollback']")).to_have_count(1)
    yield "rolled back"
    page.goto(f"{base}/flows")
    yield "flows list with two versions"
    page.goto(f"{base}/flows/{FLOW}/try")
    yield "dry run"
    page.locator("button[name=choose]").first.click()
    expect(page.locator(".transcript li")).to_have_count(3)
    yield "dry run after an answer"
    page.locator("input[name=text]").fill("??")
    with page.expect_navigation():
        page.locator("input[name=text]").press("Enter")
    expect(page.locator(".transcript li")).to_have_count(5)
    yield "dry run after a wrong answer"
