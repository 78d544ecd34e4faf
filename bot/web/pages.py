"""Rendering a page: the base layout's context (language, display, account, CSRF, messages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bot.web.context import account_of, console_of
from bot.web.csrf import session_token
from bot.web.preferences import display_of
from bot.web.words import LANGUAGE_NAMES, LANGUAGES, translate
from flows.zone import DEFAULT_ZONE

DISPLAY_ZONE = DEFAULT_ZONE
"""Times on console pages are shown in the flows' default zone (Korean time), the zone of the
people using it."""


def flash(request: Request, key: str, **values: Any) -> None:
    """A message for the next page shown to this browser (after a redirect)."""
    pending = list(request.session.get("flash", []))
    pending.append([key, values])
    request.session["flash"] = pending[-5:]


def local_time(moment: dt.datetime) -> str:
    return moment.astimezone(DISPLAY_ZONE).strftime("%Y-%m-%d %H:%M %Z")


def render(
    request: Request,
    template: str,
    *,
    title: str,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """``template`` inside the base layout; ``title`` is a words key (the page's h1), unless
    ``title_text`` gives the heading ready-made (pages with their own words, the web chat)."""
    display = display_of(request)
    language = display.language

    def t(key: str, **values: Any) -> str:
        return translate(language, key, **values)

    messages = [t(key, **values) for key, values in request.session.pop("flash", [])]
    base = {
        "lang": language,
        "display": display,
        "t": t,
        "title": context.pop("title_text", None) or t(title),
        "account": account_of(request),
        "csrf_token": session_token(request.session),
        "messages": messages,
        "path": request.url.path,
        "other_languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES if code != language],
        "local_time": local_time,
        "errors": {},
        "error_values": {},
        "values": {},
    }
    templates = console_of(request).templates
    return templates.TemplateResponse(request, template, base | context, status_code=status_code)
