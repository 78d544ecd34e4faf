"""Drawing a chat page: the widget shape of the current prompt, in the base layout."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bot.web import chat_keys
from bot.web.chat_context import chat_of
from bot.web.chat_words import chat_word
from bot.web.context import console_of
from bot.web.pages import local_time, render
from bot.web.words import LANGUAGE_NAMES, LANGUAGES
from flows import message
from flows.messages import MESSAGES
from flows.prompt import Prompt

TITLES = {
    "welcome": "chat_title",
    "question": "chat_title",
    "end": "chat_case_title",
    "cases": "chat_my_cases",
    "mydata": "chat_my_data",
    "limited": "chat_limited_title",
}


def case_status(status: str, language: str) -> str:
    code = f"telegram.case.{status}"
    return message(code, language) if code in MESSAGES else status


def render_chat(
    request: Request,
    view: str,
    language: str,
    *,
    status_code: int = 200,
    code: str | None = None,
    prompt: Prompt | None = None,
    last: dict[str, Any] | None = None,
    **context: Any,
) -> Response:
    """``view`` of chat.html in ``language`` (the interview's, once one is under way)."""

    def w(key: str, **values: Any) -> str:
        return chat_word(language, key, **values)

    def m(key: str, **values: Any) -> str:
        return message(key, language, **values)

    settings = console_of(request).settings
    max_mb = chat_of(request).max_upload_bytes / (1024 * 1024)
    values = {
        "view": view,
        "lang": language,
        "t": w,
        "m": m,
        "title_text": w(TITLES[view]),
        "product_name": w("chat_product"),
        "prompt": prompt,
        "last": last or {},
        "code": chat_keys.shown(code) if code else None,
        "cookie_days": chat_keys.COOKIE_DAYS,
        "session_hours": int(settings.web_session_hours),
        "max_mb": f"{max_mb:g}",
        "max_bytes": chat_of(request).max_upload_bytes,
        "chat_languages": [(c, LANGUAGE_NAMES[c]) for c in LANGUAGES if c != language],
        "other_languages": [],
        "case_status": lambda status: case_status(status, language),
        "local_time": local_time,
        "resume_error": None,
    }
    return render(
        request, "chat.html", title="product", status_code=status_code, **(values | context)
    )
