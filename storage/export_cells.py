"""What one step kind contributes to an export: its columns, and its answer as typed cells.

Kept in one place (``step_columns`` and ``export_cell``) so that the per-kind rules can move
into the step kinds themselves without touching the writers or the row query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from flows.schema import AskingStep
from storage.masking import MASKED, mask_value

ColumnType = Literal["text", "int", "float", "date", "datetime", "list", "flag"]


@dataclass(frozen=True)
class ExportColumn:
    """A column of an export: its heading and the type every writer keeps (int64 KRW...)."""

    name: str
    type: ColumnType


def step_columns(step: AskingStep, language: str) -> list[ExportColumn]:
    """The columns of one question: "label (field)", and for a multi-choice one 0/1 column
    per option, "label: option (field=value)"."""
    heading = f"{_pick(step.label or step.text, language)} ({step.field})"
    kind = step.kind
    if kind == "multi_choice":
        flags = [
            ExportColumn(f"{_pick(o.label, language)} ({step.field}={o.value})", "flag")
            for o in step.options
        ]
        return [ExportColumn(heading, "list"), *flags]
    if kind in {"money", "file"} or (kind == "number" and getattr(step, "integer", True)):
        return [ExportColumn(heading, "int")]
    if kind == "number":
        return [ExportColumn(heading, "float")]
    if kind == "date":
        return [ExportColumn(heading, "date")]
    if kind == "datetime":
        return [ExportColumn(heading, "datetime")]
    return [ExportColumn(heading, "text")]


def export_cell(
    step: AskingStep, value: Any, language: str, masked: bool, zone: ZoneInfo
) -> list[Any]:
    """The answer as the cells of ``step_columns`` (None for no answer), masked if asked.

    Choices become their labels in ``language``; a file answer is how many files came;
    a date-only answer to a date-and-time question is that day's local midnight.
    """
    return cell_maker(step, language, masked, zone)(value)


def cell_maker(
    step: AskingStep, language: str, masked: bool, zone: ZoneInfo
) -> Callable[[Any], list[Any]]:
    """``export_cell`` for one step, with its labels looked up once: an export calls it for
    every question of every case."""
    kind = step.kind
    options = getattr(step, "options", None)
    labels = {o.value: _pick(o.label, language) for o in options or []}
    integer = kind == "money" or getattr(step, "integer", True)

    if kind == "multi_choice":
        values = [o.value for o in options or []]
        blank = [None] * len(values)

        def multi(value: Any) -> list[Any]:
            chosen = value if isinstance(value, list) else ([] if value is None else [value])
            if masked:
                return [[MASKED] if chosen else None, *blank]
            readable = [labels.get(v, str(v)) for v in chosen] if chosen else None
            return [readable, *(int(v in chosen) for v in values)]

        return multi

    def single(value: Any) -> list[Any]:
        if value is None or value == [] or value == "":
            return [None]
        if kind == "file":
            return [len(value) if isinstance(value, list) else 1]
        if masked:
            return [None if kind in NUMERIC_KINDS else mask_value(kind, value)]
        if options is not None:
            return [labels.get(value, str(value))]
        if kind in {"money", "number"}:
            number = float(value)
            return [round(number) if integer else number]
        if kind == "date":
            return [dt.date.fromisoformat(str(value)[:10])]
        if kind == "datetime":
            return [local_moment(str(value), zone)]
        return [str(value)]

    return single


NUMERIC_KINDS = frozenset({"money", "number", "date", "datetime"})


def local_moment(text: str, zone: ZoneInfo) -> dt.datetime:
    """An answer "2022-10-15T16:20+09:00" or "2022-10-15" as an aware time in ``zone``."""
    if len(text) <= 10:
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), zone)
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def _pick(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or next(iter(texts.values()))
