"""Step kind ``money``: an amount in won (``30000``, ``3만원``, ``3만 5천원``, ``30,000 won``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from pydantic import Field

from flows.exporting import ColumnType
from flows.kinds.number import within
from flows.parsing import read_krw
from flows.reading import Accepted, Reading
from flows.steps import AskingBase


class MoneyStep(AskingBase):
    sample: ClassVar[str] = "10000"
    hint: ClassVar[str | None] = "hint.money"
    report_kind: ClassVar[str] = "amount"
    counts_as_money: ClassVar[bool] = True

    example_messages: ClassVar[tuple[str, ...]] = ("hint.money", "money.invalid", "money.empty")

    kind: Literal["money"]
    currency: Literal["KRW"] = "KRW"
    min: int = Field(default=0, ge=0)
    max: int | None = None

    def read_text(self, text: str, timezone: str) -> Reading:
        amount = read_krw(text)
        reading = within(amount.won, self.min, self.max, "money")
        if amount.estimate and isinstance(reading, Accepted):
            return Accepted(reading.value, estimate=True)
        return reading

    def show(self, value: Any, language: str) -> str:
        won = f"{round(float(value)):,}"
        return f"{won}원" if language == "ko" else f"KRW {won}"

    def export_type(self) -> ColumnType:
        return "int"  # won: int64, whatever a spreadsheet would guess

    def export_value(self, language: str, zone: ZoneInfo) -> Callable[[Any], Any]:
        return lambda value: round(float(value))

    def report_values(self, value: Any) -> list[tuple[str | None, int | None]]:
        return [(None, round(float(value)))]


STEP = MoneyStep
