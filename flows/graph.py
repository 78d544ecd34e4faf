"""Rules about a flow as a whole: every reference resolves, every step is reachable and ends."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flows.conditions import Condition, FieldCondition, fields_of, walk
from flows.schema import Flow, Rule


@dataclass(frozen=True)
class GraphProblem:
    where: list[Any]
    message: str
    step: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def edges(flow: Flow) -> dict[str, list[str]]:
    """Step id -> the steps it can go to next (known ids only)."""
    return {sid: [t for t in step.targets() if t in flow.steps] for sid, step in flow.steps.items()}


def reachable_from(start: str, graph: dict[str, list[str]]) -> set[str]:
    seen, todo = {start}, deque([start])
    while todo:
        for nxt in graph.get(todo.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def reversed_edges(graph: dict[str, list[str]]) -> dict[str, list[str]]:
    """Step id -> the steps that can come right before it."""
    reverse: dict[str, list[str]] = {sid: [] for sid in graph}
    for sid, targets in graph.items():
        for t in targets:
            reverse[t].append(sid)
    return reverse


def check_flow(flow: Flow) -> list[GraphProblem]:
    """Every problem of the flow as a graph, each naming the step and the fix."""
    references = list(_check_references(flow))
    return [
        *references,
        *_check_next_shape(flow),
        # with a dangling reference the graph is cut, and these would only echo it
        *([] if references else _check_reachability(flow)),
        *_check_fields(flow),
        *([] if references else _check_conditions(flow)),
        *_check_translations(flow),
        *_check_options(flow),
        *_check_crossings(flow),
    ]


def _check_crossings(flow: Flow) -> Iterator[GraphProblem]:
    declared = flow.dimensions()
    for i, pair in enumerate(flow.crossings):
        for name in pair:
            if name not in declared:
                yield GraphProblem(
                    ["crossings", i],
                    f"crossing names dimension {name!r}, which no step declares "
                    f"(declared: {', '.join(sorted(declared)) or 'none'})",
                )


def _check_references(flow: Flow) -> Iterator[GraphProblem]:
    if flow.start not in flow.steps:
        yield GraphProblem(["start"], f"start names unknown step {flow.start!r}")
    for sid, step in flow.steps.items():
        if isinstance(step.next, str) and step.next not in flow.steps:
            yield GraphProblem(
                ["steps", sid, "next"], f"unknown step {step.next!r} referenced", sid
            )
        elif isinstance(step.next, list):
            for i, rule in enumerate(step.next):
                if rule.goto not in flow.steps:
                    yield GraphProblem(
                        ["steps", sid, "next", i, "goto"],
                        f"unknown step {rule.goto!r} referenced",
                        sid,
                    )


def _check_next_shape(flow: Flow) -> Iterator[GraphProblem]:
    for sid, step in flow.steps.items():
        if step.is_end:
            if step.next is not None:
                yield GraphProblem(["steps", sid, "next"], "an end step has no 'next'", sid)
            continue
        if step.next is None:
            yield GraphProblem(
                ["steps", sid], "this step needs a 'next' (or make it kind: end)", sid
            )
        elif isinstance(step.next, list):
            yield from _check_rules(sid, step.next)


def _check_rules(sid: str, rules: list[Rule]) -> Iterator[GraphProblem]:
    defaults = [i for i, r in enumerate(rules) if r.when is None]
    if not defaults:
        yield GraphProblem(
            ["steps", sid, "next"],
            "the last rule must have no 'when' (the default), or the interview could stop here",
            sid,
        )
    elif defaults[0] != len(rules) - 1:
        yield GraphProblem(
            ["steps", sid, "next", defaults[0] + 1],
            "this rule comes after the default rule and can never be used",
            sid,
        )


def _check_reachability(flow: Flow) -> Iterator[GraphProblem]:
    if flow.start not in flow.steps:
        return
    graph = edges(flow)
    reached = reachable_from(flow.start, graph)
    for sid in flow.steps:
        if sid not in reached:
            yield GraphProblem(
                ["steps", sid], f"step {sid!r} is unreachable from start {flow.start!r}", sid
            )
    reverse = reversed_edges(graph)
    ends = [sid for sid, s in flow.steps.items() if s.is_end]
    can_end: set[str] = set()
    for end in ends:
        can_end |= reachable_from(end, reverse)
    for sid in flow.steps:
        if sid in reached and sid not in can_end:
            yield GraphProblem(
                ["steps", sid],
                f"step {sid!r} cannot reach an end step: every path from it loops forever",
                sid,
            )


def _check_fields(flow: Flow) -> Iterator[GraphProblem]:
    owner: dict[str, str] = {}
    for sid, step in flow.asking_steps():
        if step.field in owner:
            yield GraphProblem(
                ["steps", sid, "field"],
                f"field {step.field!r} is already asked by step {owner[step.field]!r}",
                sid,
            )
        else:
            owner[step.field] = sid
        for problem in step.problems(flow):
            yield GraphProblem(["steps", sid, *problem.where], problem.message, sid)


def _check_conditions(flow: Flow) -> Iterator[GraphProblem]:
    """A condition may read only fields asked at this step or on some path before it."""
    reverse = reversed_edges(edges(flow))
    field_step = {s.field: sid for sid, s in flow.asking_steps()}
    for sid, step in flow.steps.items():
        before: set[str] = set().union(*(reachable_from(p, reverse) for p in reverse[sid]))
        own = step.answer_field
        for where, cond in conditions_of(sid, step):
            own_ok = where[2] == "next"  # a step's own answer decides where it goes next
            for name in fields_of(cond):
                asked_at = field_step.get(name)
                if asked_at is None:
                    yield GraphProblem(
                        where, f"condition reads field {name!r}, which no step asks", sid
                    )
                elif not ((own_ok and name == own) or asked_at in before):
                    yield GraphProblem(
                        where,
                        f"condition reads field {name!r}, which is not asked before this point "
                        f"(it is asked at step {asked_at!r})",
                        sid,
                    )


def conditions_of(sid: str, step: Any) -> Iterator[tuple[list[Any], Condition]]:
    """A step's conditions (its ask_if, its next rules), each with where it stands."""
    if step.ask_if is not None:
        yield ["steps", sid, "ask_if"], step.ask_if
    if isinstance(step.next, list):
        for i, rule in enumerate(step.next):
            if rule.when is not None:
                yield ["steps", sid, "next", i, "when"], rule.when


def _check_options(flow: Flow) -> Iterator[GraphProblem]:
    """Conditions comparing a choice answer must name one of its options."""
    options = {
        s.field: set(s.option_values) for _, s in flow.asking_steps() if s.option_values is not None
    }
    for sid, step in flow.steps.items():
        for where, cond in conditions_of(sid, step):
            for leaf in walk(cond):
                yield from _check_leaf_values(leaf, options, where, sid)


def _check_leaf_values(
    leaf: FieldCondition, options: dict[str, set[str]], where: list[Any], sid: str
) -> Iterator[GraphProblem]:
    allowed = options.get(leaf.field)
    if allowed is None:
        return
    values = [leaf.equals, leaf.not_equals, leaf.contains, *(leaf.in_ or [])]
    for value in values:
        if value is not None and value not in allowed:
            yield GraphProblem(
                where,
                f"{value!r} is not an option of field {leaf.field!r} "
                f"(options: {', '.join(sorted(allowed))})",
                sid,
            )


def _check_translations(flow: Flow) -> Iterator[GraphProblem]:
    declared = set(flow.languages)
    for where, texts in _localized_texts(flow):
        sid = str(where[1]) if where[0] == "steps" else None
        for lang in flow.languages:
            if lang not in texts:
                yield GraphProblem(where, f"translation missing for language {lang!r}", sid)
        for lang in texts:
            if lang not in declared:
                yield GraphProblem(
                    [*where, lang],
                    f"text in {lang!r}, which is not a declared language ({', '.join(flow.languages)})",
                    sid,
                )


def _localized_texts(flow: Flow) -> Iterator[tuple[list[Any], dict[str, str]]]:
    for attr in ("title", "description"):
        value = getattr(flow, attr)
        if value is not None:
            yield [attr], value
    for sid, step in flow.steps.items():
        for attr in ("text", "help", "label"):
            value = getattr(step, attr, None)
            if value is not None:
                yield ["steps", sid, attr], value
        for i, option in enumerate(step.offered_options):
            yield ["steps", sid, "options", i, "label"], option.label
