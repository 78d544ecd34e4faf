"""Masking personal answers: just enough left to recognise one on the phone, no more."""

from __future__ import annotations

from typing import Any

import phonenumbers

MASKED = "[masked]"


def mask_value(kind: str, value: Any) -> str:
    """A personal answer with just enough left to recognise it on the phone."""
    text = str(value)
    if kind == "phone":
        return mask_phone(text)
    if kind == "business_number":
        digits = "".join(ch for ch in text if ch.isdigit())
        return f"{digits[:3]}-**-*****" if len(digits) == 10 else MASKED
    if kind == "email" and "@" in text:
        local, domain = text.rsplit("@", 1)
        return f"{local[:1]}***@{domain}"
    return MASKED


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
