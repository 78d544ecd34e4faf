"""Read a count or a plain quantity: 3, 1,200, 3건, 12개, 7 orders, 세 건, 2.5, 약 10건이요."""

import re
import unicodedata
from typing import Final

from flows.parsing.errors import ParseError

# Counters that may follow the number; longest first so that "times" wins over "time".
_COUNTERS: Final[tuple[str, ...]] = tuple(
    sorted(
        (
            "건", "회", "개", "번", "명", "곳", "장", "대", "통", "차례", "가지",
            "orders", "order", "times", "time", "items", "item", "pieces", "piece", "pcs",
            "calls", "call", "cases", "case", "x",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip

# Native Korean numbers as they stand before a counter (세 건, 열두 번), 1 to 20.
_NATIVE: Final[dict[str, int]] = {
    "한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "네": 4, "넷": 4,
    "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10,
    "스무": 20, "스물": 20,
}  # fmt: skip
_NATIVE_TEENS: Final[dict[str, int]] = {
    f"열{word}": 10 + value for word, value in _NATIVE.items() if value < 10
}

# A count is as often hedged as an amount (몇 건쯤인가요? - 10건 정도요): the number stands.
_LEADING_HEDGE: Final[re.Pattern[str]] = re.compile(
    r"^(?:약|대략|대충|얼추|거의|한(?=\s*\d)|about|around|roughly|approximately|approx\.?|~)\s*"
)
_TRAILING_WORDS: Final[re.Pattern[str]] = re.compile(
    r"(?:\s*(?:정도|가량|쯤|내외|남짓|안팎|여|이었어요|였어요|입니다|이에요|예요|에요|이요|요|됩니다|돼요"
    r"|or so|ish|[.!]))+$"
)
_LONGEST: Final[int] = 60  # characters: no real count is longer, and int() of huge text is slow
_ARABIC: Final[re.Pattern[str]] = re.compile(
    r"(?P<sign>[-−])?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?"
)


def parse_number(text: str, *, integer: bool = True) -> int | float:
    """Return the number in `text`; with integer=True a fraction is refused, not rounded."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if not cleaned:
        raise ParseError("number.empty")
    body = _without_counter(_without_hedges(cleaned))
    native = _NATIVE.get(body) or _NATIVE_TEENS.get(body)
    if native is not None:
        return native if integer else float(native)
    match = _ARABIC.fullmatch(body)
    if match is None or len(body) > _LONGEST:
        raise ParseError("number.invalid")
    if not integer:
        return float(body.replace(",", "").replace("−", "-"))
    if (match.group("fraction") or "").strip(".0"):
        raise ParseError("number.not_integer")
    sign = -1 if match.group("sign") else 1
    return sign * int(match.group("digits").replace(",", ""))


def _without_hedges(text: str) -> str:
    """약 10건 정도요 -> 10건; a bare hedge is left alone, to be refused as not a number."""
    bare = _TRAILING_WORDS.sub("", _LEADING_HEDGE.sub("", text)).strip()
    return bare or text


def _without_counter(text: str) -> str:
    for counter in _COUNTERS:
        if text.endswith(counter):
            return text.removesuffix(counter).rstrip()
    return text
