"""Fixtures for the web console: the real app over a real Store, in-process or on a port."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Browser, Page, sync_playwright
from starlette.applications import Starlette

from bot.intake import IntakeService
from bot.settings import Settings
from bot.web import create_app
from bot.web.server import QuietServer, announce_first_admin, uvicorn_config
from flows import Skip, Submit, Text, UserInput, load_flows
from storage import Store, upgrade
from storage.account_store import AccountStore, SignInLimits

if TYPE_CHECKING:
    from starlette.testclient import TestClient

DEFAULT_FLOW = "kakao-outage-2022"
PASSWORD = "a long enough password"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r"(https?://\S+/account/setup/\S+)")

EN_CASE = [
    "2",  # English
    "1",  # agree
    "1",  # KakaoTalk
    "1",  # paid
    "1",  # individual
    "5",  # time and distress
    "15 Oct 2022 6pm",
    "I could not reach my family during the outage.",
    "skip",
    "skip",
    "submit",
]


def fast_hasher() -> PasswordHasher:
    """Argon2 with small costs: the same code path, without 64 MiB per test sign-in."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def web_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"database_url": database_url, "web_port": 8000}
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


def file_english_case(intake: IntakeService, user: str) -> str:
    """One case filed through the intake, as a terminal claimant would type it."""
    intake.begin("test", user)
    reply = None
    words: dict[str, UserInput] = {"skip": Skip(), "submit": Submit()}
    for answer in EN_CASE:
        reply = intake.handle("test", user, words.get(answer, Text(answer)))
    assert reply is not None and reply.case_reference, reply
    return reply.case_reference


@dataclass
class Console:
    """The app, its intake and accounts, and the first-admin link it printed."""

    app: Starlette
    intake: IntakeService
    accounts: AccountStore
    first_admin_link: str | None

    @property
    def store(self) -> Store:
        return self.intake.store


def make_console(
    database_url: str, base_url: str = "http://testserver", **settings: Any
) -> Console:
    upgrade(database_url)
    store = Store(database_url)
    intake = IntakeService(store, load_flows().values(), DEFAULT_FLOW)
    config = web_settings(database_url, **settings)
    accounts = AccountStore(
        store.engine,
        hasher=fast_hasher(),
        limits=SignInLimits(per_account=5, per_address=20, window=dt.timedelta(minutes=15)),
    )
    app = create_app(config, intake, accounts=accounts)
    out = io.StringIO()
    announce_first_admin(accounts, base_url, out)
    found = LINK.search(out.getvalue())
    return Console(app, intake, accounts, found.group(1) if found else None)


@pytest.fixture
def console(database_url: str) -> Iterator[Console]:
    made = make_console(database_url)
    try:
        yield made
    finally:
        made.store.close()


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def client_for(console: Console) -> TestClient:
    from starlette.testclient import TestClient  # on use: outside pytest it warns

    return TestClient(console.app, base_url="http://testserver", follow_redirects=False)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    page = client.get("/sign-in")
    return client.post(
        "/sign-in",
        data={"name": name, "password": password, "csrf_token": csrf_of(page.text)},
    )


def post_form(client: TestClient, page_path: str, action: str, data: dict[str, str]) -> Any:
    """Submit a form the way a browser does: the CSRF token taken from the page first."""
    token = csrf_of(client.get(page_path).text)
    return client.post(action, data=data | {"csrf_token": token})


# -- a real server on a free port, for the browser -----------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveConsole(Console):
    base_url: str = ""


@contextmanager
def running_console(folder: Path) -> Iterator[LiveConsole]:
    """The console served by uvicorn on 127.0.0.1 (its own thread and loop), on SQLite."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    made = make_console(
        f"sqlite:///{folder / 'web.db'}",
        base,
        web_port=port,
        web_upload_dir=str(folder / "uploads"),
        export_dir=str(folder / "exports"),  # not the checkout's ./exports
        web_chat_requests_per_minute=10_000,  # one browser runs many whole interviews here
    )
    server = QuietServer(uvicorn_config(made.app, "127.0.0.1", port))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    ticking = threading.Event()
    while not server.started and thread.is_alive():
        ticking.wait(0.02)  # until uvicorn says it listens
    assert server.started, "the web server did not start"
    try:
        yield LiveConsole(
            made.app, made.intake, made.accounts, made.first_admin_link, base_url=base
        )
    finally:
        server.should_exit = True
        thread.join(10)
        made.store.close()


@pytest.fixture
def live_console(tmp_path: Path) -> Iterator[LiveConsole]:
    with running_console(tmp_path) as live:
        yield live


# -- Debian's Chromium through Playwright ---------------------------------------------------

CHROMIUM = os.environ.get("COMPLAINTBOT_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("COMPLAINTBOT_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One headless Chromium per test module (never a Playwright-downloaded browser).

    Per module, not per session: while Playwright's sync API is open it holds an event loop
    in this thread, and async tests of later modules could not run their own."""
    if not Path(CHROMIUM).exists():
        problem = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(f"COMPLAINTBOT_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    try:
        yield opened
    finally:
        context.close()
