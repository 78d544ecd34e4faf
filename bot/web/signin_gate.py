"""Deny by default: every path needs a signed-in account except the few public ones."""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

PUBLIC_PATHS = ("/sign-in", "/account/setup/", "/preferences", "/static/", "/healthz")
"""What a signed-out visitor may reach; the claimants' web chat will add its own prefix.
A new console page needs nothing to be protected: it is, unless listed here."""


def is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PATHS)


class SignInGate:
    """Sends a signed-out browser to the sign-in page (and back there after, for a GET)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope["path"]) or scope.get("account"):
            await self.app(scope, receive, send)
            return
        target = "/sign-in"
        if scope["method"] == "GET" and scope["path"] != "/":
            target += "?next=" + quote(scope["path"], safe="/")
        await RedirectResponse(target, status_code=303)(scope, receive, send)
