"""Step kind ``text``: free text; resident registration numbers are refused (PIPA art. 24-2)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from flows.parsing import contains_rrn
from flows.reading import Accepted, Reading, Rejected
from flows.steps import AskingBase


class TextStep(AskingBase):
    personal_by_default: ClassVar[bool] = True
    free_text: ClassVar[bool] = True

    kind: Literal["text"]
    min_length: int = Field(default=1, ge=0)
    max_length: int = Field(default=2000, ge=1, le=20000)

    def read_text(self, text: str, timezone: str) -> Reading:
        if len(text) < self.min_length:
            return Rejected("text.too_short", {"min": self.min_length})
        if len(text) > self.max_length:
            return Rejected("text.too_long", {"max": self.max_length, "length": len(text)})
        if contains_rrn(text):
            return Rejected("text.rrn")
        return Accepted(text)


STEP = TextStep
