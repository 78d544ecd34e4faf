"""Step kind ``number``: a count (by default a whole number), summed in reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from flows.exporting import ColumnType
from flows.parsing import parse_number
from flows.reading import Accepted, Reading, Rejected
from flows.steps import MAX_NUMBER, AskingBase


def shown_number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def within(value: float, low: float | None, high: float | None, kind: str) -> Reading:
    if low is not None and value < low:
        return Rejected(f"{kind}.below_min", {"min": shown_number(low)})
    if high is not None and value > high:
        return Rejected(f"{kind}.above_max", {"max": shown_number(high)})
    return Accepted(value)


class NumberStep(AskingBase):
    sample: ClassVar[str] = "1"
    report_kind: ClassVar[str] = "amount"

    example_messages: ClassVar[tuple[str, ...]] = ("number.invalid", "number.not_integer")

    kind: Literal["number"]
    integer: bool = True
    min: float | None = None
    max: float | None = None

    def read_text(self, text: str, timezone: str) -> Reading:
        number = parse_number(text, integer=self.integer)
        if abs(number) > MAX_NUMBER:  # must fit the report's 64-bit amount column
            return Rejected("number.above_max", {"max": shown_number(MAX_NUMBER)})
        return within(number, self.min, self.max, "number")

    def export_type(self) -> ColumnType:
        return "int" if self.integer else "float"

    def export_value(self, language: str, zone: ZoneInfo) -> Callable[[Any], Any]:
        if self.integer:
            return lambda value: round(float(value))
        return float

    def report_values(self, value: Any) -> list[tuple[str | None, int | None]]:
        return [(None, round(float(value)))]


STEP = NumberStep
