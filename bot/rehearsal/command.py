"""`complaintbot rehearse`: rehearse an outage's intake against a deployment before it happens."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer

DEFAULT_API_PORT = 8081


def rehearse(
    claimants: Annotated[
        int, typer.Option("--claimants", min=1, help="How many simulated claimants.")
    ] = 20,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, help="How many of them at once.")
    ] = 8,
    url: Annotated[
        str | None,
        typer.Option(
            help="The deployment's webhook URL (WEBHOOK_URL). Without it: a deployment of "
            "its own in this process, on SQLite in a temporary folder."
        ),
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option(help="The webhook secret (default: the one the deployment sets)."),
    ] = None,
    api_host: Annotated[
        str, typer.Option(help="Where the stand-in Bot API listens (with --url).")
    ] = "127.0.0.1",
    api_port: Annotated[
        int | None,
        typer.Option(help=f"Its port (with --url; default {DEFAULT_API_PORT}, else any)."),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            help="The deployment's DATABASE_URL, to check the cases filed (with --url; "
            "default: check the case numbers the bot sent)."
        ),
    ] = None,
    wait: Annotated[
        float, typer.Option(help="Seconds to wait for the deployment's setWebhook.")
    ] = 300.0,
) -> None:
    """Simulated claimants complete the default interview through a deployment's webhook;
    then throughput, latency percentiles, errors and a check of the cases filed.

    With --url, the deployment must run with TELEGRAM_API_BASE_URL pointing at this
    command's stand-in Bot API (printed at start): its replies come back here. Its cases are
    real cases in its database: rehearse on a staging database, not the live one.
    """
    from bot.rehearsal import Plan, RehearsalError
    from bot.rehearsal import rehearse as run_rehearsal

    if url is None and database_url is not None:
        typer.echo("--database-url goes with --url (a deployment of its own is checked)", err=True)
        raise typer.Exit(2)
    port = api_port if api_port is not None else (DEFAULT_API_PORT if url else 0)
    plan = Plan(
        claimants=claimants,
        concurrency=concurrency,
        url=url,
        secret=secret,
        api_host=api_host,
        api_port=port,
        database_url=database_url,
        wait=wait,
    )
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    for name in ("httpx", "httpcore"):  # their request lines hold the bot token
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        summary = asyncio.run(run_rehearsal(plan, say=lambda line: typer.echo(line, err=True)))
    except RehearsalError as exc:
        typer.echo(f"rehearsal: {exc}", err=True)
        raise typer.Exit(3) from None
    for line in summary.lines():
        typer.echo(line)
    if not summary.ok:
        raise typer.Exit(1)
