"""CSRF protection for every unsafe request: a token bound to the session, on every form.

The check runs before any endpoint, so no form can forget it. The body is read once (up to a
limit), checked, and handed on unchanged to the endpoint.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_BODY = 1024 * 1024
"""Console forms are small; uploads (web chat evidence) will need their own, larger limit."""

Refusal = Callable[[Request, str], Awaitable[Response]]
"""Renders the friendly page for a refused request: reason "csrf" or "too_large"."""


def session_token(session: dict[str, object]) -> str:
    """The session's CSRF token, made on first use (forms put it in a hidden field)."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


class CsrfProtection:
    def __init__(self, app: ASGIApp, *, refuse: Refusal, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.refuse = refuse
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        body = await self._read(receive)
        if body is None:
            await self._refuse(scope, "too_large", send)
            return
        replay = _replaying(body)
        expected = scope.get("session", {}).get("csrf")
        given = await self._given(scope, body, replay)
        if not (
            isinstance(expected, str)
            and given
            and hmac.compare_digest(given.encode(), expected.encode())
        ):
            await self._refuse(scope, "csrf", send)
            return
        await self.app(scope, _replaying(body), send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"".join(chunks)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _given(self, scope: Scope, body: bytes, replay: Receive) -> str | None:
        headers = Headers(scope=scope)
        if HEADER in headers:
            return headers[HEADER]
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":
            values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get(FIELD)
            return values[0] if values else None
        if kind == "multipart/form-data":
            form = await Request(scope, replay).form()
            value = form.get(FIELD)
            await form.close()
            return value if isinstance(value, str) else None
        return None

    async def _refuse(self, scope: Scope, reason: str, send: Send) -> None:
        response = await self.refuse(Request(scope, _replaying(b"")), reason)
        await response(scope, _replaying(b""), send)


def _replaying(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
