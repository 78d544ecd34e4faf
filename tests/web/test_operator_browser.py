"""An operator's day in a real browser (Debian's Chromium via Playwright): find a case through
the filters and the search, open it, review it, read the report, export and download."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from storage.audit import events_before
from tests.web.conftest import PASSWORD, LiveConsole, file_english_case
from tests.web.test_console_browser import sign_in

pytestmark = pytest.mark.browser

BOM = b"\xef\xbb\xbf"


def test_an_operator_finds_reviews_reports_and_downloads_an_export(
    page: Page, live_console: LiveConsole, tmp_path: Path
) -> None:
    live = live_console
    others = [file_english_case(live.intake, f"claimant-{n}") for n in range(3)]
    wanted = file_english_case(live.intake, "claimant-wanted")
    live.accounts.add("olivia", "operator", PASSWORD, actor="test")
    sign_in(page, live, "olivia")
    expect(page.get_by_role("heading", level=1)).to_have_text("콘솔")

    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="사건").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(4)
    page.locator("#f-service").select_option("kakaotalk")
    page.locator("#f-status").select_option("received")
    page.locator("#f-q").fill(wanted)
    page.get_by_role("button", name="거르기").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(wanted)
    for other in others:
        expect(page.locator("table")).not_to_contain_text(other)

    page.get_by_role("link", name=wanted).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("사건 보기")
    expect(page.locator("main")).to_contain_text(wanted)
    page.get_by_role("button", name="잠그기").click()
    expect(page.get_by_role("button", name="잠금 풀기")).to_be_visible()
    page.locator("form[action$='/mark'] #f-status").select_option("reviewed")
    page.locator("form[action$='/mark'] #f-reason").fill("영수증과 금액이 맞습니다")
    page.get_by_role("button", name="상태 바꾸기").click()
    history = page.locator("table[aria-labelledby=history]")
    expect(history).to_contain_text("검토 완료")
    expect(history).to_contain_text("영수증과 금액이 맞습니다")
    case = live.store.case(wanted)
    assert case is not None and case.status == "reviewed"
    with live.store.engine.connect() as conn:
        events = events_before(conn, None, 50)
    mine = {e.action for e in events if wanted in (e.subject or "") and "olivia" in (e.actor or "")}
    assert len(mine) >= 2, mine  # the detail view and the review, each audited as hers

    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="보고서").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("운영자 보고서")
    expect(page.locator("main")).to_contain_text("4")

    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="내보내기").click()
    page.locator("#f-format").select_option("csv")
    page.locator("#f-status").select_option("reviewed")
    page.get_by_role("button", name="내보내기 시작").click()
    download_link = page.locator("#download")
    expect(download_link).to_be_visible(timeout=30_000)  # the page refreshes itself till done
    with page.expect_download() as waiting:
        download_link.click()
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(BOM), content[:20]
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(table) == 2, table  # the header and the one reviewed case
    assert wanted in table[1]
    assert not any(other in content.decode("utf-8-sig") for other in others)
