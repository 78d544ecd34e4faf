"""The claimants' web chat: the interview of every channel, drawn as plain HTML forms.

A thin adapter over the intake, like the terminal and Telegram: a form becomes an engine
input, the reply's widget shape becomes a page. Every answer is a POST that redirects to
GET /chat (works without JavaScript). chat.js sends its answers by ``fetch`` with the header
``X-Chat-Fetch: 1``; such an answer is answered with the next page itself (marked
``X-Chat-Page: 1``), drawn from the intake's reply, so one answer is one request and one read
of the conversation. The claimant is known by a random resume code in a cookie; no personal
data goes into a URL.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.intake import Reply
from bot.web import chat_keys
from bot.web.chat_context import chat_of
from bot.web.chat_inputs import read_form
from bot.web.chat_limits import within_limit
from bot.web.chat_uploads import Refused, keep
from bot.web.chat_view import render_chat
from bot.web.context import console_of
from bot.web.preferences import A_YEAR, LANGUAGE_COOKIE, language_of
from bot.web.words import LANGUAGES
from flows import message

log = logging.getLogger(__name__)

CHANNEL = chat_keys.CHANNEL
LAST = "chat_last"
"""Session key: what the last answer did, shown once by the next GET /chat."""
ENDED = "chat_ended"
"""Session key: the end message and case number, shown until a new report starts."""


def _to_chat() -> RedirectResponse:
    return RedirectResponse("/chat", status_code=303)


FETCHED = "x-chat-fetch"
"""Request header chat.js sets: answer with the next page, not a redirect to it."""
PAGE = "X-Chat-Page"
"""Response header: this answer's body is the next chat page (chat.js swaps it in)."""


def _after_answer(request: Request, reply: Reply, code: str) -> Response:
    """What GET /chat would show after this reply: the page itself for chat.js, else a redirect."""
    if request.headers.get(FETCHED) != "1" or reply.prompt is None:
        return _to_chat()
    prompt = reply.prompt
    last: dict[str, Any] = request.session.pop(LAST, None) or {}
    if prompt.is_end:
        ended = request.session.get(ENDED)
        if not ended:
            return _to_chat()
        page = render_chat(request, "end", ended["language"], code=code, ended=ended)
    else:
        page = render_chat(request, "question", prompt.language, code=code, prompt=prompt,
                           last=last)  # fmt: skip
    page.headers[PAGE] = "1"
    return page


def _claimant(request: Request) -> tuple[str, str] | None:
    code = chat_keys.code_of(request)
    return (code, chat_keys.user_key(request, code)) if code else None


async def chat_page(request: Request) -> Response:
    """GET /chat: the current question, the end of a report, or the way in."""
    limited = await within_limit(request)
    if limited is not None:
        return limited
    claimant = _claimant(request)
    intake = console_of(request).intake
    last: dict[str, Any] = request.session.pop(LAST, None) or {}
    if claimant is None:
        return render_chat(request, "welcome", language_of(request), last=last)
    code, key = claimant
    prompt = await run_in_threadpool(intake.prompt, CHANNEL, key)
    if prompt is None:
        ended = request.session.get(ENDED)
        if ended:
            return render_chat(request, "end", ended["language"], code=code, ended=ended)
        return render_chat(request, "welcome", language_of(request), code=code, last=last)
    return render_chat(request, "question", prompt.language, code=code, prompt=prompt, last=last)


async def start(request: Request) -> Response:
    """POST /chat/start: begin (or resume) the interview; a new browser gets a new code."""
    limited = await within_limit(request)
    if limited is not None:
        return limited
    claimant = _claimant(request)
    code = claimant[0] if claimant else chat_keys.new_code()
    key = chat_keys.user_key(request, code)
    reply = await run_in_threadpool(
        console_of(request).intake.begin, CHANNEL, key, language=language_of(request)
    )
    request.session.pop(ENDED, None)
    request.session[LAST] = await _where_resumed(request, key) if reply.resumed else {}
    response = _to_chat()
    chat_keys.remember(request, response, code)
    return response


async def _where_resumed(request: Request, key: str) -> dict[str, Any]:
    stored = await run_in_threadpool(console_of(request).intake.store.current, CHANNEL, key)
    return {"resumed": len(stored.state.history) if stored else 0}


async def answer(request: Request) -> Response:
    """POST /chat/answer: one button press or typed answer."""
    limited = await within_limit(request)
    if limited is not None:
        return limited
    claimant = _claimant(request)
    if claimant is None:
        return _to_chat()
    given = read_form(await request.form())
    if given is None:
        return _to_chat()
    reply = await run_in_threadpool(console_of(request).intake.handle, CHANNEL, claimant[1], given)
    _remember_reply(request, reply)
    return _after_answer(request, reply, claimant[0])


async def upload(request: Request) -> Response:
    """POST /chat/upload: one evidence file, checked, kept, and handed to the intake."""
    limited = await within_limit(request)
    if limited is not None:
        return limited
    claimant = _claimant(request)
    if claimant is None:
        return _to_chat()
    chat = chat_of(request)
    form = await request.form()
    sent = form.get("file")
    try:
        if not isinstance(sent, UploadFile) or not sent.filename:
            raise Refused("empty")
        given = await run_in_threadpool(keep, sent, chat.upload_folder, chat.max_upload_bytes)
    except Refused as refused:
        request.session[LAST] = {"upload_error": refused.reason}
        return _to_chat()
    finally:
        await form.close()
    reply = await run_in_threadpool(console_of(request).intake.handle, CHANNEL, claimant[1], given)
    _remember_reply(request, reply)
    log.info("web chat evidence kept", extra={"channel": CHANNEL, "size": given.size})
    return _after_answer(request, reply, claimant[0])


def _remember_reply(request: Request, reply: Reply) -> None:
    prompt = reply.prompt
    outcome = reply.outcome
    last: dict[str, Any] = {
        "error": reply.error,
        "notice": reply.notice,
        "stale": reply.stale,
        "echo": outcome.echo if outcome and not reply.error else None,
        "result": outcome.result if outcome else None,
    }
    request.session[LAST] = {name: value for name, value in last.items() if value}
    if prompt is not None and prompt.is_end:
        request.session[ENDED] = {
            "language": prompt.language,
            "text": prompt.text,
            "case": reply.case_reference,
        }


async def resume(request: Request) -> Response:
    """POST /chat/resume: a resume code typed in; limited per address against guessing."""
    limited = await within_limit(request, resume=True)
    if limited is not None:
        return limited
    form = await request.form()
    typed = str(form.get("code", ""))
    code = chat_keys.normalise(typed)
    language = language_of(request)
    if code is None:
        return render_chat(
            request, "welcome", language, status_code=400, resume_error="chat_resume_bad"
        )
    key = chat_keys.user_key(request, code)
    intake = console_of(request).intake
    open_prompt = await run_in_threadpool(intake.prompt, CHANNEL, key)
    cases = await run_in_threadpool(intake.cases, CHANNEL, key)
    if open_prompt is None and not cases:
        return render_chat(
            request, "welcome", language, status_code=404, resume_error="chat_resume_unknown"
        )
    request.session.pop(ENDED, None)
    request.session[LAST] = await _where_resumed(request, key) if open_prompt else {}
    response = RedirectResponse("/chat" if open_prompt else "/chat/cases", status_code=303)
    chat_keys.remember(request, response, code)
    return response


async def switch_language(request: Request) -> Response:
    """POST /chat/language: the page and, when one is under way, the interview."""
    limited = await within_limit(request)
    if limited is not None:
        return limited
    language = str((await request.form()).get("language", ""))
    response = _to_chat()
    if language not in LANGUAGES:
        return response
    claimant = _claimant(request)
    intake = console_of(request).intake
    if claimant is not None and await run_in_threadpool(intake.prompt, CHANNEL, claimant[1]):
        reply = await run_in_threadpool(intake.switch_language, CHANNEL, claimant[1], language)
        _remember_reply(request, reply)
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=A_YEAR,
        httponly=True,
        samesite="lax",
        secure=console_of(request).settings.web_secure_cookies,
    )
    return response


async def my_cases(request: Request) -> Response:
    """GET /chat/cases: the cases filed under this browser's resume code, and nobody else's."""
    limited = await within_limit(request)
    if limited is not None:
        return limited
    claimant = _claimant(request)
    language = language_of(request)
    if claimant is None:
        return render_chat(request, "cases", language, cases=[])
    cases = await run_in_threadpool(console_of(request).intake.cases, CHANNEL, claimant[1])
    return render_chat(request, "cases", language, code=claimant[0], cases=cases)


async def my_data(request: Request) -> Response:
    """GET /chat/mydata: what is stored about this browser's claimant (/mydata, PIPA art. 35),
    known only by the resume code in its cookie: nobody else's data can be asked for."""
    limited = await within_limit(request)
    if limited is not None:
        return limited
    claimant = _claimant(request)
    language = language_of(request)
    if claimant is None:
        return render_chat(request, "mydata", language, parts=[message("mydata.none", language)])
    parts = await run_in_threadpool(console_of(request).intake.my_data, CHANNEL, claimant[1],
                                    language)  # fmt: skip
    return render_chat(request, "mydata", language, code=claimant[0], parts=parts)


async def forget(request: Request) -> Response:
    """POST /chat/forget: this browser drops the code (the report itself stays)."""
    request.session.pop(ENDED, None)
    request.session.pop(LAST, None)
    request.session[LAST] = {"forgotten": True}
    response = _to_chat()
    chat_keys.forget(response)
    return response
