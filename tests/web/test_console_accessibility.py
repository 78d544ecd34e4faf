"""WCAG 2.1 AA on every console page (the admins' flows pages included), in Korean and
English, by axe-core in Chromium; the display modes; reflow at 320 px and at 200 % zoom."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.accessibility import assert_accessible, no_horizontal_scroll, violations
from tests.web.conftest import PASSWORD, LiveConsole, file_english_case
from tests.web.test_flow_pages_browser import walk_flows_pages

pytestmark = pytest.mark.browser


def _visit_every_page(page: Page, live: LiveConsole, language: str) -> Iterator[str]:
    """Walks the console as an admin would, yielding at each page (and its error states)."""
    base = live.base_url
    page.goto(f"{base}/sign-in")
    if language == "en":
        page.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    yield "sign-in"
    page.locator("form.stack button[type=submit]").click()
    yield "sign-in with errors"
    assert live.first_admin_link
    page.goto(live.first_admin_link)
    yield "first admin"
    page.locator("#f-name").fill("alice")
    page.locator("#f-password").fill(PASSWORD)
    page.locator("#f-repeat").fill("something else entirely")
    page.locator("form.stack button[type=submit]").click()
    yield "first admin with errors"
    page.locator("#f-password").fill(PASSWORD)
    page.locator("#f-repeat").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    expect(page.locator(".message")).to_be_visible()
    yield "home"
    page.goto(f"{base}/users")
    yield "accounts"
    page.locator("#f-name").fill("olivia")
    page.locator("form.stack button[type=submit]").click()
    yield "one-time link"
    link = page.locator("#one-time-link").input_value()
    live.accounts.add("dora", "operator", actor="test")
    live.accounts.disable("dora", actor="test")
    page.goto(f"{base}/users")
    yield "accounts with a disabled one"
    page.goto(f"{base}/audit")
    yield "audit log"
    yield from walk_flows_pages(page, live)
    page.goto(f"{base}/cases")
    yield "cases"
    page.goto(f"{base}/cases?service=melon&since=not-a-day")
    yield "cases filtered, none found, with an error"
    page.goto(f"{base}/cases")
    page.locator("table a[href^='/cases/']").first.click()
    yield "a case"
    page.locator("form[action$='/mark'] button[type=submit]").click()
    yield "a case with an error"
    page.goto(f"{base}/audit/access")
    yield "access log"
    page.goto(f"{base}/report")
    yield "report"
    page.goto(f"{base}/report?public=1")
    yield "public report"
    page.goto(f"{base}/exports")
    page.locator("#f-personal").check()
    page.locator("form[action='/exports'] button[type=submit]").click()
    yield "exports with an error"
    page.goto(f"{base}/no-such-page")
    yield "not found"
    page.goto(f"{base}/account/password")
    yield "change password"
    page.locator("#f-current").fill("not my password")
    page.locator("#f-password").fill("a new long password")
    page.locator("#f-repeat").fill("a new long password")
    page.locator("form.stack button[type=submit]").click()
    yield "change password with errors"
    page.goto(f"{base}/sign-in")
    page.locator(".who button").click()
    page.goto(link)
    yield "choose a password"
    page.locator("#f-password").fill(PASSWORD)
    page.locator("#f-repeat").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    expect(page.locator(".message")).to_be_visible()
    yield "home as an operator"
    page.goto(f"{base}/users")
    yield "forbidden"
    page.goto(link)
    yield "used link"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_page_has_no_wcag_21_aa_violations(
    page: Page, live_console: LiveConsole, language: str
) -> None:
    file_english_case(live_console.intake, "claimant-1")
    seen = []
    for where in _visit_every_page(page, live_console, language):
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page, f"{where} [{language}]")
        headings = page.evaluate(
            "[...document.querySelectorAll('h1,h2,h3,h4')].map(h => +h.tagName[1])"
        )
        assert headings[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(headings)), (
            where,
            headings,
        )
        seen.append(where)
    assert len(seen) == 24 + 13  # the console's pages (the access log too) and the flows pages


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("mode", ["text_size=large", "contrast=high"])
def test_the_display_modes_keep_every_page_accessible(
    page: Page, live_console: LiveConsole, mode: str, language: str
) -> None:
    file_english_case(live_console.intake, "claimant-1")
    name, _ = mode.split("=")
    page.goto(f"{live_console.base_url}/sign-in")
    page.locator(f"button[name={name}]").click()
    expect(page.locator(f"button[name={name}]")).to_have_attribute("aria-pressed", "true")
    for where in _visit_every_page(page, live_console, language):
        expect(page.locator(f"button[name={name}]")).to_have_attribute("aria-pressed", "true")
        assert_accessible(page, f"{where} [{mode}, {language}]")


@pytest.mark.parametrize(("width", "why"), [(320, "a small phone"), (640, "200 % zoom")])
def test_pages_reflow_without_horizontal_scrolling(
    chromium: Browser, live_console: LiveConsole, width: int, why: str
) -> None:
    file_english_case(live_console.intake, "claimant-1")
    context = chromium.new_context(viewport={"width": width, "height": 800}, locale="ko-KR")
    page = context.new_page()
    try:
        for where in _visit_every_page(page, live_console, "ko"):
            assert no_horizontal_scroll(page), f"{where} scrolls sideways at {width} px ({why})"
        page.goto(f"{live_console.base_url}/sign-in")
        page.locator("button[name=text_size]").click()
        assert no_horizontal_scroll(page), f"large text scrolls sideways at {width} px"
    finally:
        context.close()


def test_axe_would_notice_a_control_without_a_label(page: Page, live_console: LiveConsole) -> None:
    """The check above is only worth something if axe really runs under our CSP."""
    page.goto(f"{live_console.base_url}/sign-in")
    page.evaluate("document.querySelector('main').append(document.createElement('input'))")
    assert any(problem.startswith("label") for problem in violations(page))


def test_every_page_reflows_at_320_px_in_large_text(
    chromium: Browser, live_console: LiveConsole
) -> None:
    """Large text is what a small phone's older owner turns on: it must reflow as well."""
    file_english_case(live_console.intake, "claimant-1")
    context = chromium.new_context(viewport={"width": 320, "height": 800}, locale="ko-KR")
    page = context.new_page()
    try:
        page.goto(f"{live_console.base_url}/sign-in")
        page.locator("button[name=text_size]").click()
        expect(page.locator("html")).to_have_class("large-text")
        for where in _visit_every_page(page, live_console, "ko"):
            expect(page.locator("html")).to_have_class("large-text")
            assert no_horizontal_scroll(page), f"{where} scrolls sideways in large text"
            assert_accessible(page, f"{where} [large text, 320 px]")  # scroll regions too
    finally:
        context.close()
