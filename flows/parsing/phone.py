"""Read a phone number, Korean or international, into E.164 form (+821012345678)."""

import phonenumbers

from flows.parsing.errors import ParseError

_MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def parse_phone(text: str, *, region: str = "KR", mobile: bool = False) -> str:
    """Return the number as E.164; `region` says how to read a number without a +country code.

    With `mobile`, a landline (02-..., 031-...) or a service number is refused as phone.not_mobile.
    """
    if not text.strip():
        raise ParseError("phone.empty")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ParseError("phone.invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ParseError("phone.invalid")
    if mobile and phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ParseError("phone.not_mobile")
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
