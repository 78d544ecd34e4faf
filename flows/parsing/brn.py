"""Read a Korean business registration number (사업자등록번호) and check its check digit."""

import unicodedata
from typing import Final

from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength
from stdnum.kr import brn as stdnum_brn

from flows.parsing.errors import ParseError

BRN_LENGTH: Final[int] = 10
_WEIGHTS: Final[tuple[int, ...]] = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def parse_brn(text: str) -> str:
    """Return the number as 123-45-67891; dashes and spaces in the input are ignored."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise ParseError("brn.empty")
    try:
        digits = stdnum_brn.validate(cleaned)  # length, digits only, plausible office and serial
    except InvalidLength:
        raise ParseError("brn.length", {"length": BRN_LENGTH}) from None
    except (InvalidFormat, InvalidComponent):
        raise ParseError("brn.invalid") from None
    if digits[-1] != str(brn_check_digit(digits)):
        raise ParseError("brn.checksum")
    return stdnum_brn.format(digits)


def brn_check_digit(digits: str) -> int:
    """The tenth digit the first nine call for; python-stdnum does not check it."""
    leading = [int(digit) for digit in digits[:9]]
    total = sum(weight * digit for weight, digit in zip(_WEIGHTS, leading, strict=True))
    total += leading[8] * 5 // 10
    return (10 - total % 10) % 10
