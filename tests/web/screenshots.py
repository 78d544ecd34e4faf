"""Screenshots of the console pages for docs/ (`./dev screenshots`), taken in Chromium."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.web.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    LiveConsole,
    file_english_case,
    running_console,
)


def _first_admin(page: Page, live: LiveConsole) -> None:
    assert live.first_admin_link
    page.goto(live.first_admin_link)
    page.locator("#f-name").fill("alice")
    page.locator("#f-password").fill(PASSWORD)
    page.locator("#f-repeat").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_selector(".message")


def take(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch, running_console(Path(scratch)) as live:
        for n in range(3):
            file_english_case(live.intake, f"claimant-{n}")
        live.accounts.add("olivia", "operator", PASSWORD, actor="cli:docs")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            wide = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
            page = wide.new_page()

            def shot(name: str, target: Page = page) -> None:
                path = folder / f"{name}.png"
                target.screenshot(path=str(path), full_page=True)
                shots.append(path)

            page.goto(f"{live.base_url}/sign-in")
            shot("sign-in")
            _first_admin(page, live)
            shot("home")
            page.goto(f"{live.base_url}/users")
            shot("accounts")
            page.goto(f"{live.base_url}/audit")
            shot("audit-log")
            page.locator("button[name=language]").click()
            page.goto(f"{live.base_url}/")
            shot("home-en")
            page.locator("button[name=text_size]").click()
            page.locator("button[name=contrast]").click()
            shot("home-en-large-text-high-contrast")
            narrow = browser.new_context(viewport={"width": 320, "height": 640}, locale="ko-KR")
            phone = narrow.new_page()
            phone.goto(f"{live.base_url}/sign-in")
            shot("sign-in-320px", phone)
            browser.close()
    return shots


if __name__ == "__main__":
    for taken in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(taken)
