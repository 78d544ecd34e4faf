"""Issue 14's done-when, end to end: an admin rewords a question and adds a choice in the
browser and publishes; the next Telegram (the real python-telegram-bot Application against the
fake Bot API, its own Store as another process would have), terminal (`complaintbot chat` as a
process) and web chat interviews show it, and one begun before the publish finishes on its
old version."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.intake import IntakeService
from flows import load_flows
from storage import Store
from storage.releases import RELEASE_TTL
from tests.bot.conftest import Claimant, RunningBot, make_settings, start_bot
from tests.bot.interviews import QUESTIONS_KO, reference_in
from tests.fakes import FakeBotApi
from tests.web.conftest import DEFAULT_FLOW, LiveConsole
from tests.web.test_chat_browser import advance
from tests.web.test_console_browser import create_first_admin
from tests.web.test_flow_pages_browser import FLOW, NEW_WORDS, OLD_WORDS, _case_version, _edited

pytestmark = [pytest.mark.browser, pytest.mark.telegram]

T = TypeVar("T")


class Clock:
    """The bot process's monotonic clock, moved on by the test instead of waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class BotThread:
    """The real Telegram bot in its own thread and event loop (Playwright's sync API holds
    this thread's), with its own Store on the console's database."""

    def __init__(self, fake: FakeBotApi, database_url: str, clock: Clock) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        store = Store(database_url, clock=clock)
        self.intake = IntakeService(store, load_flows().values(), DEFAULT_FLOW)
        self.bot: RunningBot = self.run(
            start_bot(fake, self.intake, make_settings(fake, database_url))
        )

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(90)

    def close(self) -> None:
        try:
            self.run(self.bot.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.intake.store.close()


def _database_of(live: LiveConsole) -> Path:
    """The console's SQLite file, which the bot and the terminal open as other processes do."""
    name = live.store.engine.url.database
    assert name, live.store.engine.url
    return Path(name)


@pytest.fixture
def telegram(live_console: LiveConsole) -> Iterator[tuple[BotThread, Clock]]:
    clock = Clock()
    with FakeBotApi() as fake:
        running = BotThread(fake, f"sqlite:///{_database_of(live_console)}", clock)
        try:
            yield running, clock
        finally:
            running.close()


async def _to_services_on_telegram(me: Claimant) -> None:
    await me.send("/start")
    await me.press("한국어")
    await me.press("동의합니다")


async def _finish_on_telegram(me: Claimant, service: str) -> str:
    await me.press(service)
    await me.press("완료")
    await me.press("무료로 이용했습니다")
    await me.press("개인 이용자")
    await me.press("시간 손실·정신적 고통")
    await me.press("완료")
    await me.send("10월 15일 오후 4시")
    await me.send("카카오 서비스가 안 되어 약속을 놓쳤습니다.")
    await me.press("건너뛰기")
    await me.press("건너뛰기")
    assert QUESTIONS_KO["confirm"] in me.last.content
    await me.press("제출")
    return reference_in(me.last.content)


def _publish_in_the_browser(page: Page, live: LiveConsole) -> None:
    create_first_admin(page, live)
    page.goto(f"{live.base_url}/flows/{FLOW}")
    editor = page.get_by_label("흐름 파일 (YAML)")
    editor.fill(_edited(live.intake.interview(FLOW).loaded.source))
    page.get_by_role("button", name="검사하고 초안 저장").click()
    expect(page.get_by_role("status").first).to_contain_text("문제가 없습니다")
    page.get_by_label("메모 (이유)").first.fill("질문을 더 쉽게, 카카오뱅크 추가")
    page.get_by_role("button", name="초안 게시").click()
    expect(page.get_by_role("status").first).to_contain_text("게시했습니다")


def _terminal(database: Path, user: str, lines: list[str]) -> str:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", user],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
        cwd=database.parent,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _web_chat_to_services(page: Page, live: LiveConsole) -> str:
    page.goto(f"{live.base_url}/chat")
    advance(page, page.locator("#start"))
    advance(page, page.locator("button.option").first)  # 한국어
    advance(page, page.locator("button.option").first)  # 동의합니다
    return page.locator("#question").inner_text()


def _web_chat_finish(page: Page, service: str) -> str:
    choice = page.locator("button.option", has_text=service)
    choice.click()
    expect(choice).to_have_attribute("aria-pressed", "true")
    advance(page, page.locator("button.done"))
    advance(page, page.locator("button.option").nth(1))  # 무료
    advance(page, page.locator("button.option").first)  # 개인 이용자
    page.locator("button.option").nth(4).click()  # 시간 손실·정신적 고통
    advance(page, page.locator("button.done"))
    page.locator("#answer").fill("2022-10-16 14:00")
    advance(page, page.locator("form.stack button[value=text]"))
    page.locator("#answer").fill("앱이 열리지 않았습니다.")
    advance(page, page.locator("form.stack button[value=text]"))
    advance(page, page.locator(".chat-nav button[value=skip]"))
    advance(page, page.locator(".chat-nav button[value=skip]"))
    advance(page, page.locator("button[value=submit]"))
    found = re.search(r"[A-Z]{3}-\d{6}-\d{6}", page.locator("#question").inner_text())
    assert found, page.locator("#question").inner_text()
    return found.group(0)


AFTER_SERVICES_TERMINAL = ["2", "1", "5", "10월 15일 오후 4시", "앱이 열리지 않았습니다."]
AFTER_SERVICES_TERMINAL += ["건너뛰기", "건너뛰기", "제출"]


def test_a_browser_publish_reaches_telegram_terminal_and_web_but_not_interviews_under_way(
    page: Page,
    chromium: Browser,
    live_console: LiveConsole,
    telegram: tuple[BotThread, Clock],
) -> None:
    live = live_console
    bot, clock = telegram
    database = _database_of(live)
    old_version = live.intake.interview(FLOW).version
    fake = bot.bot.fake
    # Under way in every channel before the publish, each at the services question.
    before = Claimant(fake, 1001)
    bot.run(_to_services_on_telegram(before))
    assert OLD_WORDS in before.last.content
    assert not any("카카오뱅크" in b for b in before.last.button_texts())
    shown = _terminal(database, "tina", ["1", "1", "quit"])
    assert OLD_WORDS in shown and "카카오뱅크" not in shown
    claimant_context = chromium.new_context(locale="ko-KR")
    web_before = claimant_context.new_page()
    assert _web_chat_to_services(web_before, live).startswith(OLD_WORDS)

    _publish_in_the_browser(page, live)
    new_version = live.intake.interview(FLOW).version
    assert new_version != old_version
    clock.now += RELEASE_TTL + 0.1  # the bot process reads the release pointers again

    # The next interview in each channel shows the new wording and takes the new choice.
    after = Claimant(fake, 1002)
    bot.run(_to_services_on_telegram(after))
    assert NEW_WORDS in after.last.content
    assert any("카카오뱅크" in b for b in after.last.button_texts())
    telegram_new = bot.run(_finish_on_telegram(after, "카카오뱅크"))
    shown = _terminal(database, "terry", ["1", "1", "quit"])
    assert NEW_WORDS in shown
    number = re.search(r"(\d+)\. 카카오뱅크", shown)
    assert number, shown
    terminal_new = reference_in(
        _terminal(database, "terry", [number.group(1), *AFTER_SERVICES_TERMINAL])
    )
    assert _web_chat_to_services(page, live).startswith(NEW_WORDS)
    web_new = _web_chat_finish(page, "카카오뱅크")

    # The ones under way finish on the version they began with.
    telegram_old = bot.run(_finish_on_telegram(before, "카카오톡"))
    resumed = _terminal(database, "tina", ["1", *AFTER_SERVICES_TERMINAL])
    assert OLD_WORDS in resumed and "카카오뱅크" not in resumed
    terminal_old = reference_in(resumed)
    web_before.reload()
    expect(web_before.locator("#question")).to_contain_text(OLD_WORDS)
    web_old = _web_chat_finish(web_before, "카카오톡")
    claimant_context.close()

    for reference in (telegram_new, terminal_new, web_new):
        assert _case_version(live, reference) == new_version, reference
        case = live.store.case(reference)
        assert case is not None and "kakao_bank" in str(case.answers), reference
    for reference in (telegram_old, terminal_old, web_old):
        assert _case_version(live, reference) == old_version, reference
