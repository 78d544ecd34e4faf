"""The admins' flows pages: the list of flows, and one flow's editor (its YAML checked by the
loader on save, each problem at its line), its outline, its versions and the draft's diff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.context import account_of, console_of
from bot.web.flow_desk import Editing, diff_lines, editing, normalized
from bot.web.flow_outline import outline
from bot.web.home_figures import Text, localized
from bot.web.pages import flash, render
from bot.web.preferences import language_of
from bot.web.roles import admin_only
from flows import UnknownFlow
from storage.account_store import actor_of
from storage.flow_drafts import FlowDraft, discard_draft, find_draft, save_draft
from storage.releases import StoredVersion


@dataclass(frozen=True)
class FlowRow:
    flow_id: str
    title: Text
    default: bool
    live_version: str
    versions: list[StoredVersion]
    draft: FlowDraft | None


def actor(request: Request) -> str:
    account = account_of(request)
    assert account is not None  # admin_only let the request through
    return actor_of(account)


async def flow_id_of(request: Request) -> str:
    """The path's flow id; a flow never released is a friendly 404."""
    flow_id = request.path_params["flow_id"]
    released = await run_in_threadpool(lambda: console_of(request).intake.flow_ids)
    if flow_id not in released:
        raise HTTPException(404)
    return flow_id


def _rows(request: Request, language: str) -> list[FlowRow]:
    intake = console_of(request).intake
    rows = []
    for flow_id in sorted(intake.flow_ids, key=lambda f: (f != intake.default_flow, f)):
        interview = intake.interview(flow_id)
        rows.append(
            FlowRow(
                flow_id,
                localized(interview.flow.title, language),
                flow_id == intake.default_flow,
                interview.version,
                list(reversed(intake.versions(flow_id))),
                find_draft(intake.store.engine, flow_id),
            )
        )
    return rows


@admin_only
async def flows_list(request: Request) -> Response:
    rows = await run_in_threadpool(_rows, request, language_of(request))
    return render(request, "flows.html", title="flows_title", flows=rows)


async def show_flow(
    request: Request, state: Editing, *, status_code: int = 200, **context: Any
) -> Response:
    """The flow page for ``state``, with whatever an action adds (script results, ...)."""
    language = language_of(request)
    shown = state.shown
    draft_diff = []
    if state.checked is not None or state.draft is not None:
        draft_diff = diff_lines(
            state.live.source,
            state.source,
            f"{state.flow_id}@{state.live.version} (live)",
            f"{state.flow_id} (draft)",
        )
    errors = {"source": "flow_has_problems"} if state.problems else {}
    return render(
        request,
        "flow.html",
        title="flow_title",
        state=state,
        flow_title=localized(shown.flow.title, language),
        steps=outline(shown.flow, language),
        draft_diff=draft_diff,
        errors=errors,
        error_values={"count": len(state.problems)},
        status_code=status_code,
        **context,
    )


@admin_only
async def flow_page(request: Request) -> Response:
    flow_id = await flow_id_of(request)
    intake = console_of(request).intake
    try:
        state = await run_in_threadpool(editing, intake, flow_id)
    except UnknownFlow:
        raise HTTPException(404) from None
    return await show_flow(request, state)


@admin_only
async def save_flow_draft(request: Request) -> Response:
    """Save what was typed as the draft (even with problems: nothing typed is lost) and
    show the loader's verdict."""
    flow_id = await flow_id_of(request)
    form = await request.form()
    source = normalized(str(form.get("source", "")))
    intake = console_of(request).intake
    who = actor(request)

    def saved() -> Editing:
        save_draft(intake.store.engine, flow_id, source, actor=who)
        return editing(intake, flow_id)

    state = await run_in_threadpool(saved)
    if state.problems:
        return await show_flow(request, state, status_code=400)
    flash(request, "draft_saved_valid")
    return RedirectResponse(f"/flows/{flow_id}", status_code=303)


@admin_only
async def discard_flow_draft(request: Request) -> Response:
    flow_id = await flow_id_of(request)
    engine = console_of(request).intake.store.engine
    who = actor(request)
    gone = await run_in_threadpool(lambda: discard_draft(engine, flow_id, actor=who))
    flash(request, "draft_discarded" if gone else "no_draft")
    return RedirectResponse(f"/flows/{flow_id}", status_code=303)
