"""The access log page (admins only): who saw which personal fields of which case, when and
why, newest first; the console's view of `complaintbot privacy access-log`."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.web.context import console_of
from bot.web.pages import render
from bot.web.roles import admin_only
from storage.access_log import AccessEntry, newest_entries

SHOWN = 200
"""The newest entries shown; the whole log (two years and more) is the CLI's to list."""


def _entries(request: Request, actor: str | None) -> list[AccessEntry]:
    with console_of(request).intake.store.engine.connect() as conn:
        return newest_entries(conn, SHOWN, actor=actor)


@admin_only
async def access_log_page(request: Request) -> Response:
    actor = request.query_params.get("actor", "").strip() or None
    entries = await run_in_threadpool(_entries, request, actor)
    return render(request, "access_log.html", title="access_title", entries=entries,
                  actor=actor or "", shown=SHOWN)  # fmt: skip
