"""A dry-run chat with a flow on its page: the same engine, plain form round trips, nothing
stored. The conversation's state and the transcript travel in the form itself, so a dry run
leaves no row, no case and no cookie behind."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from bot.web.context import console_of
from bot.web.flow_desk import editing
from bot.web.flow_pages import flow_id_of
from bot.web.pages import render
from bot.web.preferences import language_of
from bot.web.roles import admin_only
from flows import (
    Back,
    Choose,
    Conversation,
    Done,
    Interview,
    LoadedFlow,
    Outcome,
    Skip,
    Submit,
    Text,
    Toggle,
    UserInput,
)

TRANSCRIPT = 40
"""Lines of the dry run kept on the page (older ones scroll away)."""


@dataclass(frozen=True)
class Said:
    who: str
    """``bot`` or ``you``."""
    text: str
    lang: str


def _input(form: FormData) -> UserInput | None:
    if form.get("choose"):
        return Choose(str(form["choose"]))
    if form.get("toggle"):
        return Toggle(str(form["toggle"]))
    simple = {"done": Done, "skip": Skip, "back": Back, "submit": Submit}
    for key, kind in simple.items():
        if form.get("action") == key:
            return kind()
    typed = str(form.get("text", "")).strip()
    return Text(typed) if typed else None


def _transcript(form: FormData) -> list[Said]:
    try:
        lines = json.loads(str(form.get("transcript", "[]")))
        return [Said(str(w), str(t), str(lang)) for w, t, lang in lines][-TRANSCRIPT:]
    except (ValueError, TypeError):
        return []


def _said_of(given: UserInput, outcome: Outcome) -> str:
    if outcome.echo:
        return outcome.echo
    if isinstance(given, Text):
        return given.text
    return type(given).__name__.lower()


def _state(form: FormData) -> Conversation | None:
    try:
        return Conversation.from_json(str(form.get("state", "")))
    except (ValidationError, ValueError):
        return None


def _fresh(interview: Interview, language: str) -> tuple[Outcome, list[Said]]:
    outcome = interview.start(language)
    return outcome, [Said("bot", outcome.prompt.text, outcome.prompt.language)]


def dry_run_step(
    loaded: LoadedFlow, form: FormData | None, language: str
) -> tuple[Outcome, list[Said], bool]:
    """One round trip of the dry run; True when it started over because the flow changed."""
    interview = Interview(loaded)
    if form is None or form.get("restart"):
        return (*_fresh(interview, language), False)
    state = _state(form)
    if state is None or state.flow_version != loaded.version:
        return (*_fresh(interview, language), True)
    transcript = _transcript(form)
    given = _input(form)
    if given is None or state.status != "active":
        return Outcome(state, interview.prompt(state), "ignored"), transcript, False
    outcome = interview.answer(state, given)
    transcript.append(Said("you", _said_of(given, outcome), state.language))
    if outcome.error:
        transcript.append(Said("bot", outcome.error, outcome.state.language))
    if outcome.prompt.step != state.step or not outcome.error:
        transcript.append(Said("bot", outcome.prompt.text, outcome.prompt.language))
    return outcome, transcript[-TRANSCRIPT:], False


async def _page(request: Request, form: FormData | None) -> Response:
    flow_id = await flow_id_of(request)
    intake = console_of(request).intake
    state = await run_in_threadpool(editing, intake, flow_id)
    outcome, transcript, restarted = dry_run_step(state.shown, form, language_of(request))
    return render(
        request,
        "flow_dry_run.html",
        title="dry_run_title",
        flow_id=flow_id,
        on_draft=state.checked is not None,
        version=state.shown.version,
        outcome=outcome,
        prompt=outcome.prompt,
        transcript=transcript,
        transcript_json=json.dumps([[s.who, s.text, s.lang] for s in transcript]),
        restarted=restarted,
    )


@admin_only
async def dry_run_page(request: Request) -> Response:
    return await _page(request, None)


@admin_only
async def dry_run_answer(request: Request) -> Response:
    return await _page(request, await request.form())
