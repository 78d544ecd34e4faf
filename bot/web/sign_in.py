"""Signing in and out of the console."""

from __future__ import annotations

import hashlib
import hmac

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.context import account_of, console_of
from bot.web.csrf import session_token
from bot.web.pages import flash, render
from bot.web.preferences import local_path
from bot.web.session_account import SESSION_KEY


def address_key(request: Request) -> str:
    """The client's address as a rate-limit key: keyed-hashed, so no address is stored."""
    host = request.client.host if request.client else "unknown"
    secret = console_of(request).address_secret
    return "address:" + hmac.new(secret, host.encode(), hashlib.sha256).hexdigest()[:40]


def start_session(request: Request, token: str) -> None:
    """A fresh cookie session for the signed-in account: no state survives from before."""
    request.session.clear()
    request.session[SESSION_KEY] = token
    session_token(request.session)


async def sign_in_page(request: Request) -> Response:
    if account_of(request) is not None:
        return RedirectResponse("/", status_code=303)
    next_path = local_path(request.query_params.get("next"))
    return render(request, "sign_in.html", title="sign_in_title", next_path=next_path)


async def sign_in(request: Request) -> Response:
    form = await request.form()
    name = str(form.get("name", "")).strip()
    password = str(form.get("password", ""))
    next_path = local_path(str(form.get("next", "/")))
    errors = {
        field: "field_required"
        for field, value in (("name", name), ("password", password))
        if not value
    }
    if errors:
        return render(
            request,
            "sign_in.html",
            title="sign_in_title",
            status_code=400,
            errors=errors,
            values={"name": name},
            next_path=next_path,
        )
    console = console_of(request)
    result = await run_in_threadpool(
        console.accounts.sign_in, name, password, address_key=address_key(request)
    )
    if result.token is None:
        minutes = int(console.accounts.limits.window.total_seconds() // 60)
        return render(
            request,
            "sign_in.html",
            title="sign_in_title",
            status_code=429 if result.limited else 400,
            errors={"password": "sign_in_limited" if result.limited else "sign_in_failed"},
            error_values={"minutes": minutes},
            values={"name": name},
            next_path=next_path,
        )
    start_session(request, result.token)
    return RedirectResponse(next_path, status_code=303)


async def sign_out(request: Request) -> Response:
    account = account_of(request)
    token = request.session.get(SESSION_KEY)
    if account is not None and isinstance(token, str):
        await run_in_threadpool(console_of(request).accounts.sign_out, token, account)
    request.session.clear()
    flash(request, "signed_out")
    return RedirectResponse("/sign-in", status_code=303)
