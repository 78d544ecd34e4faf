"""The console in a real browser (Debian's Chromium via Playwright): people's paths through it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from storage.audit import events_before
from tests.web.accessibility import assert_accessible
from tests.web.conftest import PASSWORD, LiveConsole

pytestmark = pytest.mark.browser


def create_first_admin(page: Page, live: LiveConsole, name: str = "alice") -> None:
    assert live.first_admin_link
    page.goto(live.first_admin_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("첫 관리자 만들기")
    page.get_by_label("계정 이름").fill(name)
    page.get_by_label("새 비밀번호").fill(PASSWORD)
    page.get_by_label("비밀번호 확인").fill(PASSWORD)
    page.get_by_role("button", name="관리자 만들기").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("콘솔")


def sign_in(page: Page, live: LiveConsole, name: str, password: str = PASSWORD) -> None:
    page.goto(f"{live.base_url}/sign-in")
    page.get_by_label("계정 이름").fill(name)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()


def test_the_first_admin_is_created_through_the_printed_link(
    page: Page, live_console: LiveConsole
) -> None:
    create_first_admin(page, live_console)
    expect(page.get_by_role("status")).to_contain_text("첫 관리자 alice 계정을 만들었습니다")
    expect(page.get_by_text("alice(관리자)로 로그인함")).to_be_visible()
    assert_accessible(page, "home after the first admin")
    page.goto(live_console.first_admin_link or "")
    expect(page.get_by_role("heading", level=1)).to_have_text("쓸 수 없는 링크")


def test_signing_in_and_out(page: Page, live_console: LiveConsole) -> None:
    live_console.accounts.add("alice", "admin", PASSWORD, actor="test")
    page.goto(f"{live_console.base_url}/audit")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/audit$"))
    page.get_by_label("계정 이름").fill("alice")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("감사 기록")
    page.get_by_role("button", name="로그아웃").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("로그인")
    expect(page.get_by_role("status")).to_have_text("로그아웃했습니다.")
    page.goto(f"{live_console.base_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("로그인")


def test_a_wrong_password_is_announced_and_tied_to_its_field(
    page: Page, live_console: LiveConsole
) -> None:
    live_console.accounts.add("alice", "admin", PASSWORD, actor="test")
    sign_in(page, live_console, "alice", "not the password")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("계정 이름 또는 비밀번호가 맞지 않습니다.")
    expect(summary).to_be_focused()
    password = page.get_by_label("비밀번호")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(
        re.compile("계정 이름 또는 비밀번호가 맞지 않습니다")
    )
    assert_accessible(page, "sign-in with an error")


def test_operators_are_kept_off_admin_pages(page: Page, live_console: LiveConsole) -> None:
    live_console.accounts.add("alice", "admin", PASSWORD, actor="test")
    live_console.accounts.add("olivia", "operator", PASSWORD, actor="test")
    sign_in(page, live_console, "olivia")
    expect(page.get_by_role("heading", level=1)).to_have_text("콘솔")
    nav = page.get_by_role("navigation", name="주 메뉴")
    expect(nav.get_by_role("link")).to_have_text(
        ["홈", "사건", "내보내기", "보고서", "비밀번호 변경"]
    )
    for path in ("/users", "/audit"):
        response = page.goto(f"{live_console.base_url}{path}")
        assert response is not None and response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text("권한이 없습니다")
        assert_accessible(page, f"403 at {path}")


def test_a_tampered_csrf_token_is_refused(page: Page, live_console: LiveConsole) -> None:
    live_console.accounts.add("alice", "admin", PASSWORD, actor="test")
    page.goto(f"{live_console.base_url}/sign-in")
    page.locator("form.stack input[name=csrf_token]").evaluate("field => field.value = 'forged'")
    page.get_by_label("계정 이름").fill("alice")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("요청을 처리하지 못했습니다")
    assert_accessible(page, "CSRF refusal")
    page.goto(f"{live_console.base_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("로그인")


def test_repeated_failures_lock_the_sign_in(page: Page, live_console: LiveConsole) -> None:
    live_console.accounts.add("alice", "admin", PASSWORD, actor="test")
    for n in range(5):
        sign_in(page, live_console, "alice", f"wrong password {n}")
        expect(page.get_by_role("alert")).to_contain_text("맞지 않습니다")
    sign_in(page, live_console, "alice")
    expect(page.get_by_role("alert")).to_contain_text("로그인 실패가 너무 많습니다")
    expect(page.get_by_role("heading", level=1)).to_have_text("로그인")


def test_the_audit_page_shows_what_the_admin_did(page: Page, live_console: LiveConsole) -> None:
    create_first_admin(page, live_console)
    page.get_by_role("link", name="계정", exact=True).click()
    page.get_by_label("계정 이름").fill("olivia")
    page.get_by_label("운영자").check()
    page.get_by_role("button", name="추가하고 링크 만들기").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("한 번 쓰는 링크")
    assert_accessible(page, "one-time link page")
    page.get_by_role("link", name="계정 목록으로").click()
    page.get_by_role("button", name="olivia 계정 사용 중지").click()
    expect(page.get_by_role("status")).to_have_text("olivia 계정을 사용 중지했습니다.")
    page.get_by_role("link", name="감사 기록").click()
    rows = page.get_by_role("row")
    for action in ("first_admin", "sign_in", "account_add", "link_issue", "account_disable"):
        expect(rows.filter(has_text=action).first).to_be_visible()
    with live_console.store.engine.connect() as conn:
        newest = events_before(conn, None, 1)[0]
    expect(rows.nth(1)).to_contain_text(newest.action)
    assert_accessible(page, "audit log")


def test_the_sign_in_form_works_with_the_keyboard_alone(
    page: Page, live_console: LiveConsole
) -> None:
    live_console.accounts.add("alice", "admin", PASSWORD, actor="test")
    page.goto(f"{live_console.base_url}/sign-in")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="본문으로 건너뛰기")
    expect(skip).to_be_focused()
    assert _outline(page) != "none"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("계정 이름")).to_be_focused()
    assert _outline(page) != "none"
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    expect(page.get_by_label("비밀번호")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="로그인")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("콘솔")


def _outline(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.activeElement).outlineStyle")


def test_large_text_and_high_contrast_are_switched_and_remembered(
    page: Page, live_console: LiveConsole
) -> None:
    page.goto(f"{live_console.base_url}/sign-in")
    normal = _body_font_size(page)
    large = page.get_by_role("button", name="큰 글씨")
    expect(large).to_have_attribute("aria-pressed", "false")
    large.click()
    expect(page.locator("html")).to_have_class("large-text")
    assert _body_font_size(page) >= normal * 1.3
    expect(page.get_by_role("button", name="큰 글씨")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="고대비").click()
    expect(page.locator("html")).to_have_class("large-text high-contrast")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    assert_accessible(page, "sign-in, large text and high contrast")
    page.goto(f"{live_console.base_url}/no-such-page")
    expect(page.locator("html")).to_have_class("large-text high-contrast")
    page.get_by_role("button", name="고대비").click()
    expect(page.locator("html")).to_have_class("large-text")


def _body_font_size(page: Page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))


def test_the_language_switch_is_remembered(page: Page, live_console: LiveConsole) -> None:
    page.goto(f"{live_console.base_url}/sign-in")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.goto(f"{live_console.base_url}/sign-in")
    expect(page.get_by_role("button", name="한국어")).to_have_attribute("lang", "ko")
