"""Reading a claimant's input at an asking step, and showing an answer back: the step's kind
(flows/kinds/) knows how; here the parts every kind shares."""

from __future__ import annotations

from typing import Any, TypeGuard

from flows import inputs as i
from flows.messages import message
from flows.parsing import ParseError
from flows.reading import Accepted, Pending, Reading, Rejected
from flows.schema import Flow
from flows.steps import AskingBase, StepBase

DEFAULT_TIMEZONE: str = Flow.model_fields["timezone"].default

__all__ = ["Accepted", "Pending", "Reading", "Rejected", "display", "offers_way_on", "read_answer"]


def offers_way_on(step: StepBase) -> TypeGuard[AskingBase]:
    """Typed answers that keep failing get a way on; a choice always has its buttons,
    and consent in particular can only be given, never skipped or noted around."""
    return isinstance(step, AskingBase) and step.offers_way_on


def read_answer(
    step: AskingBase, given: i.UserInput, pending: list[Any], timezone: str | None = None
) -> Reading:
    """What ``given`` means at ``step`` (naive times in ``timezone``, the flow's, unless the
    step names its own; without one, the default of ``Flow.timezone``); never raises for
    bad input."""
    timezone = timezone or DEFAULT_TIMEZONE
    try:
        return step.read(given, pending, timezone)
    except ParseError as exc:
        return Rejected(exc.code, dict(exc.params or {}))
    except (ArithmeticError, ValueError):  # a parser's blind spot must not stop an interview
        return Rejected("unreadable")


def display(step: AskingBase, value: Any, language: str) -> str:
    """An answer as the claimant would read it back, in their language."""
    if value is None:
        return message("answer.skipped", language)
    return step.show(value, language)
