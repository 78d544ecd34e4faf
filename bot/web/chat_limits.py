"""The web chat's requests, limited per (hashed) address in the database."""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.web.chat_context import RESUME_TRIES, RESUME_WINDOW, chat_of
from bot.web.chat_view import render_chat
from bot.web.context import console_of
from bot.web.preferences import language_of
from bot.web.sign_in import address_key
from storage import request_limits

A_MINUTE = dt.timedelta(minutes=1)


async def within_limit(request: Request, *, resume: bool = False) -> Response | None:
    """None when the request may go on; else the friendly 429 page (with Retry-After).

    Every chat request counts against the per-minute limit; resume-code attempts also
    against their own, much smaller one (a wrong guess costs as much as a right one)."""
    hashed = address_key(request).split(":", 1)[1]
    engine = console_of(request).intake.store.engine
    per_minute = chat_of(request).requests_per_minute
    allowed = await run_in_threadpool(
        request_limits.take, engine, f"chat:{hashed}", limit=per_minute, window=A_MINUTE
    )
    if allowed and resume:
        allowed = await run_in_threadpool(
            request_limits.take,
            engine,
            f"resume:{hashed}",
            limit=RESUME_TRIES,
            window=RESUME_WINDOW,
        )
        if not allowed:
            return render_chat(
                request,
                "welcome",
                language_of(request),
                status_code=429,
                resume_error="chat_resume_limited",
            )
    if allowed:
        return None
    response = render_chat(request, "limited", language_of(request), status_code=429)
    response.headers["retry-after"] = "60"
    return response
