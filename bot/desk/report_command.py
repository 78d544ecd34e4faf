"""`complaintbot report`: the figures Kakao promised, reproducible from the raw cases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from bot.settings import get_settings

FORMATS = ("json", "md", "html")


def report(
    format: Annotated[str, typer.Option("--format", help="json, md or html.")] = "json",
    out: Annotated[Path | None, typer.Option(help="File to write (default: print).")] = None,
    flow: Annotated[str | None, typer.Option(help="Flow id (default: DEFAULT_FLOW).")] = None,
    since: Annotated[str | None, typer.Option(help="First incident day, 2022-10-15.")] = None,
    until: Annotated[str | None, typer.Option(help="Last incident day, 2022-10-21.")] = None,
    public: Annotated[
        bool, typer.Option("--public", help="What may be published: groups under 5 hidden.")
    ] = False,
    png: Annotated[Path | None, typer.Option(help="Also write each chart as PNG here.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of labels (ko, en).")] = None,
) -> None:
    """Totals, counts, crossings, amounts, Kakao's split, the funnel and the cases set apart."""
    if format not in FORMATS:
        typer.echo(f"unknown report format {format!r}; one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    # Imported here: Altair takes a while to load, and other commands need none of it.
    from bot.desk.charts import chart_specs, write_pngs
    from bot.desk.opening import open_desk
    from bot.desk.report_document import build_report
    from bot.desk.report_html import render_html
    from bot.desk.report_markdown import render_markdown

    desk, flow_id = open_desk(flow)
    settings = get_settings()
    try:
        document = build_report(
            desk.store,
            desk.flows[flow_id],
            language=lang,
            since=_day(since),
            until=_day(until),
            public=public,
            idle=dt.timedelta(hours=settings.abandon_after_hours),
        )
    finally:
        desk.store.close()
    if format == "json":
        text = json.dumps(document, ensure_ascii=False, indent=2)
    elif format == "md":
        text = render_markdown(document)
    else:
        text = render_html(document)
    if out is None:
        if format == "html":
            out = Path(f"{flow_id}-report.html")
        else:
            typer.echo(text)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"report -> {out}", err=True)
    if png is not None:
        for path in write_pngs(chart_specs(document), png):
            typer.echo(f"chart -> {path}", err=True)


def _day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a day like 2022-10-19") from None
