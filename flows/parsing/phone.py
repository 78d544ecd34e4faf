"""Read a phone number, Korean or international, into E.164 form (+821012345678)."""

import phonenumbers

from flows.parsing.errors import ParseError


def parse_phone(text: str, *, region: str = "KR") -> str:
    """Return the number as E.164; `region` says how to read a number without a +country code."""
    if not text.strip():
        raise ParseError("phone.empty")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ParseError("phone.invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ParseError("phone.invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_for_display(e164: str, region: str = "KR") -> str:
    """A stored E.164 number as people of ``region`` write it: +821012345678 -> 010-1234-5678."""
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
