"""Which staff may open what: some pages are for admins only (sign-in itself is required
everywhere but the public paths, by ``bot.web.signin_gate``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.context import account_of
from bot.web.pages import render

Endpoint = Callable[[Request], Awaitable[Response]]


def admin_only(endpoint: Endpoint) -> Endpoint:
    """An operator gets a friendly 403 page, not the admin page."""

    @wraps(endpoint)
    async def guarded(request: Request) -> Response:
        account = account_of(request)
        if account is None:  # the gate lets no one through signed out; never rely on it alone
            return RedirectResponse("/sign-in", status_code=303)
        if not account.is_admin:
            return render(
                request, "error.html", title="forbidden_title", message="forbidden", status_code=403
            )
        return await endpoint(request)

    return guarded
