"""The `complaintbot` command line."""

from __future__ import annotations

import getpass
import json
import logging
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.settings import Settings, get_settings, sqlite_file, where_data_lives
from flows import FlowError, LoadedFlow, load_flows
from flows.diagram import mermaid
from flows.schema import Flow

if TYPE_CHECKING:
    from bot.intake import IntakeService

app = typer.Typer(
    help="Complaint and damage intake bot for mass service outages.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # its tracebacks show local variables: answers, settings
)
flows_app = typer.Typer(help="Validate, document and draw interview flows.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(flows_app, name="flows")
app.add_typer(db_app, name="db")


def _load(settings: Settings) -> dict[str, LoadedFlow]:
    """The shipped flows and those of FLOW_PATHS. A FLOW_PATHS file never silently replaces
    a shipped flow of the same id: it is a draft, published with `flows publish FILE`."""
    try:
        flows = load_flows()
        extra = load_flows(settings.flow_paths) if settings.flow_paths else {}
    except FlowError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    for flow_id, loaded in extra.items():
        if flow_id in flows:
            typer.echo(
                f"{loaded.path}: flow id {flow_id!r} is also a shipped flow; it is a draft and "
                f"replaces nothing until `complaintbot flows publish {loaded.path}`",
                err=True,
            )
            continue
        flows[flow_id] = loaded
    return flows


def _intake(settings: Settings) -> IntakeService:
    from bot.intake import IntakeService
    from storage import SchemaOutdated, Store
    from storage.encryption import EncryptionKeyError

    database_file = sqlite_file(settings.database_url)
    if database_file is not None:
        database_file.parent.mkdir(parents=True, exist_ok=True)
    typer.echo(f"complaintbot: data in {where_data_lives(settings.database_url)}", err=True)
    try:
        store = Store(
            settings.database_url,
            sqlite_synchronous=settings.sqlite_synchronous,
            reminder_after=timedelta(hours=settings.reminder_after_hours),
            pii_key=settings.pii_key,
            pii_old_keys=settings.pii_old_keys,
        )
    except (SchemaOutdated, EncryptionKeyError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(3) from None
    flows = _load(settings)
    if settings.default_flow not in flows:
        typer.echo(f"DEFAULT_FLOW {settings.default_flow!r} is not a loaded flow", err=True)
        raise typer.Exit(2)
    return IntakeService(store, flows.values(), settings.default_flow)


@app.command()
def chat(
    flow: Annotated[str | None, typer.Option(help="Flow id (default: DEFAULT_FLOW).")] = None,
    lang: Annotated[str | None, typer.Option(help="ko or en.")] = None,
    user: Annotated[str | None, typer.Option(help="Who is chatting (default: your login).")] = None,
) -> None:
    """Run an interview in the terminal. Quit any time; running it again resumes."""
    from bot.terminal import run_chat

    settings = get_settings()
    intake = _intake(settings)
    if flow is not None and flow not in intake.flow_ids:
        typer.echo(f"unknown flow {flow!r}", err=True)
        raise typer.Exit(2)
    user_key = user or getpass.getuser()
    code = run_chat(
        intake, user_key, language=lang, flow_id=flow, stdin=sys.stdin, stdout=sys.stdout
    )
    raise typer.Exit(code)


@app.command()
def run(
    webhook: Annotated[bool, typer.Option(help="Serve a webhook instead of long polling.")] = False,
) -> None:
    """Run the Telegram bot."""
    settings = get_settings()
    if settings.telegram_bot_token is None:
        typer.echo(
            "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather and put its token in "
            ".env (see .env.example), or try the interview locally with `complaintbot chat`.",
            err=True,
        )
        raise typer.Exit(2)
    from bot.telegram.runner import run_bot

    configure_logging(settings.log_level)
    run_bot(settings, _intake(settings), webhook=webhook)


@flows_app.command("validate")
def flows_validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: shipped).")
    ] = None,
) -> None:
    """Check flow files; exits non-zero and lists every problem with file:line on error."""
    try:
        flows = load_flows(paths or None)
    except FlowError as exc:
        typer.echo(str(exc), err=True)
        typer.echo(f"{len(exc.problems)} problem(s) found.", err=True)
        raise typer.Exit(1) from None
    for loaded in flows.values():
        typer.echo(
            f"ok  {loaded.path}  {loaded.flow.id}  version {loaded.version}  {len(loaded.flow.steps)} steps"
        )


@flows_app.command("schema")
def flows_schema() -> None:
    """Print the JSON Schema of flow files (for editor autocompletion)."""
    schema = Flow.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "complaintbot flow"
    typer.echo(json.dumps(schema, ensure_ascii=False, indent=2))


@flows_app.command("diagram")
def flows_diagram(
    flow: Annotated[str, typer.Argument(help="Flow id, or a path to a flow file.")],
    lang: Annotated[str | None, typer.Option(help="Language of the step captions.")] = None,
) -> None:
    """Print a Mermaid flowchart of a flow."""
    settings = get_settings()
    if Path(flow).is_file():
        from flows import load_flow

        try:
            loaded = load_flow(flow)
        except FlowError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
    else:
        flows = _load(settings)
        if flow not in flows:
            typer.echo(f"unknown flow {flow!r}; loaded: {', '.join(sorted(flows))}", err=True)
            raise typer.Exit(2)
        loaded = flows[flow]
    typer.echo(mermaid(loaded.flow, lang), nl=False)


@flows_app.command("list")
def flows_list() -> None:
    """Each flow: the version new conversations get, and whether this process's file of it
    is that version or a draft (tab-separated: id, published version, file, title)."""
    settings = get_settings()
    intake = _intake(settings)
    released = intake.store.released_versions()
    try:  # the files as they are here: a FLOW_PATHS file of a shipped id shows as its draft
        files = load_flows() | (load_flows(settings.flow_paths) if settings.flow_paths else {})
    except FlowError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    for flow_id in sorted(released.keys() | files.keys()):
        version, loaded = released.get(flow_id), files.get(flow_id)
        if loaded is None:
            state = "no file here"
        elif loaded.version == version:
            state = "file is the published version"
        else:
            state = f"file {loaded.version} is a draft (flows publish FILE)"
        title = (loaded or intake.interview(flow_id).loaded).flow.title
        typer.echo(f"{flow_id}\t{version or 'not published'}\t{state}\t{title.get('en', '')}")


def _actor(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


def _refusal(exc: Exception) -> typer.Exit:
    typer.echo(str(exc), err=True)
    return typer.Exit(1)


NoteOption = Annotated[str, typer.Option(help="Why: kept with the release and in the audit.")]
ActorOption = Annotated[str | None, typer.Option(help="Who (default: cli:<your login>).")]


@flows_app.command("publish")
def flows_publish(
    file: Annotated[Path, typer.Argument(help="The flow file to publish.")],
    note: NoteOption = "",
    actor: ActorOption = None,
) -> None:
    """Make a flow file the version new conversations get, on every bot process."""
    from flows import load_flow
    from storage import ReleaseRefused

    try:
        loaded = load_flow(file)
    except FlowError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    from flows.rehearsal import RehearsalFailed, scripts_path

    intake = _intake(get_settings())
    try:
        results = intake.rehearse(loaded)
        for result in results:
            typer.echo(str(result))
        if not results:
            typer.echo(f"no scripts at {scripts_path(file)}: nothing rehearsed", err=True)
        released = intake.publish(loaded, actor=_actor(actor), note=note)
    except RehearsalFailed as exc:
        typer.echo(f"not published: {exc}", err=True)
        raise typer.Exit(1) from None
    except ReleaseRefused as exc:
        raise _refusal(exc) from None
    typer.echo(f"published {released.flow_id} version {released.version}")


@flows_app.command("rollback")
def flows_rollback(
    flow: Annotated[str, typer.Argument(help="Flow id.")],
    version: Annotated[str, typer.Argument(help="A stored version (see `flows versions`).")],
    note: NoteOption = "",
    actor: ActorOption = None,
) -> None:
    """Make an earlier stored version current again; conversations under way keep theirs."""
    from storage import ReleaseRefused

    intake = _intake(get_settings())
    try:
        released = intake.rollback(flow, version, actor=_actor(actor), note=note)
    except ReleaseRefused as exc:
        raise _refusal(exc) from None
    typer.echo(f"rolled back {released.flow_id} to version {released.version}")


@flows_app.command("versions")
def flows_versions(flow: Annotated[str, typer.Argument(help="Flow id.")]) -> None:
    """Every stored version of a flow, oldest first; * marks the one new conversations get."""
    stored = _intake(get_settings()).versions(flow)
    if not stored:
        typer.echo(f"flow {flow!r} has no stored versions", err=True)
        raise typer.Exit(2)
    for item in stored:
        mark = "*" if item.current else " "
        typer.echo(f"{mark} {item.version}  stored {item.stored_at:%Y-%m-%d %H:%M} UTC")
        for release in item.releases:
            note = f"  {release.note}" if release.note else ""
            when = f"{release.released_at:%Y-%m-%d %H:%M}"
            typer.echo(f"    released {when} UTC by {release.released_by}{note}")


@flows_app.command("diff")
def flows_diff(
    flow: Annotated[str, typer.Argument(help="Flow id.")],
    old: Annotated[str, typer.Argument(help="The earlier version.")],
    new: Annotated[str, typer.Argument(help="The later version.")],
) -> None:
    """Unified diff of two stored versions' sources."""
    from storage import ReleaseRefused

    try:
        typer.echo(_intake(get_settings()).diff(flow, old, new), nl=False)
    except ReleaseRefused as exc:
        raise _refusal(exc) from None


@flows_app.command("test")
def flows_test(
    target: Annotated[
        str | None, typer.Argument(help="A flow id or file (default: every loaded flow).")
    ] = None,
) -> None:
    """Run the scripted conversations beside each flow file (a dry run: nothing stored)."""
    from flows import load_flow
    from flows.rehearsal import run_scripts, scripts_next_to

    if target is not None and Path(target).is_file():
        try:
            flows = [load_flow(target)]
        except FlowError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
    else:
        loaded = _load(get_settings())
        if target is not None and target not in loaded:
            typer.echo(f"unknown flow {target!r}; loaded: {', '.join(sorted(loaded))}", err=True)
            raise typer.Exit(2)
        flows = [loaded[target]] if target is not None else list(loaded.values())
    failed = 0
    for flow in flows:
        try:
            scripts = scripts_next_to(flow)
        except FlowError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
        if scripts is None:
            typer.echo(f"{flow.flow.id}: no scripts beside {flow.path}")
            continue
        typer.echo(f"{flow.flow.id} ({scripts.path})")
        for result in run_scripts(flow, scripts):
            typer.echo(f"  {result}")
            failed += not result.passed
    if failed:
        typer.echo(f"{failed} script(s) failed", err=True)
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema to this release."""
    from storage import upgrade

    settings = get_settings()
    database_file = sqlite_file(settings.database_url)
    if database_file is not None:
        database_file.parent.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url)
    typer.echo(f"database schema is up to date: {where_data_lives(settings.database_url)}")


from bot.privacy_cli import mydata, privacy_app  # noqa: E402  (commands that need _intake)

app.add_typer(privacy_app, name="privacy")
app.command("mydata")(mydata)


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of a start-up error.")
    ] = False,
) -> None:
    """Complaint and damage intake bot for mass service outages."""


QUIET_LIBRARIES = {"transitions": logging.WARNING, "alembic": logging.WARNING}
"""transitions writes two INFO lines per answer ("Finished processing state ... callbacks"),
alembic a few at every start ("Context impl SQLiteImpl")."""


def configure_logging(level: str) -> None:
    """Our own records at ``level``; libraries' chatter only when DEBUG is asked for."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if logging.getLevelName(level) > logging.DEBUG:
        for name, quiet in QUIET_LIBRARIES.items():
            logging.getLogger(name).setLevel(quiet)
    for name in ("httpx", "httpcore"):  # even at DEBUG: their request lines hold the bot token
        logging.getLogger(name).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> None:
    """The `complaintbot` command: configuration and start-up errors are a line or two that
    name the setting and the fix, with a non-zero exit; `--debug` (anywhere) shows the traceback.
    """
    from bot.startup_errors import explain

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        app(args=[arg for arg in args if arg != "--debug"], prog_name="complaintbot")
    except Exception as exc:
        if debug:
            raise
        failure = explain(exc)
        typer.echo(failure.text, err=True)
        raise SystemExit(failure.code) from None


# -- web console -------------------------------------------------------------------------

from bot.user_commands import users_app  # noqa: E402

app.add_typer(users_app, name="users")


def _serve_web(host: str | None, port: int | None, *, with_bot: bool) -> None:
    from bot.web.server import run_until_signal

    settings = get_settings()
    configure_logging(settings.log_level)
    run_until_signal(
        settings,
        _intake(settings),
        host=host or settings.web_host,
        port=port or settings.web_port,
        with_bot=with_bot,
        out=sys.stdout,
    )


@app.command()
def web(
    host: Annotated[str | None, typer.Option(help="Address (default WEB_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default WEB_PORT).")] = None,
) -> None:
    """Serve the web console."""
    _serve_web(host, port, with_bot=False)


@app.command()
def start(
    host: Annotated[str | None, typer.Option(help="Address (default WEB_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default WEB_PORT).")] = None,
) -> None:
    """Serve the web console, and the Telegram bot too when TELEGRAM_BOT_TOKEN is set."""
    _serve_web(host, port, with_bot=get_settings().telegram_bot_token is not None)


# -- the operators' desk (bot/desk): exports, case review, the report, seeding -------------
def _desk_commands() -> None:
    from bot.desk.commands import cases_app, export
    from bot.desk.report_command import report
    from bot.desk.seed_command import seed

    app.command("export")(export)
    app.command("report")(report)
    app.command("seed")(seed)
    app.add_typer(cases_app, name="cases")


_desk_commands()


def _rehearsal_command() -> None:
    from bot.rehearsal.command import rehearse

    app.command("rehearse")(rehearse)


_rehearsal_command()
