"""A flow as a Mermaid flowchart: steps, and branches labelled with their conditions."""

from __future__ import annotations

from flows.conditions import describe
from flows.schema import Flow

SHAPES = {"end": ("([", "])"), "summary": ("{{", "}}"), "info": ("[/", "/]")}
"""Box shapes by widget (the step kinds' own say which widget they are)."""


def mermaid(flow: Flow, language: str | None = None) -> str:
    """Mermaid source for ``flow``; step boxes show the kind and field, in ``language``."""
    lang = language or flow.default_language
    lines = ["flowchart TD", f"    start((start)) --> {flow.start}"]
    for sid, step in flow.steps.items():
        left, right = SHAPES.get(step.widget, ("[", "]"))
        field = step.answer_field
        title = step.text.get(lang, "")
        title = title if len(title) <= 40 else title[:39] + "…"
        caption = f"{sid}<br/>{step.kind}" + (f" → {field}" if field else "") + f"<br/>{title}"
        if step.ask_if is not None:
            caption += "<br/>only if " + describe(step.ask_if)
        if step.is_end:
            caption += "<br/>files a case" if step.files_case else "<br/>no case"
        lines.append(f'    {sid}{left}"{_escape(caption)}"{right}')
        if isinstance(step.next, str):
            lines.append(f"    {sid} --> {step.next}")
        elif isinstance(step.next, list):
            for rule in step.next:
                if rule.when is None:
                    lines.append(f'    {sid} -- "otherwise" --> {rule.goto}')
                else:
                    lines.append(f'    {sid} -- "{_escape(describe(rule.when))}" --> {rule.goto}')
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")
