"""Step kind ``phone``: a phone number, kept in E.164 (``+821012345678``)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import phonenumbers
from pydantic import Field

from flows.parsing import parse_phone, phone_for_display
from flows.reading import Accepted, Reading
from flows.steps import MASKED, AskingBase


def mask_phone(e164: str) -> str:
    """+821012345678 -> +82-10-****-5678: country, area or carrier code, and last four digits."""
    if e164.startswith("+8210") and len(e164) == 13 and e164[1:].isdigit():
        return f"+82-10-****-{e164[-4:]}"  # Korean mobiles, nearly every number: no parsing
    try:
        number = phonenumbers.parse(e164, None)
        spaced = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        digits = "".join(ch for ch in e164 if ch.isdigit())
        return "*" * max(len(digits) - 4, 0) + digits[-4:] if digits else MASKED
    groups = spaced.replace("-", " ").split()
    if len(groups) < 3:
        return groups[0] + "-" + "*" * 4 + "-" + e164[-4:]
    middle = ["*" * len(group) for group in groups[2:-1]]
    return "-".join([groups[0], groups[1], *middle, groups[-1]])


class PhoneStep(AskingBase):
    sample: ClassVar[str] = "010-1234-5678"
    hint: ClassVar[str | None] = "hint.phone"
    personal_by_default: ClassVar[bool] = True

    example_messages: ClassVar[tuple[str, ...]] = (
        "hint.phone",
        "phone.invalid",
        "phone.not_mobile",
    )

    kind: Literal["phone"]
    region: str = Field(default="KR", pattern=r"^[A-Z]{2}$")
    mobile: bool = Field(default=False, description="Only a mobile number is accepted.")

    def for_engine_examples(self) -> PhoneStep:
        """The catalogue's examples are Korean numbers, whatever this step's region."""
        return self if self.region == "KR" else self.model_copy(update={"region": "KR"})

    def read_text(self, text: str, timezone: str) -> Reading:
        return Accepted(parse_phone(text, region=self.region, mobile=self.mobile))

    def show(self, value: Any, language: str) -> str:
        return phone_for_display(value, self.region)

    def mask(self, value: Any) -> str:
        return mask_phone(str(value))


STEP = PhoneStep
