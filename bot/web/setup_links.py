"""The one-time links: the first admin's, and an account's choose-your-password link."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.context import console_of
from bot.web.pages import flash, render
from bot.web.sign_in import address_key, start_session
from storage.account_store import LinkInvalid
from storage.accounts import AccountError

FIELD_OF_ERROR = {"invalid_name": "name", "name_taken": "name", "weak_password": "password"}


async def setup_page(request: Request) -> Response:
    token = request.path_params["token"]
    found = await run_in_threadpool(console_of(request).accounts.link, token)
    if found is None:
        return _invalid(request)
    link, account = found
    return render(
        request, "setup.html", title=_title(link.purpose), purpose=link.purpose, for_account=account
    )


async def setup(request: Request) -> Response:
    token = request.path_params["token"]
    accounts = console_of(request).accounts
    found = await run_in_threadpool(accounts.link, token)
    if found is None:
        return _invalid(request)
    link, account = found
    form = await request.form()
    name = str(form.get("name", "")).strip() if account is None else account.name
    password = str(form.get("password", ""))
    repeat = str(form.get("repeat", ""))
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "field_required"
    if not password:
        errors["password"] = "field_required"
    elif password != repeat:
        errors["repeat"] = "passwords_differ"
    if not errors:
        try:
            if link.purpose == "first_admin":
                await run_in_threadpool(accounts.create_first_admin, token, name, password)
            else:
                await run_in_threadpool(accounts.set_password_with_link, token, password)
        except LinkInvalid:
            return _invalid(request)
        except AccountError as exc:
            errors[FIELD_OF_ERROR.get(exc.code, "password")] = exc.code
    if errors:
        return render(
            request,
            "setup.html",
            title=_title(link.purpose),
            status_code=400,
            purpose=link.purpose,
            for_account=account,
            errors=errors,
            values={"name": name},
        )
    signed = await run_in_threadpool(
        accounts.sign_in, name, password, address_key=address_key(request)
    )
    if signed.token is not None:
        start_session(request, signed.token)
    if link.purpose == "first_admin":
        flash(request, "welcome_admin", name=name.lower())
    else:
        flash(request, "password_saved")
    return RedirectResponse("/", status_code=303)


def _title(purpose: str) -> str:
    return "setup_first_admin_title" if purpose == "first_admin" else "set_password_title"


def _invalid(request: Request) -> Response:
    return render(
        request, "error.html", title="link_invalid_title", message="link_invalid", status_code=410
    )
