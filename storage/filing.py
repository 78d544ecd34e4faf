"""What a submitted conversation files: the case's report rows, read off the flow's declarations.

Pure: no database here. A dimension's rows hold a category (``value``), an amount (money and
number steps) or a day (date and datetime steps, as ``YYYY-MM-DD`` in ``value``). An unanswered
dimension gives one row with neither, so each dimension's rows add up to the number of cases.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from flows import Conversation, Flow
from flows.schema import AskingStep
from flows.zone import DEFAULT_ZONE

VALUE_LIMIT = 200


@dataclass(frozen=True)
class DimensionValue:
    name: str
    value: str | None
    amount: int | None


@dataclass(frozen=True)
class Crossing:
    a_name: str
    a_value: str | None
    b_name: str
    b_value: str | None


@dataclass(frozen=True)
class Filing:
    """Everything a case stores besides its answers."""

    incident_day: dt.date
    amount_total: int
    dimensions: list[DimensionValue]
    crossings: list[Crossing]
    attachments: list[dict[str, Any]]


def local_day(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    return moment.astimezone(zone).date()


def case_reference(
    prefix: str, submitted_at: dt.datetime, case_id: int, zone: ZoneInfo | None = None
) -> str:
    """``CB-221019-000123``: the flow's prefix, the day filed (in the flow's time zone, by
    default the zone of Flow.timezone's default), the case's unique id.

    The id alone makes it unique; the prefix and day let a person on the phone tell which
    intake and when at a glance, and a sorted list of references is in filing order.
    """
    day = local_day(submitted_at, zone or DEFAULT_ZONE)
    return f"{prefix}-{day:%y%m%d}-{case_id:06d}"


def dimension_kinds(flow: Flow) -> dict[str, str]:
    """Dimension name -> what the running counts (storage/rollup.py) do with it, by the kind
    of the step that feeds it: ``money`` (the amount claimed: summed, and splits cases by
    whether they claim money), ``amount`` (summed), ``options`` (groups the amounts) or
    ``other``."""
    return {name: rollup_role(_step_of(flow, name)) for name in flow.dimensions()}


def rollup_role(step: AskingStep) -> str:
    if step.counts_as_money:
        return "money"
    if step.report_kind == "amount":
        return "amount"
    return "options" if step.offered_options else "other"


def file_case(flow: Flow, state: Conversation, submitted_at: dt.datetime) -> Filing:
    dimensions = [row for name in flow.dimensions() for row in _rows(flow, state, name)]
    return Filing(
        incident_day=_incident_day(flow, state) or local_day(submitted_at, flow.zone),
        amount_total=sum(
            row.amount or 0 for row in dimensions if _step_of(flow, row.name).counts_as_money
        ),
        dimensions=dimensions,
        crossings=_crossings(flow, dimensions),
        attachments=_attachments(flow, state),
    )


def personal_dimensions(flow: Flow) -> list[str]:
    """Dimensions fed by personal fields: they would copy personal data into the report rows."""
    personal = flow.personal_fields()
    return [name for name, field in flow.dimensions().items() if field in personal]


def _step_of(flow: Flow, dimension: str) -> AskingStep:
    step_id = flow.step_of_field(flow.dimensions()[dimension])
    assert step_id is not None, "every dimension is fed by a step (checked at load)"
    step = flow.step(step_id)
    assert isinstance(step, AskingStep), "a step that feeds a field asks for it"
    return step


def _rows(flow: Flow, state: Conversation, name: str) -> list[DimensionValue]:
    """What the answer's kind contributes to this dimension (flows/kinds/)."""
    answer = state.answers.get(flow.dimensions()[name])
    if answer is None or answer == []:
        return [DimensionValue(name, None, None)]
    return [
        DimensionValue(name, value[:VALUE_LIMIT] if value is not None else None, amount)
        for value, amount in _step_of(flow, name).report_values(answer)
    ]


def _incident_day(flow: Flow, state: Conversation) -> dt.date | None:
    for name, field in flow.dimensions().items():
        answer = state.answers.get(field)
        day = _step_of(flow, name).incident_day(answer) if answer else None
        if day is not None:
            return day
    return None


def _crossings(flow: Flow, dimensions: list[DimensionValue]) -> list[Crossing]:
    by_name: dict[str, list[str | None]] = {}
    for row in dimensions:
        by_name.setdefault(row.name, []).append(row.value)
    crossings: list[Crossing] = []
    for a, b in flow.crossings:
        pairs = itertools.product(by_name.get(a, [None]), by_name.get(b, [None]))
        crossings.extend(Crossing(a, a_value, b, b_value) for a_value, b_value in pairs)
    return crossings


def _attachments(flow: Flow, state: Conversation) -> list[dict[str, Any]]:
    files = []
    for _, step in flow.asking_steps():
        answer = state.answers.get(step.field)
        if answer:
            files.extend(step.attachments(answer))
    return files
