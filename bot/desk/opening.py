"""Opening the desk for a command: settings, the Store, the loaded flows; friendly errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from bot.desk.desk import Desk
from bot.settings import get_settings, sqlite_file
from flows import FlowError, load_flows
from storage import SchemaOutdated, StorageError, Store


def open_desk(flow_id: str | None) -> tuple[Desk, str]:
    """The desk and the flow asked for (default: DEFAULT_FLOW); exits with a message on error."""
    settings = get_settings()
    try:
        loaded = load_flows()
        if settings.flow_paths:
            loaded |= load_flows(settings.flow_paths)
    except FlowError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    chosen = flow_id or settings.default_flow
    if chosen not in loaded:
        typer.echo(f"unknown flow {chosen!r}; loaded: {', '.join(sorted(loaded))}", err=True)
        raise typer.Exit(2)
    database_file = sqlite_file(settings.database_url)
    if database_file is not None:
        database_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        store = Store(
            settings.database_url,
            sqlite_synchronous=settings.sqlite_synchronous,
            pii_key=settings.pii_key,
            pii_old_keys=settings.pii_old_keys,
        )
        for flow in loaded.values():
            store.publish_flow(flow)
    except (SchemaOutdated, StorageError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(3) from None
    flows = {fid: item.flow for fid, item in loaded.items()}
    return Desk(store, flows, Path(settings.export_dir)), chosen


def parse_moment(text: str, zone: dt.tzinfo) -> dt.datetime:
    """ "2022-10-19" (local midnight) or an ISO time; naive means the flow's zone."""
    try:
        if len(text) <= 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), zone)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (2022-10-19) or ISO time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)
