"""The accounts page (admins): who may use the console; adding, links, disabling."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.context import account_of, console_of
from bot.web.pages import flash, render
from bot.web.roles import admin_only
from storage.account_store import LINK_LIFETIME, actor_of
from storage.accounts import AccountError
from storage.tables import ACCOUNT_ROLES


def _actor(request: Request) -> str:
    account = account_of(request)
    assert account is not None  # admin_only let the request through
    return actor_of(account)


async def _listing(request: Request, **context: object) -> Response:
    staff = await run_in_threadpool(console_of(request).accounts.listing)
    status_code = 400 if context.get("errors") else 200
    return render(
        request,
        "accounts.html",
        title="users_title",
        staff=staff,
        roles=ACCOUNT_ROLES,
        status_code=status_code,
        **context,
    )


@admin_only
async def accounts_page(request: Request) -> Response:
    return await _listing(request)


@admin_only
async def add_account(request: Request) -> Response:
    form = await request.form()
    name = str(form.get("name", "")).strip()
    role = str(form.get("role", "operator"))
    accounts = console_of(request).accounts
    if not name:
        return await _listing(request, errors={"name": "field_required"}, values={"name": name})
    try:
        added = await run_in_threadpool(lambda: accounts.add(name, role, actor=_actor(request)))
        token = await run_in_threadpool(
            lambda: accounts.password_link(added.name, actor=_actor(request))
        )
    except AccountError as exc:
        return await _listing(request, errors={"name": exc.code}, values={"name": name})
    return _show_link(request, added.name, token)


@admin_only
async def new_link(request: Request) -> Response:
    name = request.path_params["name"]
    accounts = console_of(request).accounts
    try:
        token = await run_in_threadpool(lambda: accounts.password_link(name, actor=_actor(request)))
    except AccountError as exc:
        flash(request, exc.code)
        return RedirectResponse("/users", status_code=303)
    return _show_link(request, name, token)


@admin_only
async def disable_account(request: Request) -> Response:
    name = request.path_params["name"]
    accounts = console_of(request).accounts
    try:
        await run_in_threadpool(lambda: accounts.disable(name, actor=_actor(request)))
    except AccountError as exc:
        flash(request, exc.code)
    else:
        flash(request, "disabled_done", name=name)
    return RedirectResponse("/users", status_code=303)


@admin_only
async def enable_account(request: Request) -> Response:
    name = request.path_params["name"]
    accounts = console_of(request).accounts
    try:
        await run_in_threadpool(lambda: accounts.enable(name, actor=_actor(request)))
    except AccountError as exc:
        flash(request, exc.code)
    else:
        flash(request, "enabled_done", name=name)
    return RedirectResponse("/users", status_code=303)


def _show_link(request: Request, name: str, token: str) -> Response:
    url = f"{console_of(request).public_url}/account/setup/{token}"
    hours = int(LINK_LIFETIME.total_seconds() // 3600)
    return render(request, "account_link.html", title="link_title", name=name, url=url, hours=hours)
