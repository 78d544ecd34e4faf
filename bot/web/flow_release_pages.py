"""A flow's scripts run on demand, publishing its draft (blocked while a script fails),
rolling back to an earlier version, and the diff of two stored versions."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.intake import IntakeService
from bot.web.context import console_of
from bot.web.flow_desk import Editing, editing, stored_diff
from bot.web.flow_pages import actor, flow_id_of, show_flow
from bot.web.pages import flash, render
from bot.web.roles import admin_only
from flows.rehearsal import RehearsalFailed, ScriptFile, ScriptResult, scripts_next_to
from storage.flow_drafts import discard_draft
from storage.releases import ReleaseRefused


def scripts_of(intake: IntakeService, flow_id: str) -> ScriptFile | None:
    """The scripts beside the flow's file (a draft is held to the same scripts)."""
    shipped = intake.flow_file(flow_id)
    return scripts_next_to(shipped) if shipped else None


@admin_only
async def run_flow_scripts(request: Request) -> Response:
    """The flow's scripted conversations against the draft (or, without one, the live flow)."""
    flow_id = await flow_id_of(request)
    intake = console_of(request).intake

    def ran() -> tuple[Editing, list[ScriptResult]]:
        state = editing(intake, flow_id)
        scripts = scripts_of(intake, flow_id)
        return state, intake.rehearse(state.shown, scripts) if scripts is not None else []

    state, results = await run_in_threadpool(ran)
    return await show_flow(request, state, script_results=results, scripts_ran=True)


@admin_only
async def publish_flow(request: Request) -> Response:
    flow_id = await flow_id_of(request)
    form = await request.form()
    note = str(form.get("note", "")).strip()
    intake = console_of(request).intake
    who = actor(request)
    state = await run_in_threadpool(editing, intake, flow_id)
    if state.draft is None:
        flash(request, "no_draft")
        return RedirectResponse(f"/flows/{flow_id}", status_code=303)
    if state.checked is None:
        return await show_flow(request, state, status_code=400)
    checked = state.checked

    def published() -> None:
        scripts = scripts_of(intake, flow_id)
        intake.publish(checked, actor=who, note=note, scripts=scripts)
        discard_draft(intake.store.engine, flow_id, actor=None)

    try:
        await run_in_threadpool(published)
    except RehearsalFailed as exc:
        return await show_flow(
            request,
            state,
            status_code=409,
            script_results=exc.results,
            scripts_ran=True,
            publish_blocked=True,
        )
    except ReleaseRefused:
        flash(request, "publish_refused")
        return RedirectResponse(f"/flows/{flow_id}", status_code=303)
    flash(request, "published_done", version=checked.version)
    return RedirectResponse(f"/flows/{flow_id}", status_code=303)


@admin_only
async def rollback_flow(request: Request) -> Response:
    flow_id = await flow_id_of(request)
    form = await request.form()
    version = str(form.get("version", ""))
    note = str(form.get("note", "")).strip()
    intake = console_of(request).intake
    who = actor(request)
    try:
        await run_in_threadpool(lambda: intake.rollback(flow_id, version, actor=who, note=note))
    except ReleaseRefused:
        flash(request, "rollback_refused")
        return RedirectResponse(f"/flows/{flow_id}", status_code=303)
    flash(request, "rolled_back_done", version=version)
    return RedirectResponse(f"/flows/{flow_id}", status_code=303)


@admin_only
async def flow_version_diff(request: Request) -> Response:
    """``?old=..&new=..`` of two stored versions (``new`` defaults to the live one)."""
    flow_id = await flow_id_of(request)
    intake = console_of(request).intake
    live = await run_in_threadpool(lambda: intake.interview(flow_id).version)
    old = request.query_params.get("old", "")
    new = request.query_params.get("new", live)
    try:
        lines = await run_in_threadpool(stored_diff, intake, flow_id, old, new)
    except ReleaseRefused:
        flash(request, "no_such_version")
        return RedirectResponse(f"/flows/{flow_id}", status_code=303)
    return render(
        request,
        "flow_diff.html",
        title="diff_title",
        flow_id=flow_id,
        old=old,
        new=new,
        live=live,
        lines=lines,
    )
