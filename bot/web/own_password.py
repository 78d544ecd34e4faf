"""A signed-in account changes its own password (the other browsers it has are signed out)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.context import account_of, console_of
from bot.web.pages import flash, render
from bot.web.session_account import SESSION_KEY
from bot.web.sign_in import address_key
from storage.accounts import AccountError

FIELD_OF_ERROR = {"wrong_password": "current", "weak_password": "password"}


async def password_page(request: Request) -> Response:
    return render(request, "password.html", title="change_password_title")


async def change_password(request: Request) -> Response:
    account = account_of(request)
    token = request.session.get(SESSION_KEY)
    assert account is not None and isinstance(token, str)  # the sign-in gate let it through
    form = await request.form()
    current, new, repeat = (str(form.get(f, "")) for f in ("current", "password", "repeat"))
    errors: dict[str, str] = {}
    for field, value in (("current", current), ("password", new)):
        if not value:
            errors[field] = "field_required"
    if new and new != repeat:
        errors["repeat"] = "passwords_differ"
    if not errors:
        accounts = console_of(request).accounts
        try:
            await run_in_threadpool(
                lambda: accounts.change_password(
                    account, current, new, keep_session=token, address_key=address_key(request)
                )
            )
        except AccountError as exc:
            errors[FIELD_OF_ERROR.get(exc.code, "password")] = exc.code
    if errors:
        return render(
            request, "password.html", title="change_password_title", errors=errors, status_code=400
        )
    flash(request, "password_changed")
    return RedirectResponse("/", status_code=303)
