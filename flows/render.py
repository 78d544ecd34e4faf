"""Building the channel-neutral Prompt for a conversation's current step."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from flows.answers import display
from flows.messages import instruction, localized, message
from flows.prompt import SHAPES, Confirm, End, Prompt, PromptOption, SummaryLine
from flows.schema import Flow
from flows.state import Conversation
from flows.steps import AskingBase


def render_prompt(
    flow: Flow, state: Conversation, max_failures: int, path: list[str] | None = None
) -> Prompt:
    """The current question in the conversation's language, as the widget shape its step's
    kind names, with what the claimant may do."""
    lang = state.language
    if state.status == "cancelled":
        return End(
            step=state.step,
            kind="end",
            text=message("cancelled", lang),
            language=lang,
            turn=state.turn,
            can_cancel=False,
        )
    if state.cancelling:
        return Confirm(
            step=state.step,
            kind="cancel",
            text=message("cancel.ask", lang),
            language=lang,
            turn=state.turn,
            options=(
                PromptOption("yes", message("cancel.yes", lang)),
                PromptOption("no", message("cancel.no", lang)),
            ),
            can_cancel=False,
        )
    step = flow.steps[state.step]
    is_end = step.is_end
    given: dict[str, Any] = {
        "step": state.step,
        "kind": step.kind,
        "text": _text(step.text, lang, flow, state.buttons),
        "language": lang,
        "turn": state.turn,
        "help": _text(step.help, lang, flow, state.buttons) if step.help else None,
        "hint": instruction(step.hint, lang, state.buttons) if step.hint else None,
        "can_back": bool(state.history) and not is_end,
        "can_cancel": not is_end,
        "submits": step.files_case,
    }
    if isinstance(step, AskingBase) and step.consent_option and state.failures:
        # after a wrong answer: the question and the error, not the whole notice again
        given["text"], given["help"] = message("consent.again", lang), None
    if step.is_summary:
        given["summary"] = tuple(summary(flow, state, path or []))
    if isinstance(step, AskingBase):
        given.update(_asking(step, state, max_failures))
    shape = SHAPES[step.widget]
    return shape(**{k: v for k, v in given.items() if k in _FIELDS[shape]})


_FIELDS = {shape: {f.name for f in fields(shape)} for shape in SHAPES.values()}
"""What each shape holds: a kind's extras for another shape are not passed on."""


def _asking(step: AskingBase, state: Conversation, max_failures: int) -> dict[str, Any]:
    stuck = state.failures >= max_failures and step.offers_way_on
    return {
        "field": step.field,
        "can_skip": not step.required,
        "way_on": ("skip" if not step.required else "note") if stuck else None,
        **step.prompt_extras(state),
    }


def summary(flow: Flow, state: Conversation, path: list[str]) -> list[SummaryLine]:
    """Every answer on ``path``, in the order asked, as the claimant reads it."""
    lang = state.language
    lines, seen = [], set()
    for sid in path:
        step = flow.steps[sid]
        if not isinstance(step, AskingBase) or step.field in seen or step.hidden_in_summary:
            continue
        field = step.field
        seen.add(field)
        label = step.label or step.text
        if field in state.notes:
            value = message("answer.note", lang, note=state.notes[field][:200])
        else:
            value = display(step, state.answers.get(field), lang)
            if field in state.estimates:
                value += " " + message("answer.estimate", lang)
        lines.append(SummaryLine(field=field, label=_text(label, lang, flow), value=value))
    return lines


CHANNEL_WORDS = ("skip", "edit_or_submit")
"""Placeholders a flow's texts may hold (``{skip}``) for an instruction the channel words:
"press 'Skip'" where it draws buttons, "type 'skip'" where it has none (``say.*``)."""


def flow_text(texts: dict[str, str] | None, lang: str, flow: Flow, buttons: bool = True) -> str:
    """One of the flow's texts in ``lang``, its channel placeholders (``{skip}``) worded for a
    channel that draws buttons or, with ``buttons=False``, one where the claimant types."""
    return _text(texts, lang, flow, buttons)


def _text(texts: dict[str, str] | None, lang: str, flow: Flow, buttons: bool = True) -> str:
    text = localized(texts, lang, flow.default_language)
    for name in CHANNEL_WORDS:
        token = "{" + name + "}"
        if token in text:
            text = text.replace(token, instruction(f"say.{name}", lang, buttons))
    return text
