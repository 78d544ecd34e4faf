"""The claimants' web chat in Chromium: keyboard only, focus, announcements, accessibility."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.web.accessibility import assert_accessible, no_horizontal_scroll
from tests.web.conftest import LiveConsole

pytestmark = pytest.mark.browser

COUNT_MOUSE = """
(() => {
  const count = (event) => {
    const seen = Number(sessionStorage.getItem("mouse") || "0");
    sessionStorage.setItem("mouse", String(seen + 1));
  };
  for (const kind of ["mousedown", "mouseup", "pointerdown", "wheel"]) {
    window.addEventListener(kind, count, true);
  }
})();
"""
"""Counts every mouse event the page sees (kept across page loads in sessionStorage)."""

KO_BY_KEYBOARD: list[tuple[str, str]] = [
    ("choose", "한국어"),
    ("choose", "동의합니다"),
    ("toggle", "카카오톡"),
    ("choose", "완료"),
    ("choose", "무료"),
    ("choose", "개인 이용자"),
    ("toggle", "시간 손실"),
    ("choose", "완료"),
    ("type", "2022-10-16 14:00"),
    ("type", "카카오톡이 안 되어 가족과 연락하지 못했습니다."),
    ("choose", "건너뛰기"),
    ("choose", "건너뛰기"),
    ("choose", "제출"),
]


def focused_text(page: Page) -> str:
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e ? (e.innerText || e.value || e.id || e.tagName) : ''; })()"
    ).strip()


def tab_until(page: Page, wanted: str, *, most: int = 60, key: str = "Tab") -> None:
    """Press ``key`` until the focused element's text starts with ``wanted`` (ticks aside)."""
    for _ in range(most):
        page.keyboard.press(key)
        if focused_text(page).lstrip("✅⬜ ").startswith(wanted):
            return
    raise AssertionError(f"never reached {wanted!r} with {key}; at {focused_text(page)!r}")


def in_options(page: Page) -> bool:
    return bool(page.evaluate("!!document.activeElement.closest('.options')"))


def keyboard_answer(page: Page, how: str, what: str) -> None:
    before = page.locator("#question").inner_text()
    if how == "type":
        page.keyboard.press("Tab")
        expect(page.locator("#answer")).to_be_focused()
        page.keyboard.type(what)
        page.keyboard.press("Enter")
    else:
        if page.evaluate("document.activeElement.id") == "question":
            page.keyboard.press("Tab")
        is_option = page.locator(".options button", has_text=what).count() > 0
        if focused_text(page).lstrip("✅⬜ ").startswith(what):
            pass
        elif is_option and in_options(page):
            tab_until(page, what, key="ArrowDown", most=12)  # arrows within the group
        else:
            tab_until(page, what)
        page.keyboard.press("Space" if how == "toggle" else "Enter")
    if how == "toggle":
        # The same question redrawn: the place is kept, on the option just ticked.
        ticked = page.locator(".options button[aria-pressed=true]", has_text=what)
        expect(ticked).to_be_focused()
        return
    expect(page.locator("#question")).not_to_have_text(before, timeout=10_000)
    expect(page.locator("#question")).to_be_focused()


def test_a_whole_interview_by_keyboard_alone_to_a_case_number(
    page: Page, live_console: LiveConsole
) -> None:
    page.add_init_script(COUNT_MOUSE)
    page.goto(f"{live_console.base_url}/chat")
    tab_until(page, "접수 시작")
    page.keyboard.press("Enter")
    expect(page.locator("#question")).to_be_focused()
    sent: list[tuple[str, str]] = []
    page.on("request", lambda r: sent.append((r.method, urlparse(r.url).path)))
    for how, what in KO_BY_KEYBOARD:
        keyboard_answer(page, how, what)
    heading = page.locator("#question")
    expect(heading).to_have_text(re.compile(r"접수번호: [A-Z]{3}-\d{6}-\d{6}"))
    # chat.js: one request an answer, the next page in its answer (no redirect, no reload).
    assert sent == [("POST", "/chat/answer")] * len(KO_BY_KEYBOARD), sent
    reference = heading.inner_text().split(": ")[1]
    assert page.evaluate("sessionStorage.getItem('mouse')") is None, "a mouse event happened"
    case = live_console.store.case(reference)
    assert case is not None and case.channel == "web"


def test_focus_moves_to_each_new_question_and_the_answer_is_announced(
    page: Page, live_console: LiveConsole
) -> None:
    page.goto(f"{live_console.base_url}/chat")
    page.get_by_role("button", name="접수 시작").press("Enter")
    expect(page.locator("#question")).to_be_focused()
    # The focus order of a question: its options in order, then the way on and out.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="한국어", exact=True).last).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="English").last).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="그만하기")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#question")).to_be_focused()
    expect(page.locator("#chat-news")).to_have_text(re.compile("Understood: English"))
    expect(page.locator("#chat-news")).to_have_attribute("aria-live", "polite")
    # Arrows move within the option group, and wrap.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="I agree")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("button", name="I do not agree")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("button", name="I agree")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("button", name="I do not agree")).to_be_focused()


def test_a_ticked_option_says_so_in_words(page: Page, live_console: LiveConsole) -> None:
    page.goto(f"{live_console.base_url}/chat")
    page.get_by_role("button", name="접수 시작").click()
    page.get_by_role("button", name="English").last.click()
    page.get_by_role("button", name="I agree").click()
    page.get_by_role("button", name=re.compile("^KakaoTalk")).click()
    ticked = page.get_by_role("button", name=re.compile("^KakaoTalk"))
    expect(ticked).to_have_accessible_name(re.compile(r"KakaoTalk \(selected\)"))
    expect(ticked).to_have_attribute("aria-pressed", "true")
    expect(ticked).to_be_focused()  # the place kept: a tick is not a new question


def advance(page: Page, button: Locator) -> None:
    """Press ``button`` and wait for the next question (the page swaps in place)."""
    before = page.locator("#question").inner_text() if page.locator("#question").count() else ""
    button.click()
    expect(page.locator("#question")).not_to_have_text(before or "\u0000", timeout=10_000)


CLAIMANT_COOKIE = "cb_claimant"
RESUMED = {"ko": "이어서 진행합니다", "en": "Welcome back"}
KEEP_GOING = {"ko": "아니요", "en": "No"}
NOT_EVIDENCE = {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"only words"}
RECEIPT = {
    "name": "receipt.png",
    "mimeType": "image/png",
    "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
}


def _walk_the_chat(page: Page, live: LiveConsole, language: str) -> Iterator[str]:
    base = live.base_url
    page.goto(f"{base}/chat")
    if language == "en":
        page.locator("form.chat-language button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    yield "welcome"
    page.locator("#resume-code").fill("12")
    page.locator(".chat-resume button[type=submit]").click()
    expect(page.locator("#resume-code")).to_have_attribute("aria-invalid", "true")
    yield "welcome with a resume error"
    advance(page, page.locator("#start"))
    yield "the language question"
    advance(page, page.locator("button.option").nth(1 if language == "en" else 0))
    expect(page.locator("html")).to_have_attribute("lang", language)
    yield "consent"
    advance(page, page.locator("button.option").first)
    page.locator("button.option").first.click()
    expect(page.locator("button.option").first).to_have_attribute("aria-pressed", "true")
    yield "a multi choice with a tick"
    # Another device (or cleared cookies): the resume code shown on the page brings it back.
    code = page.locator("#code-title").inner_text().rsplit(" ", 1)[-1]
    page.context.clear_cookies(name=CLAIMANT_COOKIE)
    page.goto(f"{base}/chat")
    page.locator("#resume-code").fill(code)
    page.locator(".chat-resume button[type=submit]").click()
    expect(page.locator("p.message").first).to_contain_text(RESUMED[language])
    expect(page.locator("button.option").first).to_have_attribute("aria-pressed", "true")
    yield "resumed, saying where the claimant stands"
    advance(page, page.locator("button.done"))
    advance(page, page.locator("button.option").nth(1))
    advance(page, page.locator("button.option").first)
    page.locator("button.option").nth(4).click()
    expect(page.locator("button.option").nth(4)).to_have_attribute("aria-pressed", "true")
    advance(page, page.locator("button.done"))
    page.locator("#answer").fill("??")
    page.locator("#answer").press("Enter")
    expect(page.locator("#answer")).to_have_attribute("aria-invalid", "true")
    yield "a typed answer with an error"
    page.locator("#answer").fill("2022-10-16 14:00")
    advance(page, page.locator("form.stack button[value=text]"))
    page.locator("#answer").fill("The outage kept me from my family.")
    advance(page, page.locator("form.stack button[value=text]"))
    expect(page.locator("#file")).to_be_visible()
    yield "evidence upload"
    upload = page.locator("form[action='/chat/upload'] button[type=submit]")
    page.locator("#file").set_input_files(NOT_EVIDENCE)
    upload.click()
    expect(page.locator("#file")).to_have_attribute("aria-invalid", "true")
    yield "evidence upload with an error"
    page.locator("#file").set_input_files(RECEIPT)
    upload.click()
    expect(page.locator("form[action='/chat/answer'] button.done")).to_be_visible()
    expect(page.locator("#file")).not_to_have_attribute("aria-invalid", "true")
    yield "evidence attached"
    advance(page, page.locator("form[action='/chat/answer'] button.done"))
    advance(page, page.locator(".chat-nav button[value=skip]"))
    expect(page.locator("dl.summary")).to_be_visible()
    yield "summary"
    advance(page, page.locator(".chat-nav button[value=cancel]"))
    yield "asked to confirm cancelling"
    advance(page, page.locator("button.option", has_text=KEEP_GOING[language]))
    expect(page.locator("dl.summary")).to_be_visible()
    advance(page, page.locator("button[value=submit]"))
    expect(page.locator("#question")).to_have_text(re.compile(r"[A-Z]{3}-\d{6}-\d{6}"))
    yield "the end with the case number"
    page.goto(f"{base}/chat/cases")
    expect(page.locator("table.cases")).to_be_visible()
    yield "my cases"
    page.goto(f"{base}/chat/mydata")
    expect(page.locator("section.mydata").first).to_be_visible()
    yield "my data"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_chat_page_meets_wcag_21_aa(
    page: Page, live_console: LiveConsole, language: str
) -> None:
    seen = []
    for where in _walk_the_chat(page, live_console, language):
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page, f"{where} ({language})")
        headings = page.evaluate(
            "[...document.querySelectorAll('h1,h2,h3,h4')].map(h => +h.tagName[1])"
        )
        assert headings[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(headings)), (
            where,
            headings,
        )
        seen.append(where)
    assert len(seen) == 15  # the walk's pages, "my data" among them


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("mode", ["text_size", "contrast"])
def test_chat_pages_in_large_text_and_high_contrast_meet_wcag_21_aa(
    page: Page, live_console: LiveConsole, mode: str, language: str
) -> None:
    page.goto(f"{live_console.base_url}/chat")
    page.locator(f"button[name={mode}]").click()
    classes = {"text_size": "large-text", "contrast": "high-contrast"}
    expect(page.locator("html")).to_have_class(re.compile(classes[mode]))
    for where in _walk_the_chat(page, live_console, language):
        expect(page.locator("html")).to_have_class(re.compile(classes[mode]))
        assert_accessible(page, f"{where} ({mode}, {language})")


def test_the_chat_reflows_at_320_px_and_200_percent_zoom(
    chromium: Browser, live_console: LiveConsole
) -> None:
    for width, scale in ((320, 1), (640, 2)):
        # 200 % zoom of a 640 px window lays out like 320 CSS px: the same reflow test.
        context = chromium.new_context(
            viewport={"width": width // scale, "height": 640},
            device_scale_factor=scale,
            locale="ko-KR",
        )
        page = context.new_page()
        try:
            for where in _walk_the_chat(page, live_console, "ko"):
                assert no_horizontal_scroll(page), f"{where} scrolls sideways at {width}px"
        finally:
            context.close()


def test_the_chat_reflows_at_320_px_in_large_text(
    chromium: Browser, live_console: LiveConsole
) -> None:
    context = chromium.new_context(viewport={"width": 320, "height": 640}, locale="ko-KR")
    page = context.new_page()
    try:
        page.goto(f"{live_console.base_url}/chat")
        page.locator("button[name=text_size]").click()
        expect(page.locator("html")).to_have_class(re.compile("large-text"))
        for where in _walk_the_chat(page, live_console, "ko"):
            assert no_horizontal_scroll(page), f"{where} scrolls sideways in large text"
            assert_accessible(page, f"{where} (large text, 320 px)")
    finally:
        context.close()
