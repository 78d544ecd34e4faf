"""Read an amount of Korean won as people type it: 30,000원, 3만 5천원, 약 50만원이요, about 30k."""

import math
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from flows.parsing.errors import ParseError
from flows.parsing.money_words import ENGLISH_WORDS, Token, tokenize

MAX_KRW: Final[int] = 10**13

_KOREAN_DIGITS: Final[dict[str, int]] = {
    "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9,
}  # fmt: skip
_SMALL_UNITS: Final[dict[str, int]] = {"십": 10, "백": 100, "천": 1000}
_BIG_UNITS: Final[dict[str, int]] = {"만": 10**4, "억": 10**8, "조": 10**12}
_UNIT_KINDS: Final[frozenset[str]] = frozenset({"small", "big", "multiplier"})
_AMOUNT_KINDS: Final[frozenset[str]] = frozenset({"number", "digit", *_UNIT_KINDS})
_GROUPED: Final[re.Pattern[str]] = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_LONGEST_NUMBER: Final[int] = 20  # digits; anything longer is far above MAX_KRW anyway


@dataclass(frozen=True)
class KrwAmount:
    """An amount read from an answer; `estimate` when it was hedged (약, 정도, about, ~)."""

    won: int
    estimate: bool = False


def parse_krw(text: str) -> int:
    """Return the amount in whole won, or raise ParseError with a money.* code."""
    return read_krw(text).won


def read_krw(text: str) -> KrwAmount:
    """Return the amount and whether it was hedged.

    A range (3~5만원, 3만에서 5만원 사이, 30k-50k) is not one amount: it raises money.range
    with both ends, so that the claimant is asked which amount to file.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if not cleaned:
        raise ParseError("money.empty")
    tokens = tokenize(cleaned)
    estimate = any(token.kind == "hedge" for token in tokens)
    tokens = [token for token in tokens if token.kind not in ("hedge", "ending", "filler")]
    if tokens and tokens[0].kind == "range" and tokens[0].text == "~":
        tokens, estimate = tokens[1:], True  # ~5만원: about fifty thousand
    while tokens and tokens[-1].kind == "range" and tokens[-1].text == "~":
        tokens.pop()  # 5만원~ is said with a smile, not as a range
    sides = _split_range(tokens)
    if len(sides) == 1:
        return KrwAmount(_amount(sides[0]), estimate)
    low_tokens, high_tokens = sides
    low, high = sorted((_amount(_with_units_of(low_tokens, high_tokens)), _amount(high_tokens)))
    if low == high:
        return KrwAmount(low, estimate)
    raise ParseError("money.range", {"low": f"{low:,}", "high": f"{high:,}"})


def _split_range(tokens: list[Token]) -> list[list[Token]]:
    """Cut at the one range word or dash that stands between two amounts."""
    cuts = [
        n
        for n, token in enumerate(tokens)
        if token.kind == "range"
        or (token.kind == "minus" and any(t.kind in _AMOUNT_KINDS for t in tokens[:n]))
    ]
    if not cuts:
        return [tokens]
    if len(cuts) > 1 or cuts[0] in (0, len(tokens) - 1):
        raise ParseError("money.invalid")
    return [tokens[: cuts[0]], tokens[cuts[0] + 1 :]]


def _with_units_of(low: list[Token], high: list[Token]) -> list[Token]:
    """3~5만원 means 3만~5만원: a bare low end borrows the units that follow the high end's number."""
    if any(token.kind in _UNIT_KINDS for token in low):
        return low
    first = next((n for n, t in enumerate(high) if t.kind in ("number", "digit")), None)
    if first is None:
        return low
    units = [token for token in high[first + 1 :] if token.kind in _UNIT_KINDS]
    return [*low, *units]


def _amount(tokens: list[Token]) -> int:
    negative, amount_tokens = _strip_sign_and_currency(tokens)
    amount = _evaluate(amount_tokens)
    if negative and amount:
        raise ParseError("money.negative")
    if amount > MAX_KRW:
        raise ParseError("money.too_large", {"max": MAX_KRW})
    if amount.denominator != 1:
        raise ParseError("money.fraction")
    return int(amount)


def _strip_sign_and_currency(tokens: list[Token]) -> tuple[bool, list[Token]]:
    """Split `-₩ 3만원` into the sign and the amount; the won sign may lead or trail."""
    start = 0
    while start < len(tokens) and tokens[start].kind in ("currency", "minus"):
        start += 1
    end = len(tokens)
    while end > start and tokens[end - 1].kind == "currency":
        end -= 1
    negative = any(token.kind == "minus" for token in tokens[:start])
    return negative, tokens[start:end]


def _evaluate(tokens: list[Token]) -> Fraction:
    """Evaluate digits and units the Korean way: 1억 2천만 = 1×10⁸ + (2×10³)×10⁴."""
    if not tokens:
        raise ParseError("money.invalid")
    if any(token.kind == "multiplier" for token in tokens):
        return _evaluate_english(tokens)
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


def _evaluate_english(tokens: list[Token]) -> Fraction:
    """30k, 1.5 million: one number and one multiplier, nothing else."""
    if [token.kind for token in tokens] != ["number", "multiplier"]:
        raise ParseError("money.invalid")
    return _number_value(tokens[0]) * ENGLISH_WORDS[tokens[1].text][1]


def _number_value(token: Token) -> Fraction:
    if token.kind == "digit":
        return Fraction(_KOREAN_DIGITS[token.text])
    if "," in token.text and not _GROUPED.fullmatch(token.text):
        raise ParseError("money.invalid")  # 3,0000 is a typo, not thirty thousand
    digits = token.text.replace(",", "")
    if len(digits.partition(".")[0]) > _LONGEST_NUMBER:
        raise ParseError("money.too_large", {"max": MAX_KRW})
    return Fraction(digits)
