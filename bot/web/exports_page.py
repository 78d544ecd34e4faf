"""Exports from the console: a job queued from a form (the cases table's filters), run in the
background by the operators' desk export code, its progress on a page that refreshes itself
(a meta refresh, no script) and its file downloaded, only by its owner or an admin, when done.
Personal data in clear needs a reason, kept in the audit log."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from bot.web.context import account_of, console_of
from bot.web.pages import DISPLAY_ZONE, flash, render
from bot.web.preferences import display_of
from storage.account_store import actor_of
from storage.audit import record_event
from storage.errors import UnknownExport
from storage.export_jobs import ExportJob
from storage.export_rows import ExportQuery
from storage.tables import CASE_STATUSES

FORMATS = ("csv", "xlsx", "jsonl")
MEDIA = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/x-ndjson",
}


def _run(request: Request, job_id: int) -> None:
    """Claim and write this one job (the export worker's code, in a worker thread)."""
    from bot.desk.exporting import ExportFailed, LeaseLost, run_job

    console = console_of(request)
    intake = console.intake
    ops = intake.store.operators
    job = ops.claim_export(job_id=job_id)
    if job is None:
        return
    with suppress(ExportFailed, LeaseLost):  # the job row says it failed; the page shows it
        run_job(ops, intake.released_flows(), job, Path(console.settings.export_dir))


def _day(raw: str, shift: int = 0) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return (
        dt.datetime.combine(day + dt.timedelta(days=shift), dt.time(), DISPLAY_ZONE)
        if day
        else None
    )


async def exports_page(request: Request) -> Response:
    jobs = await run_in_threadpool(console_of(request).intake.store.operators.recent_exports, 20)
    mine = [j for j in jobs if _may_see(request, j)]
    return render(request, "exports.html", title="exports_title", jobs=mine, formats=FORMATS,
                  statuses=CASE_STATUSES)  # fmt: skip


def _queue(request: Request, form: dict[str, str], masked: bool, reason: str) -> int:
    intake = console_of(request).intake
    store = intake.store
    status = form.get("status", "")
    values = tuple((name, form[name]) for name in ("service", "harm", "claimant") if form.get(name))
    query = ExportQuery(
        flow_id=intake.default_flow,
        since=_day(form.get("since", "")),
        until=_day(form.get("until", ""), 1),
        statuses=(status,) if status in CASE_STATUSES else (),
        values=values,
    )
    actor = actor_of(account_of(request))  # type: ignore[arg-type]
    job_id = store.operators.queue_export(
        query, actor=actor, format=form["format"], masked=masked,
        language=display_of(request).language, reason=reason or None,
        fields=[] if masked else _personal_fields(request, query.flow_id),
    )  # fmt: skip
    if not masked:
        with store.engine.begin() as conn:
            record_event(conn, dt.datetime.now(dt.UTC), actor, "export-unmasked-reason",
                         str(job_id), {"job": job_id, "reason": reason})  # fmt: skip
    return job_id


async def start_export(request: Request) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    masked = form.get("personal") != "1"
    reason = form.get("reason", "").strip()
    errors: dict[str, str] = {}
    if form.get("format") not in FORMATS:
        errors["format"] = "export_need_format"
    if not masked and not reason:
        errors["reason"] = "export_need_reason"
    if errors:
        jobs = await run_in_threadpool(
            console_of(request).intake.store.operators.recent_exports, 20
        )
        return render(request, "exports.html", title="exports_title", status_code=400,
                      jobs=[j for j in jobs if _may_see(request, j)], formats=FORMATS,
                      statuses=CASE_STATUSES, errors=errors, values=form)  # fmt: skip
    job_id = await run_in_threadpool(_queue, request, form, masked, reason)
    flash(request, "export_queued")
    return RedirectResponse(
        f"/exports/{job_id}",
        status_code=303,
        background=BackgroundTask(_run_later, request, job_id),
    )


async def _run_later(request: Request, job_id: int) -> None:
    await run_in_threadpool(_run, request, job_id)


def _personal_fields(request: Request, flow_id: str) -> list[str]:
    """What an unmasked export of the flow shows in clear (as the CLI's export logs it)."""
    flow = console_of(request).intake.interview(flow_id).flow
    return [*sorted(flow.personal_fields()), "notes", "user_key"]


def _log_download(request: Request, job: ExportJob) -> None:
    """Each download of an unmasked file is one more staff access (perhaps by an admin, not
    the job's owner): who, when, the flow, the fields, and the purpose the job was queued for."""
    store = console_of(request).intake.store
    actor = actor_of(account_of(request))  # type: ignore[arg-type]
    purpose = store.operators.export_reason(job.id) or "no reason recorded"
    store.record_access(
        actor,
        f"flow:{job.query.flow_id}",
        _personal_fields(request, job.query.flow_id),
        f"download of export {job.id}: {purpose}",
    )


def _may_see(request: Request, job: ExportJob) -> bool:
    account = account_of(request)
    return account is not None and (account.is_admin or job.actor == actor_of(account))


async def _job(request: Request) -> ExportJob | None:
    raw = request.path_params["job"]
    ops = console_of(request).intake.store.operators
    try:
        job = await run_in_threadpool(ops.export_job, int(raw))
    except (UnknownExport, ValueError):
        return None
    return job if _may_see(request, job) else None


def _not_found(request: Request) -> Response:
    return render(request, "error.html", title="not_found_title", message="not_found",
                  status_code=404)  # fmt: skip


async def export_status(request: Request) -> Response:
    job = await _job(request)
    if job is None:
        return _not_found(request)
    running = job.state not in ("done", "failed")
    return render(request, "export.html", title="export_title", job=job, running=running)


async def export_download(request: Request) -> Response:
    job = await _job(request)
    if job is None or job.state != "done" or not job.path or not Path(job.path).is_file():
        return _not_found(request)
    if not job.masked:
        await run_in_threadpool(_log_download, request, job)
    name = f"{job.query.flow_id}-cases-{job.id}.{job.format}"
    return FileResponse(job.path, media_type=MEDIA.get(job.format, "application/octet-stream"),
                        filename=name)  # fmt: skip
