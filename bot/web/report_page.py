"""The operators' report as a console page: the document ``complaintbot report`` builds, its
tables in the console's layout and its charts as PNG files (no script under the CSP)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.web.context import console_of
from bot.web.pages import render
from bot.web.preferences import display_of

CHART_NAMES = ("by_service", "by_harm", "timeline", "amounts")


def report_document(request: Request, public: bool) -> dict[str, Any]:
    """The same figures as ``complaintbot report`` (bot.desk.report_document.build_report)."""
    from bot.desk.report_document import build_report  # Altair loads slowly: on first use

    console = console_of(request)
    intake = console.intake
    flow = intake.interview(intake.default_flow).flow
    language = display_of(request).language
    return build_report(
        intake.store,
        flow,
        language=language if language in flow.languages else None,
        public=public,
        idle=dt.timedelta(hours=console.settings.abandon_after_hours),
    )


def _public(request: Request) -> bool:
    return request.query_params.get("public") == "1"


async def report_page(request: Request) -> Response:
    from bot.desk.charts import chart_specs

    public = _public(request)
    document = await run_in_threadpool(report_document, request, public)
    charts = [(name, spec.get("title") or name) for name, spec in chart_specs(document).items()]
    return render(
        request,
        "report.html",
        title="report_public_title" if public else "report_title",
        doc=document,
        charts=charts,
        public=public,
        query="?public=1" if public else "",
        zip=zip,
    )


def _chart_png(request: Request, name: str, public: bool) -> bytes | None:
    import vl_convert

    from bot.desk.charts import chart_specs

    spec = chart_specs(report_document(request, public)).get(name)
    return None if spec is None else vl_convert.vegalite_to_png(spec, scale=1.5)


async def report_chart(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in CHART_NAMES:
        return Response(status_code=404)
    png = await run_in_threadpool(_chart_png, request, name, _public(request))
    if png is None:
        return Response(status_code=404)
    return Response(png, media_type="image/png")
