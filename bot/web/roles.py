"""Who may open what: signed-in staff only, and some pages for admins only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.context import account_of
from bot.web.pages import render

Endpoint = Callable[[Request], Awaitable[Response]]


def signed_in(endpoint: Endpoint) -> Endpoint:
    """Signed out, a console page sends the browser to the sign-in page (and back after)."""

    @wraps(endpoint)
    async def guarded(request: Request) -> Response:
        if account_of(request) is None:
            target = "/sign-in"
            if request.method == "GET" and request.url.path != "/":
                target += "?next=" + quote(request.url.path, safe="/")
            return RedirectResponse(target, status_code=303)
        return await endpoint(request)

    guarded.signed_in = True  # type: ignore[attr-defined]
    return guarded


def admin_only(endpoint: Endpoint) -> Endpoint:
    """An operator gets a friendly 403 page, not the admin page."""

    @signed_in
    @wraps(endpoint)
    async def guarded(request: Request) -> Response:
        account = account_of(request)
        if account is None or not account.is_admin:
            return render(
                request, "error.html", title="forbidden_title", message="forbidden", status_code=403
            )
        return await endpoint(request)

    guarded.admin_only = True  # type: ignore[attr-defined]
    return guarded
