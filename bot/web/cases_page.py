"""The cases table (operators and admins): filters, keyset pages, no personal data in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.web.context import console_of
from bot.web.pages import DISPLAY_ZONE, render
from bot.web.preferences import display_of
from storage.case_lists import CaseFilter, CasePage
from storage.tables import CASE_STATUSES

PAGE = 50
FILTER_DIMENSIONS = ("service", "harm", "claimant")
"""The flow's dimensions an operator filters by (their options come from the flow)."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class DimensionFilter:
    name: str
    label: str
    choices: list[Choice]
    chosen: str


def _day(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), DISPLAY_ZONE)


def dimension_filters(flow: Any, language: str, params: Any) -> list[DimensionFilter]:
    found = []
    for _, step in flow.asking_steps():
        options = getattr(step, "options", None)
        if step.dimension not in FILTER_DIMENSIONS or not options:
            continue
        label = step.label or step.text
        found.append(
            DimensionFilter(
                step.dimension,
                label.get(language) or next(iter(label.values())),
                [
                    Choice(o.value, o.label.get(language) or next(iter(o.label.values())))
                    for o in options
                ],
                params.get(step.dimension, ""),
            )
        )
    return found


async def cases_page(request: Request) -> Response:
    console = console_of(request)
    intake = console.intake
    flow_id = intake.default_flow
    flow = intake.interview(flow_id).flow
    params = request.query_params
    language = display_of(request).language
    dimensions = dimension_filters(flow, language, params)
    errors: dict[str, str] = {}
    since, until = _day(params.get("since", "")), _day(params.get("until", ""))
    for name, day in (("since", since), ("until", until)):
        if params.get(name) and day is None:
            errors[name] = "cases_bad_day"
    status = params.get("status", "")
    where = CaseFilter(
        flow_id,
        statuses=(status,) if status in CASE_STATUSES else (),
        values=tuple((d.name, d.chosen) for d in dimensions if d.chosen),
        since=_start_of(since) if since else None,
        until=_start_of(until + dt.timedelta(days=1)) if until else None,
        reference=params.get("q", "").strip() or None,
    )
    raw_after = params.get("after", "")
    after = int(raw_after) if raw_after.isdigit() else None
    page: CasePage = await run_in_threadpool(
        intake.store.operators.list_cases, where, after=after, limit=PAGE
    )
    kept = {k: v for k, v in params.items() if k != "after" and v}
    next_link = (
        "/cases?" + urlencode(kept | {"after": str(page.next_after)})
        if page.next_after is not None
        else None
    )
    return render(
        request,
        "cases.html",
        title="cases_title",
        lines=page.lines,
        dimensions=dimensions,
        statuses=CASE_STATUSES,
        values={k: params.get(k, "") for k in ("status", "since", "until", "q")},
        errors=errors,
        next_link=next_link,
        first_link=("/cases?" + urlencode(kept)) if after is not None else None,
        filtered=bool(kept),
    )
