"""Screenshots of the admins' flows pages for docs/ (taken by ``tests.web.screenshots``)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page

from tests.web.conftest import LiveConsole

FLOW = "kakao-outage-2022"


def take_flows(page: Page, live: LiveConsole, shot: Callable[[str], None]) -> None:
    """The list, the editor with a problem at its line, a draft's diff, a dry run."""
    base = live.base_url
    source = live.intake.interview(FLOW).loaded.source
    page.goto(f"{base}/flows")
    shot("flows")
    page.goto(f"{base}/flows/{FLOW}")
    page.locator("#f-source").fill(source.replace("goto: services", "goto: servicez", 1))
    page.locator(".flow-editor form.stack button[type=submit]").click()
    page.wait_for_selector("#source-problems li")
    shot("flow-editor-problem")
    reworded = source.replace(
        "피해를 입으신 카카오 서비스를 모두 골라 주세요.",
        "장애로 불편을 겪으신 카카오 서비스를 모두 골라 주세요.",
        1,
    )
    page.locator("#f-source").fill(reworded)
    page.locator(".flow-editor form.stack button[type=submit]").click()
    page.locator("form[action$='/scripts'] button").click()
    page.wait_for_selector("#script-results li")
    shot("flow-editor-draft")
    page.locator("form[action$='/draft/discard'] button").click()
    page.goto(f"{base}/flows/{FLOW}/try")
    page.locator("button[name=choose]").first.click()
    page.locator("button[name=choose]").first.click()
    shot("flow-dry-run")
