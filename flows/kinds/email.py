"""Step kind ``email``: an email address, checked for its shape."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from flows.parsing import parse_email
from flows.reading import Accepted, Reading
from flows.steps import MASKED, AskingBase


class EmailStep(AskingBase):
    sample: ClassVar[str] = "someone@example.com"
    personal_by_default: ClassVar[bool] = True

    example_messages: ClassVar[tuple[str, ...]] = ("email.invalid",)

    kind: Literal["email"]

    def read_text(self, text: str, timezone: str) -> Reading:
        return Accepted(parse_email(text))

    def mask(self, value: Any) -> str:
        text = str(value)
        if "@" not in text:
            return MASKED
        local, domain = text.rsplit("@", 1)
        return f"{local[:1]}***@{domain}"


STEP = EmailStep
