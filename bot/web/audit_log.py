"""The audit log page (admins): every audited action, newest first, keyset-paginated."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.web.context import console_of
from bot.web.pages import render
from bot.web.roles import admin_only
from storage.audit import AuditEvent, events_before

PAGE = 50


def _page(request: Request, before: int | None) -> list[AuditEvent]:
    with console_of(request).intake.store.engine.connect() as conn:
        return events_before(conn, before, PAGE + 1)


@admin_only
async def audit_log(request: Request) -> Response:
    raw = request.query_params.get("before", "")
    before = int(raw) if raw.isdigit() else None
    events = await run_in_threadpool(_page, request, before)
    older = events[PAGE - 1].id if len(events) > PAGE else None
    return render(
        request,
        "audit.html",
        title="audit_title",
        events=events[:PAGE],
        older=older,
        paged=before is not None,
    )
