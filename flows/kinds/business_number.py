"""Step kind ``business_number``: a Korean business registration number, check digit verified."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from flows.parsing import parse_brn
from flows.reading import Accepted, Reading
from flows.steps import MASKED, AskingBase


class BusinessNumberStep(AskingBase):
    """A Korean business registration number (사업자등록번호)."""

    sample: ClassVar[str] = "124-81-00998"

    personal_by_default: ClassVar[bool] = True

    example_messages: ClassVar[tuple[str, ...]] = ("brn.invalid", "brn.length")

    kind: Literal["business_number"]

    def read_text(self, text: str, timezone: str) -> Reading:
        return Accepted(parse_brn(text))

    def mask(self, value: Any) -> str:
        digits = "".join(ch for ch in str(value) if ch.isdigit())
        return f"{digits[:3]}-**-*****" if len(digits) == 10 else MASKED


STEP = BusinessNumberStep
