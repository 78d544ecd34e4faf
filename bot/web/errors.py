"""Friendly error pages in the visitor's language; the log gets the type, never a trace
with personal data, and the visitor never sees a stack trace."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.intake import UNAVAILABLE
from bot.web.pages import render

log = logging.getLogger(__name__)

PAGES = {
    403: ("forbidden_title", "forbidden"),
    404: ("not_found_title", "not_found"),
    413: ("too_large_title", "too_large"),
}


async def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    title, message = PAGES.get(status, ("error_title", "error"))
    return render(request, "error.html", title=title, message=message, status_code=status)


async def server_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, UNAVAILABLE):
        log.warning("database unavailable: %s", type(exc).__name__)
        return render(
            request, "error.html", title="error_title", message="unavailable", status_code=503
        )
    log.error("web request failed: %s at %s", type(exc).__name__, request.url.path)
    return render(request, "error.html", title="error_title", message="error", status_code=500)


async def refused(request: Request, reason: str) -> Response:
    """For the CSRF check: a stale or forged form, or a body over the limit."""
    if reason == "too_large":
        return render(
            request, "error.html", title="too_large_title", message="too_large", status_code=413
        )
    return render(request, "error.html", title="csrf_title", message="csrf", status_code=403)


class FriendlyFailures:
    """Turns an exception in a page into the friendly 500/503 page, inside the middleware
    that adds the security headers (Starlette's own last-resort handler sits outside it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if started:
                raise
            response = await server_error(Request(scope), exc)
            await response(scope, receive, send)
