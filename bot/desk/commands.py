"""The operators' commands: `complaintbot export`, `cases ...` (and `report`, `seed` nearby)."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Annotated

import typer

from bot.desk.case_view import show_case
from bot.desk.desk import Desk
from bot.desk.exporting import FORMATS, ExportFailed
from bot.desk.opening import open_desk, parse_moment
from bot.desk.progress import ExportProgress
from storage import StorageError
from storage.case_lists import CaseFilter
from storage.export_rows import ExportQuery

cases_app = typer.Typer(help="Review cases: list, show, assign, mark, note, history, dedupe.")

Since = Annotated[str | None, typer.Option(help="Submitted at or after (2022-10-19 or ISO time).")]
Until = Annotated[str | None, typer.Option(help="Submitted before (2022-10-20 or ISO time).")]
Status = Annotated[list[str] | None, typer.Option("--status", help="Only these statuses.")]
Service = Annotated[list[str] | None, typer.Option("--service", help="Only these services.")]
Harm = Annotated[list[str] | None, typer.Option("--harm", help="Only these harm types.")]
Flow = Annotated[str | None, typer.Option("--flow", help="Flow id (default: DEFAULT_FLOW).")]
Actor = Annotated[str | None, typer.Option(help="Who you are, for the audit log.")]
PiiReason = Annotated[
    str | None,
    typer.Option("--reason", help="Why personal data is needed (required with --include-pii)."),
]


def actor_name(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _query(desk: Desk, flow_id: str, since: str | None, until: str | None,
           status: list[str] | None, service: list[str] | None,
           harm: list[str] | None) -> ExportQuery:  # fmt: skip
    zone = desk.flows[flow_id].zone
    values = tuple(("service", s) for s in service or []) + tuple(("harm", h) for h in harm or [])
    return ExportQuery(
        flow_id=flow_id,
        since=parse_moment(since, zone) if since else None,
        until=parse_moment(until, zone) if until else None,
        statuses=tuple(status or ()),
        values=values,
    )


def export(
    format: Annotated[str, typer.Option("--format", help=f"One of {', '.join(FORMATS)}.")] = "csv",
    out: Annotated[
        Path | None, typer.Option(help="File to write (default: in EXPORT_DIR).")
    ] = None,
    flow: Flow = None,
    since: Since = None,
    until: Until = None,
    status: Status = None,
    service: Service = None,
    harm: Harm = None,
    include_pii: Annotated[
        bool, typer.Option("--include-pii", help="Personal data in clear (audited).")
    ] = False,
    lang: Annotated[str | None, typer.Option(help="Language of labels.")] = None,
    actor: Actor = None,
    reason: PiiReason = None,
) -> None:
    """Export cases to a file, streaming: memory stays flat however many there are."""
    desk, flow_id = open_desk(flow)
    try:
        query = _query(desk, flow_id, since, until, status, service, harm)
        path = out or Path(desk.export_dir) / f"{flow_id}-cases.{format}"
        with ExportProgress() as progress:
            job = desk.export_now(
                query, format=format, path=path, masked=not include_pii,
                actor=actor_name(actor), language=lang, progress=progress, reason=reason,
            )  # fmt: skip
    except (ExportFailed, StorageError, ValueError) as exc:
        raise _fail(f"export failed: {exc}") from None
    finally:
        desk.store.close()
    masked = "personal data masked" if job.masked else "PERSONAL DATA INCLUDED (audited)"
    typer.echo(f"{job.rows_done} cases -> {job.path} ({job.size:,} bytes, {masked})")
    typer.echo(f"sha256 {job.sha256}")


@cases_app.command("list")
def cases_list(
    flow: Flow = None,
    status: Status = None,
    service: Service = None,
    harm: Harm = None,
    assigned: Annotated[str | None, typer.Option(help="Assigned to this operator.")] = None,
    since: Since = None,
    until: Until = None,
    after: Annotated[int | None, typer.Option(help="Page after this case id.")] = None,
    limit: Annotated[int, typer.Option(help="Cases per page.")] = 50,
) -> None:
    """One page of cases in filing order; the last line says how to get the next page."""
    desk, flow_id = open_desk(flow)
    zone = desk.flows[flow_id].zone
    values = tuple(("service", s) for s in service or []) + tuple(("harm", h) for h in harm or [])
    where = CaseFilter(
        flow_id, tuple(status or ()), assigned, values,
        parse_moment(since, zone) if since else None,
        parse_moment(until, zone) if until else None,
    )  # fmt: skip
    try:
        page = desk.ops.list_cases(where, after=after, limit=limit)
    finally:
        desk.store.close()
    for line in page.lines:
        submitted = _aware(line.submitted_at).astimezone(zone).strftime("%Y-%m-%d %H:%M")
        extra = f" dup-of {line.duplicate_of}" if line.duplicate_of else ""
        who = f" @{line.assigned_to}" if line.assigned_to else ""
        typer.echo(
            f"{line.reference}\t{submitted}\t{line.status}\t{line.amount_total:,}{who}{extra}"
        )
    if page.next_after is not None:
        typer.echo(f"next page: --after {page.next_after}")


@cases_app.command("show")
def cases_show(
    reference: str,
    include_pii: Annotated[
        bool, typer.Option("--include-pii", help="Personal data in clear (audited).")
    ] = False,
    lang: Annotated[str | None, typer.Option(help="Language of labels.")] = None,
    actor: Actor = None,
    reason: PiiReason = None,
) -> None:
    """A case with its answers (personal data masked unless --include-pii), links, history."""
    desk, _ = open_desk(None)
    try:
        text = show_case(desk, reference, include_pii=include_pii, actor=actor_name(actor),
                         language=lang, reason=reason)  # fmt: skip
    except (StorageError, ValueError) as exc:
        raise _fail(str(exc)) from None
    finally:
        desk.store.close()
    typer.echo(text)


@cases_app.command("assign")
def cases_assign(
    reference: str,
    operator: Annotated[str, typer.Argument(help="Who reviews it ('-' for nobody).")],
    actor: Actor = None,
) -> None:
    """Assign a case to an operator."""
    _run(lambda d: d.ops.assign(reference, None if operator == "-" else operator,
                                actor=actor_name(actor)), f"{reference} assigned to {operator}")  # fmt: skip


@cases_app.command("mark")
def cases_mark(
    reference: str,
    status: Annotated[
        str, typer.Argument(help="in_review, reviewed, duplicate, unrelated, rejected")
    ],
    reason: Annotated[str, typer.Option(help="Why (required, kept in the history).")],
    duplicate_of: Annotated[str | None, typer.Option(help="The original case.")] = None,
    actor: Actor = None,
) -> None:
    """Change a case's status; the report counts follow at once."""
    _run(lambda d: d.ops.set_status(reference, status, actor=actor_name(actor), reason=reason,
                                    duplicate_of=duplicate_of), f"{reference} is now {status}")  # fmt: skip


@cases_app.command("note")
def cases_note(reference: str, text: str, actor: Actor = None) -> None:
    """Add a note to a case's history."""
    _run(lambda d: d.ops.note(reference, text, actor=actor_name(actor)), "noted")


@cases_app.command("lock")
def cases_lock(
    reference: str,
    minutes: Annotated[float, typer.Option(help="How long the lock lasts.")] = 15,
    actor: Actor = None,
) -> None:
    """Take the edit lock, so nobody else changes the case while you review it."""

    def take(desk: Desk) -> None:
        until = desk.ops.lock(reference, actor=actor_name(actor),
                              lasting=dt.timedelta(minutes=minutes))  # fmt: skip
        typer.echo(f"{reference} locked until {until:%H:%M} UTC")

    _run(take, None)


@cases_app.command("unlock")
def cases_unlock(reference: str, actor: Actor = None) -> None:
    """Give the edit lock back."""
    _run(lambda d: d.ops.unlock(reference, actor=actor_name(actor)), f"{reference} unlocked")


@cases_app.command("history")
def cases_history(reference: str) -> None:
    """Every change of a case: when, who, what, why."""

    def show(desk: Desk) -> None:
        for event in desk.ops.history(reference):
            moves = f" {event.from_status or ''}->{event.to_status}" if event.to_status else ""
            why = f": {event.reason}" if event.reason else ""
            typer.echo(
                f"{_aware(event.at):%Y-%m-%d %H:%M:%S}Z\t{event.actor}\t{event.action}{moves}{why}"
            )

    _run(show, None)


@cases_app.command("dedupe")
def cases_dedupe(flow: Flow = None, actor: Actor = None) -> None:
    """Mark repeats among existing cases as filing would (same claimant, phone, business
    number or evidence file about the same thing) and flag near-identical texts."""
    desk, flow_id = open_desk(flow)
    try:
        result = desk.ops.dedupe(flow_id, actor=actor_name(actor))
    finally:
        desk.store.close()
    rules = ", ".join(f"{rule} {n}" for rule, n in sorted(result.duplicates.items())) or "none"
    typer.echo(
        f"checked {result.checked} cases; new duplicates: {rules}; similar: {result.similar}"
    )


def _run(action: object, done: str | None) -> None:
    desk, _ = open_desk(None)
    try:
        action(desk)  # type: ignore[operator]
    except (StorageError, ValueError) as exc:
        raise _fail(str(exc)) from None
    finally:
        desk.store.close()
    if done:
        typer.echo(done)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
