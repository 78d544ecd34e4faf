"""The interview as a state machine: one transitions Machine per flow version, and its router.

States are step ids. The triggers a claimant's navigation fires are declared from the flow's
data, with guards from our own registry (``GUARDS``), never names from a flow file:

- ``answer``: an asking or info step is answered; its ``next`` rules in order;
- ``skip``: an optional question is left unanswered; the same rules (read without it);
- ``submit``: the summary is confirmed; the summary step's ``next``;
- ``edit``: from the summary to the question of one field.

``back`` goes to the step the conversation came from (its history: data, not a rule), and
``cancel`` keeps the step and asks for a yes, so neither is a transition between steps.

The Machine is the declaration; ``Router.route`` reads the first transition of a trigger
whose guards hold, the same answer firing the trigger gives, without a model to fire it on
(firing costs ~10 µs a step and the summary walks the whole path). One router serves both
moving on and reading the path, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from transitions import Machine

from flows.schema import Flow, Rule
from flows.steps import AskingBase

if TYPE_CHECKING:
    from transitions.core import Callback, Transition

TRIGGERS = ("answer", "skip", "submit", "edit")

Context = Mapping[str, Any]
"""What guards read: ``answers`` (field -> value) and, for ``edit``, ``field``."""
Guard = Callable[[Context], bool]


def _when(rule: Rule) -> Guard:
    condition = rule.when

    def holds(context: Context) -> bool:
        return condition is None or condition.holds(context["answers"])

    return holds


def _edits(field: str) -> Guard:
    def targets(context: Context) -> bool:
        return context.get("field") == field

    return targets


GUARDS: dict[str, Callable[..., Guard]] = {"when": _when, "edits": _edits}
"""The only guards a flow's transitions can have: built by our code from the flow's data."""


@dataclass(frozen=True)
class Route:
    dest: str
    guards: tuple[Callable[[Context], bool | None], ...]


def compile_machine(flow: Flow) -> Machine:
    """One Machine for a flow version, its transitions declared from the flow's steps."""
    machine = Machine(
        model=None,
        states=list(flow.steps),
        initial=None,
        auto_transitions=False,
        ignore_invalid_triggers=True,
    )
    for sid, step in flow.steps.items():
        rules = _rules(step.next)
        if step.is_summary:
            _declare(machine, "submit", sid, rules)
            for target, asking in flow.asking_steps():
                guard = GUARDS["edits"](asking.field)
                machine.add_transition("edit", sid, target, conditions=[guard])
        elif not step.is_end:
            _declare(machine, "answer", sid, rules)
            if isinstance(step, AskingBase) and not step.required:
                _declare(machine, "skip", sid, rules)
    return machine


def _rules(next_: str | list[Rule] | None) -> list[Rule]:
    if next_ is None:
        return []
    return [Rule(goto=next_)] if isinstance(next_, str) else next_


def _declare(machine: Machine, trigger: str, source: str, rules: list[Rule]) -> None:
    for rule in rules:
        guards: list[Callback] = [] if rule.when is None else [GUARDS["when"](rule)]
        machine.add_transition(trigger, source, rule.goto, conditions=guards)


def _route(transition: Transition) -> Route:
    """A transition as compile_machine declared it: a destination, and guards from GUARDS."""
    guards = tuple(c.func for c in transition.conditions if not isinstance(c.func, str))
    assert transition.dest is not None and len(guards) == len(transition.conditions)
    return Route(transition.dest, guards)


class Router:
    """Where a trigger leads from a step, read off one flow version's Machine."""

    def __init__(self, flow: Flow) -> None:
        self.machine = compile_machine(flow)
        self._table: dict[tuple[str, str], list[Route]] = {}
        for trigger in TRIGGERS:
            for sid in flow.steps:
                routes = [_route(t) for t in self.machine.get_transitions(trigger, source=sid)]
                if routes:
                    self._table[(trigger, sid)] = routes

    def route(self, trigger: str, source: str, context: Context) -> str | None:
        """The first destination whose guards hold; None when the trigger has no way on."""
        for route in self._table.get((trigger, source), ()):
            if all(guard(context) for guard in route.guards):
                return route.dest
        return None

    def can(self, trigger: str, source: str) -> bool:
        """Whether ``trigger`` is declared at ``source`` at all (e.g. skip on a required step)."""
        return (trigger, source) in self._table
