"""Spot Korean resident registration numbers (주민등록번호) in free text, and mask them.

PIPA art. 24-2 forbids collecting them without a legal basis, so the engine refuses an answer
that holds one. Numbers issued since October 2020 carry no valid check digit, so a candidate
counts when its birth date and its seventh digit are plausible, whatever the checksum says.
"""

import re
import unicodedata
from typing import Final

from stdnum.exceptions import ValidationError
from stdnum.kr import rrn as stdnum_rrn

MASK: Final[str] = "******-*******"

# Six digits, an optional dash (with a space either side), seven digits, no digit around them.
_CANDIDATE: Final[re.Pattern[str]] = re.compile(r"(?<!\d)(\d{6}) ?[-‐‑–—−－﹣]? ?(\d{7})(?!\d)")
_RESIDENT_SEVENTH_DIGITS: Final[str] = "12345678"  # 1-4 citizens, 5-8 foreigners (1900-2099)


def contains_rrn(text: str) -> bool:
    """True when `text` holds something that reads as a resident registration number."""
    return any(_is_plausible(match) for match in _CANDIDATE.finditer(text))


def mask_rrn(text: str) -> str:
    """`text` with every resident registration number in it replaced by MASK."""
    return _CANDIDATE.sub(lambda match: MASK if _is_plausible(match) else match.group(), text)


def _is_plausible(match: re.Match[str]) -> bool:
    digits = "".join(str(unicodedata.digit(char)) for char in match.group(1) + match.group(2))
    if digits[6] not in _RESIDENT_SEVENTH_DIGITS:
        return False
    try:
        stdnum_rrn.get_birth_date(digits, allow_future=False)
    except ValidationError:
        return False
    return True
