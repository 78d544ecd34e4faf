"""The words of a date answer, Korean and English, read into slots (year, month, day, hour...)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple

from flows.parsing.errors import ParseError


def _alternatives(words: Sequence[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# Days counted from an event the flow names (화재 다음날, 장애 이틀 뒤, the day after the fire).
_KOREAN_OFFSETS: Final[dict[str, int]] = {
    "다음날": 1, "다음 날": 1, "이튿날": 1, "익일": 1, "당일": 0, "그날": 0, "그 날": 0,
    "첫날": 0, "전날": -1, "전 날": -1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6,
}  # fmt: skip
# Native numbers say the hour in speech: 새벽 두시, 오후 세시 반.
_NATIVE_HOURS: Final[dict[str, int]] = {
    "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
    "열": 10, "열한": 11, "열두": 12,
}  # fmt: skip
# Polite endings and hedges around a date say nothing about it: 16일 새벽 2시쯤이요.
_KOREAN_ENDINGS: Final[tuple[str, ...]] = (
    "이었습니다", "이었어요", "였습니다", "였어요", "입니다", "이에요", "이예요", "예요", "에요",
    "인데요", "이고요", "이요", "요", "인 것 같아요", "인것 같아요", "것 같아요", "같아요",
    "것 같습니다", "정도", "즈음", "께",
)  # fmt: skip
_KOREAN_WORDS: Final[tuple[str, ...]] = (
    "그저께", "그제", "어제", "오늘", "오전", "오후", "새벽", "아침", "저녁", "정오", "자정",
    "무렵", "쯤", "경", "에", "밤", "낮", "년", "월", "일", "시", "분", "초", "반",
    "후", "뒤", "지나서", "전", "가", "난", "나고", "발생", "발생한", "일어난", "의", "날",
    *_KOREAN_OFFSETS, *_KOREAN_ENDINGS, *_NATIVE_HOURS,
)  # fmt: skip

# An anchor is replaced by §n§ before tokenizing: its words come from the flow file.
_TOKEN: Final[re.Pattern[str]] = re.compile(
    rf"""
    (?P<number>\d+)
  | (?P<anchor>§\d+§)
  | (?P<word>[a-z]+)
  | (?P<weekday>\(\s*[월화수목금토일](?:요일)?\s*\)|[월화수목금토일]요일)
  | (?P<korean>{_alternatives(_KOREAN_WORDS)})
  | (?P<separator>[-./:,])
  | (?P<space>\s+)
    """,
    re.VERBOSE,
)
_LATIN_MERIDIEM: Final[re.Pattern[str]] = re.compile(r"\b([ap])\.\s?m\b\.?")

_MONTHS: Final[tuple[str, ...]] = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_WEEKDAYS: Final[tuple[str, ...]] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip
_KOREAN_WEEKDAYS: Final[str] = "월화수목금토일"
_MARKERS: Final[dict[str, str]] = {
    "년": "year", "월": "month", "일": "day", "시": "hour", "분": "minute", "초": "second",
}  # fmt: skip
_DAYS_AGO: Final[dict[str, int]] = {
    "오늘": 0, "today": 0, "어제": 1, "yesterday": 1, "그제": 2, "그저께": 2,
}  # fmt: skip
_MERIDIEMS: Final[dict[str, str]] = {
    "오전": "am", "새벽": "am", "아침": "am", "am": "am", "morning": "am",
    "오후": "pm", "낮": "pm", "저녁": "pm", "pm": "pm", "afternoon": "pm", "evening": "pm",
    "밤": "night", "night": "night",
}  # fmt: skip
PARTS_OF_DAY: Final[dict[str, tuple[int, int]]] = {
    "새벽": (0, 6), "아침": (6, 11), "오전": (0, 12), "am": (0, 12), "morning": (5, 12),
    "낮": (11, 17), "오후": (12, 24), "pm": (12, 24), "afternoon": (12, 18),
    "저녁": (17, 22), "evening": (17, 22), "밤": (20, 28), "night": (20, 28),
}  # fmt: skip
"""Hours a part of the day said alone covers (밤 runs on to 4 a.m.): 토요일 저녁 is 17-22."""
_NAMED_HOURS: Final[dict[str, int]] = {"정오": 12, "noon": 12, "자정": 0, "midnight": 0}
_ENGLISH_COUNTS: Final[dict[str, int]] = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
}  # fmt: skip
_FILLERS: Final[frozenset[str]] = frozenset({
    "쯤", "경", "무렵", "에", ",", ".", "가", "난", "나고", "발생", "발생한", "일어난", "의",
    "날", "at", "on", "of", "the", "around", "about", "st", "nd", "rd", "th", "in",
    *_KOREAN_ENDINGS,
})  # fmt: skip
_AFTER: Final[frozenset[str]] = frozenset({"후", "뒤", "지나서"})


class Token(NamedTuple):
    kind: str
    text: str


@dataclass
class Slots:
    """What the answer said, field by field, before it is checked and put together."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    days_ago: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    meridiem: str | None = None
    part: str | None = None  # the word of the part of the day (저녁, evening)
    weekday: int | None = None  # 0 = Monday
    anchor: int | None = None  # which of the step's anchor events
    offset: int | None = None  # days after the anchor (negative: before)
    count: int | None = None  # English: the 2 of "2 days after"
    direction: int | None = None  # English: +1 after, -1 before

    def fill(self, field: str, value: int | str) -> None:
        if getattr(self, field) is not None:
            raise ParseError("date.invalid")  # said twice: "3시 4시", "오늘 10월 15일"
        setattr(self, field, value)

    def named(self) -> tuple[int | None, int | None, int | None]:
        return self.year, self.month, self.day


def tokenize(text: str, anchor_words: Sequence[str] = ()) -> list[Token]:
    """Tokens of lower-cased text; anchor_words[n] is read as the anchor token §n§."""
    text = _LATIN_MERIDIEM.sub(r"\1m", text.lower())
    for number, word in sorted(enumerate(anchor_words), key=lambda item: -len(item[1])):
        word = word.lower()
        pattern = rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word)
        text = re.sub(pattern, f" §{number}§ ", text)
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            raise ParseError("date.invalid")
        if match.lastgroup != "space":
            tokens.append(Token(match.lastgroup, match.group()))
        position = match.end()
    return tokens


def read_slots(tokens: list[Token]) -> Slots:
    slots = Slots()
    bare_numbers: list[str] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token.kind == "number":
            position = _read_number(tokens, position, slots, bare_numbers)
            continue
        if token.kind == "anchor":
            slots.fill("anchor", int(token.text.strip("§")))
        elif token.kind == "weekday":
            slots.fill("weekday", _KOREAN_WEEKDAYS.index(token.text.strip("( )")[0]))
        elif token.text in _NATIVE_HOURS and _next_text(tokens, position) == "시":
            slots.fill("hour", _NATIVE_HOURS[token.text])  # 두시, 열두 시
            position += 1
            if _next_text(tokens, position) == "반":
                slots.fill("minute", 30)
                position += 1
        elif token.text in _KOREAN_OFFSETS:
            slots.fill("offset", _KOREAN_OFFSETS[token.text])
            if position + 1 < len(tokens) and tokens[position + 1].text in _AFTER:
                position += 1  # 이틀 후, 사흘 뒤
        else:
            _read_word(token.text, slots)
        position += 1
    for number in bare_numbers:
        _place_bare_number(number, slots)
    _settle_english_offset(slots)
    return slots


def _next_text(tokens: list[Token], position: int) -> str:
    return tokens[position + 1].text if position + 1 < len(tokens) else ""


def _read_number(tokens: list[Token], start: int, slots: Slots, bare: list[str]) -> int:
    """Read the number at `start` with whatever gives it its meaning; return where to go on."""
    number = tokens[start].text
    following = tokens[start + 1].text if start + 1 < len(tokens) else ""
    after = tokens[start + 2].text if start + 2 < len(tokens) else ""
    if following in ("-", ".", "/", ":"):
        parts, end = _read_group(tokens, start, following)
        if len(parts) > 1:
            _fill_group(parts, following, slots)
            return end
    if following == "일" and (after in _AFTER or after == "전"):
        slots.fill("offset", int(number) * (-1 if after == "전" else 1))  # 3일 후, 2일 전
        return start + 3
    if following in ("day", "days"):
        slots.fill("count", int(number))  # 2 days after the fire
        return start + 2
    if following in _MARKERS:
        slots.fill(_MARKERS[following], int(number))
        if following == "시" and after == "반":
            slots.fill("minute", 30)
            return start + 3
        return start + 2
    if following in ("am", "pm"):
        slots.fill("hour", int(number))
    else:
        bare.append(number)
    return start + 1


def _read_group(tokens: list[Token], start: int, separator: str) -> tuple[list[str], int]:
    """Read up to three numbers joined by one separator: 2022-10-15, 10/15, 15:30:00."""
    parts = [tokens[start].text]
    position = start + 1
    while (
        len(parts) < 3
        and position + 1 < len(tokens)
        and tokens[position].text == separator
        and tokens[position + 1].kind == "number"
    ):
        parts.append(tokens[position + 1].text)
        position += 2
    return parts, position


def _fill_group(parts: list[str], separator: str, slots: Slots) -> None:
    numbers = [int(part) for part in parts]
    if separator == ":":
        for field, value in zip(("hour", "minute", "second"), numbers, strict=False):
            slots.fill(field, value)
        return
    if len(parts) == 3:
        if len(parts[0]) not in (2, 4):
            raise ParseError("date.invalid")  # 15/10/2022 or 10/15/2022: which is the month?
        slots.fill("year", numbers.pop(0))
    slots.fill("month", numbers[0])
    slots.fill("day", numbers[1])


def _read_word(word: str, slots: Slots) -> None:
    if word in _FILLERS:
        return
    if word in _DAYS_AGO:
        slots.fill("days_ago", _DAYS_AGO[word])
    elif word in _MERIDIEMS:
        slots.fill("meridiem", _MERIDIEMS[word])
        slots.fill("part", word)
    elif word in _NAMED_HOURS:
        slots.fill("hour", _NAMED_HOURS[word])
        slots.fill("minute", 0)
    elif word in ("after", "before"):
        slots.fill("direction", 1 if word == "after" else -1)
    elif word in _ENGLISH_COUNTS:
        slots.fill("count", _ENGLISH_COUNTS[word])
    elif word in ("day", "days"):
        return  # "the day after", "two days after": the count and direction carry it
    elif weekday := _full_name(word, _WEEKDAYS):
        slots.fill("weekday", weekday - 1)
    elif month := _full_name(word, _MONTHS):
        slots.fill("month", month)
    else:
        raise ParseError("date.invalid")


def _settle_english_offset(slots: Slots) -> None:
    """'the day after', 'the morning after', '2 days before' become a day offset."""
    if slots.direction is not None:
        slots.fill("offset", slots.direction * (slots.count or 1))
    elif slots.count is not None:
        raise ParseError("date.invalid")  # "2 days" with no after or before


def _full_name(word: str, names: tuple[str, ...]) -> int | None:
    """1-based position of the name `word` spells or abbreviates (oct, sept, sat, saturday)."""
    if len(word) >= 3:
        for number, name in enumerate(names, start=1):
            if name.startswith(word):
                return number
    return None


def _place_bare_number(number: str, slots: Slots) -> None:
    """A number with no unit is a year if it has four digits, otherwise the day (Oct 15 2022)."""
    if len(number) == 4:
        slots.fill("year", int(number))
    elif len(number) <= 2:
        slots.fill("day", int(number))
    else:
        raise ParseError("date.invalid")


def anchor_word_problem(word: str) -> str | None:
    """Why `word` cannot name an anchor event (it already means something in a date), or None."""
    if any(character.isdigit() for character in word) or "§" in word:
        return "has digits or §, which dates already use"
    try:
        read_slots(tokenize(word))
    except ParseError:
        return None
    return "is already a word of dates or times; choose another"
