"""The console's home page: cases counted per flow, the flows and their versions, activity."""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.web.context import Console, account_of, console_of
from bot.web.home_figures import flow_figures
from bot.web.pages import DISPLAY_ZONE, render
from bot.web.preferences import language_of
from storage.accounts import Account
from storage.audit import AuditEvent, events_before

RECENT = 8


def _today_starts() -> dt.datetime:
    local = dt.datetime.now(DISPLAY_ZONE)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _activity(console: Console) -> tuple[list[AuditEvent], list[Account]]:
    with console.intake.store.engine.connect() as conn:
        events = events_before(conn, None, RECENT)
    return events, console.accounts.listing()


async def home(request: Request) -> Response:
    console = console_of(request)
    account = account_of(request)
    figures = await run_in_threadpool(
        flow_figures, console.intake, language_of(request), _today_starts()
    )
    events: list[AuditEvent] = []
    staff: list[Account] = []
    if account is not None and account.is_admin:
        events, staff = await run_in_threadpool(_activity, console)
    return render(
        request,
        "home.html",
        title="home_title",
        figures=figures,
        events=events,
        admins=sum(1 for a in staff if a.active and a.is_admin),
        operators=sum(1 for a in staff if a.active and not a.is_admin),
    )
