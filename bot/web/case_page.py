"""One case for an operator: answers in clear (the view is audited), attachments, links,
the review history and the review forms (lock, status, assignment, note)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.web.context import account_of, console_of
from bot.web.pages import render
from bot.web.preferences import display_of
from flows import message
from flows.answers import display
from storage.account_store import actor_of
from storage.case_lists import CaseEvent, CaseLink, lock_of
from storage.records import CaseRecord
from storage.review import MOVES


@dataclass(frozen=True)
class Answer:
    label: str
    shown: str
    lang: str
    """The language the claimant answered in (labels are the flow's, in that language)."""


@dataclass(frozen=True)
class CaseView:
    case: CaseRecord
    answers: list[Answer]
    links: list[CaseLink]
    history: list[CaseEvent]
    locked_by: str | None
    locked_until: dt.datetime | None
    moves: list[str]


def moves_from(status: str) -> list[str]:
    """The statuses a case may move to from ``status`` (storage.review's table)."""
    found = []
    for move in MOVES:
        sources = move["source"] if isinstance(move["source"], list) else [move["source"]]
        if status in sources and move["dest"] not in found:
            found.append(move["dest"])
    return found


REVIEW_REASON = "case review in the web console"


def read_case(request: Request, reference: str, language: str) -> CaseView | None:
    """The whole case, personal data included: audited and access-logged as a view by the
    signed-in account, for the purpose the detail page serves (reviewing the case)."""
    console = console_of(request)
    store = console.intake.store
    case = store.case(reference, actor=actor_of(account_of(request)), reason=REVIEW_REASON)
    if case is None:
        return None
    ops = store.operators
    flow = ops.flows_get(case.flow_id, case.flow_version)
    lang = case.answers.get("language") if case.answers.get("language") in flow.languages else None
    lang = lang or (language if language in flow.languages else flow.default_language)
    answers = []
    for _, step in flow.asking_steps():
        value = case.answers.get(step.field)
        if value is None:
            continue
        label = step.label or step.text
        shown = display(step, value, lang)
        if step.field in case.estimates:
            shown += " " + message("answer.estimate", lang)
        answers.append(Answer(label.get(lang) or next(iter(label.values())), shown, lang))
    with store.engine.connect() as conn:
        locked_by, locked_until = lock_of(conn, reference)
    return CaseView(
        case,
        answers,
        ops.links(reference),
        ops.history(reference),
        locked_by,
        locked_until,
        moves_from(case.status),
    )


async def case_page(request: Request) -> Response:
    reference = request.path_params["reference"]
    view = await run_in_threadpool(read_case, request, reference, display_of(request).language)
    if view is None:
        return render(
            request,
            "error.html",
            title="not_found_title",
            message="case_not_found",
            status_code=404,
        )
    now = dt.datetime.now(dt.UTC)
    live_lock = view.locked_by if view.locked_until and view.locked_until > now else None
    account = account_of(request)
    return render(
        request,
        "case.html",
        title="case_title",
        view=view,
        case=view.case,
        lock_holder=live_lock,
        mine=live_lock is not None and account is not None and live_lock == actor_of(account),
        errors=request.session.pop("case_errors", {}),
    )
