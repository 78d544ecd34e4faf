"""Building the channel-neutral Prompt for a conversation's current step."""

from __future__ import annotations

from typing import Any

from flows.answers import display, offers_way_on
from flows.messages import localized, message
from flows.prompt import Prompt, PromptOption, SummaryLine
from flows.schema import AskingStep, Flow
from flows.state import Conversation

HINTS = {
    "money": "hint.money",
    "date": "hint.date",
    "datetime": "hint.datetime",
    "phone": "hint.phone",
    "multi_choice": "hint.multi",
    "file": "hint.file",
}


def render_prompt(
    flow: Flow, state: Conversation, max_failures: int, path: list[str] | None = None
) -> Prompt:
    """The current question in the conversation's language, with what the claimant may do."""
    lang = state.language
    if state.status == "cancelled":
        return Prompt(
            step=state.step,
            kind="end",
            text=message("cancelled", lang),
            language=lang,
            turn=state.turn,
            can_cancel=False,
            is_end=True,
        )
    if state.cancelling:
        return Prompt(
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
    is_end = step.kind == "end"
    base: dict[str, Any] = {
        "step": state.step,
        "kind": step.kind,
        "text": _text(step.text, lang, flow),
        "language": lang,
        "turn": state.turn,
        "help": _text(step.help, lang, flow) if step.help else None,
        "hint": message(HINTS[step.kind], lang) if step.kind in HINTS else None,
        "can_back": bool(state.history) and not is_end,
        "can_cancel": not is_end,
        "is_end": is_end,
        "submits": bool(getattr(step, "submit", False)),
    }
    if step.kind == "confirm":
        base["summary"] = tuple(summary(flow, state, path or []))
    field = getattr(step, "field", None)
    if field is not None:
        base.update(_asking(step, state, max_failures))
    return Prompt(**base)


def _asking(step: AskingStep, state: Conversation, max_failures: int) -> dict[str, Any]:
    lang = state.language
    stuck = state.failures >= max_failures and offers_way_on(step)
    out: dict[str, Any] = {
        "field": step.field,
        "can_skip": not step.required,
        "way_on": ("skip" if not step.required else "note") if stuck else None,
    }
    options = getattr(step, "options", None)
    if options is not None:
        selected = set(state.pending) if step.kind == "multi_choice" else set()
        out["options"] = tuple(
            PromptOption(o.value, o.label.get(lang, o.value), o.value in selected) for o in options
        )
    if step.kind == "multi_choice":
        out["min_selected"] = step.min_selected
        out["max_selected"] = step.max_selected or len(step.options)
    if step.kind == "file":
        out["uploads"] = len(state.pending)
        out["max_files"] = step.max_files
    return out


def summary(flow: Flow, state: Conversation, path: list[str]) -> list[SummaryLine]:
    """Every answer on ``path``, in the order asked, as the claimant reads it."""
    lang = state.language
    lines, seen = [], set()
    for sid in path:
        step = flow.steps[sid]
        field = getattr(step, "field", None)
        hidden = getattr(step, "sets_language", False) or getattr(step, "consent_value", None)
        if field is None or field in seen or hidden:
            continue
        seen.add(field)
        label = step.label or step.text
        if field in state.notes:
            value = message("answer.note", lang, note=state.notes[field][:200])
        else:
            value = display(step, state.answers.get(field), lang)
        lines.append(SummaryLine(field=field, label=_text(label, lang, flow), value=value))
    return lines


def _text(texts: dict[str, str] | None, lang: str, flow: Flow) -> str:
    return localized(texts, lang, flow.default_language)
