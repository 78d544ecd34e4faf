"""The review forms of a case page: lock, unlock, status, assignment, note (plain POSTs).

Each goes through the operators' store (the same review machine as ``complaintbot cases``),
which records the change in the case's history; a refusal (another operator's lock, a move
the review table does not have, a missing reason) comes back as a message at the field."""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.context import account_of, console_of
from bot.web.pages import flash
from storage.account_store import actor_of
from storage.errors import CaseLocked, IllegalTransition, UnknownCase
from storage.operator_store import OperatorStore

Action = Callable[[OperatorStore, str, str], None]


def _back(reference: str) -> RedirectResponse:
    return RedirectResponse(f"/cases/{reference}", status_code=303)


async def _act(request: Request, action: Action, done: str, field: str | None = None) -> Response:
    reference = request.path_params["reference"]
    account = account_of(request)
    if account is None:  # the gate lets no one through signed out; never rely on it alone
        return RedirectResponse("/sign-in", status_code=303)
    ops = console_of(request).intake.store.operators
    failed: dict[str, str] = {}
    try:
        await run_in_threadpool(action, ops, reference, actor_of(account))
    except CaseLocked:
        failed = {field or "lock": "case_locked_error"}
    except IllegalTransition:
        failed = {"status": "case_illegal_move"}
    except UnknownCase:
        return RedirectResponse("/cases", status_code=303)
    except _Missing as missing:
        failed = {missing.field: missing.words}
    if failed:
        request.session["case_errors"] = failed
    else:
        flash(request, done)
    return _back(reference)


class _Missing(Exception):
    def __init__(self, field: str, words: str) -> None:
        super().__init__(field)
        self.field, self.words = field, words


async def lock_case(request: Request) -> Response:
    def take(ops: OperatorStore, reference: str, actor: str) -> None:
        ops.lock(reference, actor=actor)

    return await _act(request, take, "case_done_lock")


async def unlock_case(request: Request) -> Response:
    def give_back(ops: OperatorStore, reference: str, actor: str) -> None:
        ops.unlock(reference, actor=actor)

    return await _act(request, give_back, "case_done_unlock")


async def mark_case(request: Request) -> Response:
    form = await request.form()
    status = str(form.get("status", ""))
    reason = str(form.get("reason", "")).strip()
    original = str(form.get("duplicate_of", "")).strip() or None

    def mark(ops: OperatorStore, reference: str, actor: str) -> None:
        if not reason:
            raise _Missing("reason", "case_need_reason")
        ops.set_status(reference, status, actor=actor, reason=reason, duplicate_of=original)

    return await _act(request, mark, "case_done_mark", "status")


async def assign_case(request: Request) -> Response:
    form = await request.form()
    operator = str(form.get("operator", "")).strip() or None
    return await _act(
        request,
        lambda ops, ref, actor: ops.assign(ref, operator, actor=actor),
        "case_done_assign",
        "operator",
    )


async def note_case(request: Request) -> Response:
    form = await request.form()
    text = str(form.get("note", "")).strip()

    def add(ops: OperatorStore, reference: str, actor: str) -> None:
        if not text:
            raise _Missing("note", "case_need_note")
        ops.note(reference, text, actor=actor)

    return await _act(request, add, "case_done_note", "note")
