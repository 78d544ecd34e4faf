"""`complaintbot privacy ...` and `complaintbot mydata`: retention, holds, access log, keys."""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from typing import Annotated

import typer

from bot.settings import get_settings

privacy_app = typer.Typer(
    help="Retention purge, legal holds, the access log and encryption keys.",
    no_args_is_help=True,
)
ACTOR_HELP = "Who is acting (default: your login); goes into the audit trail."
Actor = Annotated[str | None, typer.Option(help=ACTOR_HELP)]


def _intake():  # type: ignore[no-untyped-def]
    from bot.cli import _intake as open_intake

    return open_intake(get_settings())


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _day_end(day: dt.datetime | None) -> dt.datetime | None:
    """``--as-of 2026-05-01``: the purge as it would run at the end of that day (UTC)."""
    if day is None:
        return None
    return dt.datetime.combine(day.date() + dt.timedelta(days=1), dt.time(), dt.UTC)


@privacy_app.command("purge")
def purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count, change nothing.")] = False,
    as_of: Annotated[
        dt.datetime | None,
        typer.Option("--as-of", formats=["%Y-%m-%d"], help="Purge as on this day (YYYY-MM-DD)."),
    ] = None,
    actor: Actor = None,
) -> None:
    """Anonymise cases past their flow's retention period (held and in-review ones stay)."""
    from storage import StorageError

    intake = _intake()

    def progress(done: int, total: int) -> None:
        print(f"\r{done:,}/{total:,} cases", end="", file=sys.stderr, flush=True)

    try:
        report = intake.store.purge(
            as_of=_day_end(as_of),
            dry_run=dry_run,
            actor=actor or getpass.getuser(),
            progress=progress,
        )
    except StorageError as exc:
        raise _fail(str(exc)) from None
    if report.cases:
        print(file=sys.stderr)
    verb = "would anonymise" if dry_run else "anonymised"
    typer.echo(
        f"as of {report.as_of:%Y-%m-%d %H:%M} UTC: {verb} {report.cases} case(s) and "
        f"{report.attachments} attachment(s); {report.interviews} abandoned interview(s)"
    )
    for label, refs in (("on legal hold", report.held), ("under review", report.under_review)):
        if refs:
            typer.echo(f"skipped, {label}: {len(refs)}: {', '.join(refs)}")
    for version in report.undeclared:
        typer.echo(f"kept: flow {version} declares no retention")
    if report.stored_paths and not dry_run:
        from bot.intake import remove_stored_files

        removed = remove_stored_files(report.stored_paths)
        typer.echo(f"deleted {removed} stored file(s) of those cases (web chat uploads)")
    elif report.stored_paths:
        typer.echo(f"would delete {len(set(report.stored_paths))} stored file(s) of those cases")


@privacy_app.command("hold")
def hold(
    reference: Annotated[str, typer.Argument(help="Case reference, e.g. KKO-221019-000123.")],
    reason: Annotated[str, typer.Option(help="Why (court order, regulator's request...).")],
    actor: Actor = None,
) -> None:
    """Put a legal hold on a case: the purge keeps it until it is released."""
    from storage import UnknownCase

    try:
        _intake().store.hold_case(reference, reason, actor=actor or getpass.getuser())
    except (UnknownCase, ValueError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"{reference} is on legal hold")


@privacy_app.command("release")
def release(
    reference: Annotated[str, typer.Argument(help="Case reference.")], actor: Actor = None
) -> None:
    """Lift a case's legal hold."""
    from storage import UnknownCase

    try:
        released = _intake().store.release_case(reference, actor=actor or getpass.getuser())
    except UnknownCase as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"{reference}: hold released" if released else f"{reference} had no hold")


@privacy_app.command("access-log")
def access_log(
    since: Annotated[
        dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="From this day (UTC).")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Only this staff member.")] = None,
) -> None:
    """Who saw personal data, when, of which case, which fields, and why (tab-separated)."""
    start = since.replace(tzinfo=dt.UTC) if since else None
    entries = _intake().store.access_log(since=start, actor=actor)
    typer.echo("at\tactor\tcase\tfields\treason")
    for e in entries:
        at = e.at if e.at.tzinfo else e.at.replace(tzinfo=dt.UTC)
        when = at.isoformat(timespec="seconds")
        typer.echo(f"{when}\t{e.actor}\t{e.case_ref}\t{','.join(e.fields)}\t{e.reason}")


@privacy_app.command("new-key")
def new_key() -> None:
    """Print a fresh key for PII_ENCRYPTION_KEY (keep it safe: without it the data is lost)."""
    from storage.encryption import new_key as make

    typer.echo(make())


@privacy_app.command("rotate-key")
def rotate_key() -> None:
    """Re-encrypt every personal value under PII_ENCRYPTION_KEY; old keys are retired."""
    from storage import StorageError

    intake = _intake()
    try:
        done = intake.store.rotate_key(
            lambda what, n: print(f"\r{what}: {n:,}", end="", file=sys.stderr, flush=True)
        )
    except StorageError as exc:
        raise _fail(str(exc)) from None
    print(file=sys.stderr)
    typer.echo(
        f"re-encrypted {done.conversations} open interview(s), {done.cases} case(s), "
        f"{done.attachments} attachment(s); retired key(s): {', '.join(done.retired) or 'none'}"
    )


def mydata(
    user: Annotated[str | None, typer.Option(help="Whose (default: your login).")] = None,
    lang: Annotated[str, typer.Option(help="ko or en.")] = "ko",
) -> None:
    """Show what is stored about a terminal claimant, with their consent."""
    from bot.terminal import CHANNEL
    from storage import StorageError

    intake = _intake()
    try:
        parts = intake.my_data(CHANNEL, user or getpass.getuser(), lang)
    except StorageError as exc:
        raise _fail(str(exc)) from None
    typer.echo("\n\n".join(parts))
