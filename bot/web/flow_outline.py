"""A flow's diagram as an accessible outline, drawn on the server: every step in order of
the file, what it asks, and where it goes next (with the branch conditions in words).

The same graph as ``flows.diagram.mermaid``; a list of steps with links between them reads
well with a screen reader and at 320 px, where a drawn flowchart would not.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.conditions import describe
from flows.schema import Flow

MAX_TEXT = 120


@dataclass(frozen=True)
class Edge:
    target: str
    when: str | None
    """The condition in words; None: always (or "otherwise" after a condition)."""
    otherwise: bool = False


@dataclass(frozen=True)
class StepNode:
    step_id: str
    kind: str
    field: str | None
    text: str
    lang: str
    only_if: str | None
    is_start: bool
    is_end: bool
    files_case: bool
    edges: tuple[Edge, ...]


def outline(flow: Flow, language: str) -> list[StepNode]:
    """Every step of ``flow``, the first question first, then in the order of the file."""
    order = [flow.start, *(sid for sid in flow.steps if sid != flow.start)]
    nodes = []
    for sid in order:
        step = flow.steps[sid]
        lang = language if language in step.text else flow.default_language
        text = step.text.get(lang) or next(iter(step.text.values()), "")
        text = text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
        nodes.append(
            StepNode(
                step_id=sid,
                kind=step.kind,
                field=step.answer_field,
                text=text,
                lang=lang,
                only_if=describe(step.ask_if) if step.ask_if is not None else None,
                is_start=sid == flow.start,
                is_end=step.is_end,
                files_case=bool(step.is_end and step.files_case),
                edges=tuple(_edges(step)),
            )
        )
    return nodes


def _edges(step: object) -> list[Edge]:
    found: list[Edge] = []
    following = getattr(step, "next", None)
    if isinstance(following, str):
        found.append(Edge(following, None))
    elif isinstance(following, list):
        for rule in following:
            if rule.when is None:
                found.append(Edge(rule.goto, None, otherwise=True))
            else:
                found.append(Edge(rule.goto, describe(rule.when)))
    named = {edge.target for edge in found}
    targets = getattr(step, "targets", None)
    for target in targets() if callable(targets) else []:
        if target not in named:  # e.g. an option's own goto
            found.append(Edge(target, None))
            named.add(target)
    return found
