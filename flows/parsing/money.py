"""Read an amount of Korean won as people type it: 30,000원, 3만 5천원, ₩12,000, 오천원."""

import math
import re
import unicodedata
from fractions import Fraction
from typing import Final, NamedTuple

from flows.parsing.errors import ParseError

MAX_KRW: Final[int] = 10**13

_KOREAN_DIGITS: Final[dict[str, int]] = {
    "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9,
}  # fmt: skip
_SMALL_UNITS: Final[dict[str, int]] = {"십": 10, "백": 100, "천": 1000}
_BIG_UNITS: Final[dict[str, int]] = {"만": 10**4, "억": 10**8, "조": 10**12}

# One alternation per token kind; the scanner below refuses anything these do not cover.
# A backslash counts as the won sign: Korean fonts draw U+005C as ₩ and people type it so.
_TOKEN: Final[re.Pattern[str]] = re.compile(
    r"""
    (?P<number>\d[\d,]*(?:\.\d+)?)
  | (?P<digit>[일이삼사오육칠팔구])
  | (?P<small>[십백천])
  | (?P<big>[만억조])
  | (?P<currency>원|₩|\\|krw|won)
  | (?P<minus>[-−]|마이너스)
  | (?P<space>\s+)
    """,
    re.VERBOSE,
)
_GROUPED: Final[re.Pattern[str]] = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_LONGEST_NUMBER: Final[int] = 20  # digits; anything longer is far above MAX_KRW anyway


class _Token(NamedTuple):
    kind: str
    text: str


def parse_krw(text: str) -> int:
    """Return the amount in whole won, or raise ParseError with a money.* code."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if not cleaned:
        raise ParseError("money.empty")
    negative, amount_tokens = _strip_sign_and_currency(_tokenize(cleaned))
    amount = _evaluate(amount_tokens)
    if negative and amount:
        raise ParseError("money.negative")
    if amount > MAX_KRW:
        raise ParseError("money.too_large", {"max": MAX_KRW})
    if amount.denominator != 1:
        raise ParseError("money.fraction")
    return int(amount)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            raise ParseError("money.invalid")
        if match.lastgroup != "space":
            tokens.append(_Token(match.lastgroup, match.group()))
        position = match.end()
    return tokens


def _strip_sign_and_currency(tokens: list[_Token]) -> tuple[bool, list[_Token]]:
    """Split `-₩ 3만원` into the sign and the amount; the won sign may lead or trail."""
    start = 0
    while start < len(tokens) and tokens[start].kind in ("currency", "minus"):
        start += 1
    end = len(tokens)
    while end > start and tokens[end - 1].kind == "currency":
        end -= 1
    negative = any(token.kind == "minus" for token in tokens[:start])
    return negative, tokens[start:end]


def _evaluate(tokens: list[_Token]) -> Fraction:
    """Evaluate digits and units the Korean way: 1억 2천만 = 1×10⁸ + (2×10³)×10⁴."""
    if not tokens:
        raise ParseError("money.invalid")
    total = Fraction(0)
    section = Fraction(0)  # the part below the next 만/억/조
    pending: Fraction | None = None  # a number still waiting for its unit
    last_small = last_big = math.inf  # units must shrink: 3만 5천, never 5천 3만
    for token in tokens:
        if token.kind in ("number", "digit"):
            if pending is not None:
                raise ParseError("money.invalid")
            pending = _number_value(token)
        elif token.kind == "small":
            unit = _SMALL_UNITS[token.text]
            if unit >= last_small:
                raise ParseError("money.invalid")
            section += (1 if pending is None else pending) * unit
            pending, last_small = None, unit
        elif token.kind == "big":
            unit = _BIG_UNITS[token.text]
            if unit >= last_big:
                raise ParseError("money.invalid")
            if pending is None and not section:
                section = Fraction(1)  # 만원 alone means ten thousand
            total += (section + (pending or 0)) * unit
            section, pending, last_small, last_big = Fraction(0), None, math.inf, unit
        else:
            raise ParseError("money.invalid")
    return total + section + (0 if pending is None else pending)


def _number_value(token: _Token) -> Fraction:
    if token.kind == "digit":
        return Fraction(_KOREAN_DIGITS[token.text])
    if "," in token.text and not _GROUPED.fullmatch(token.text):
        raise ParseError("money.invalid")  # 3,0000 is a typo, not thirty thousand
    digits = token.text.replace(",", "")
    if len(digits.partition(".")[0]) > _LONGEST_NUMBER:
        raise ParseError("money.too_large", {"max": MAX_KRW})
    return Fraction(digits)
