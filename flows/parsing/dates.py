"""Read a date or a moment as people type it, in Korean or English: 10월 15일 오후 3시, Oct 15."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo

from flows.parsing.errors import ParseError

# One small grammar serves both languages. dateutil is not used for the English forms: it fills
# what is missing from its default without a word ("Oct 2022" becomes the reference's day).
_TOKEN: Final[re.Pattern[str]] = re.compile(
    r"""
    (?P<number>\d+)
  | (?P<word>[a-z]+)
  | (?P<korean>그저께|그제|어제|오늘|오전|오후|새벽|아침|저녁|정오|자정|무렵|쯤|경|에
               |밤|낮|년|월|일|시|분|초|반)
  | (?P<separator>[-./:,])
  | (?P<space>\s+)
    """,
    re.VERBOSE,
)
_KOREAN_WEEKDAY: Final[re.Pattern[str]] = re.compile(
    r"\(\s*[월화수목금토일](?:요일)?\s*\)|[월화수목금토일]요일"
)
_LATIN_MERIDIEM: Final[re.Pattern[str]] = re.compile(r"\b([ap])\.\s?m\b\.?")
_ISO_MOMENT: Final[re.Pattern[str]] = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\S+")

_MONTHS: Final[tuple[str, ...]] = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_WEEKDAYS: Final[tuple[str, ...]] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip
_MARKERS: Final[dict[str, str]] = {
    "년": "year", "월": "month", "일": "day", "시": "hour", "분": "minute", "초": "second",
}  # fmt: skip
_DAYS_AGO: Final[dict[str, int]] = {
    "오늘": 0, "today": 0, "어제": 1, "yesterday": 1, "그제": 2, "그저께": 2,
}  # fmt: skip
_MERIDIEMS: Final[dict[str, str]] = {
    "오전": "am", "새벽": "am", "아침": "am", "am": "am",
    "오후": "pm", "낮": "pm", "저녁": "pm", "pm": "pm",
    "밤": "night",
}  # fmt: skip
_NAMED_HOURS: Final[dict[str, int]] = {"정오": 12, "noon": 12, "자정": 0, "midnight": 0}
_FILLERS: Final[frozenset[str]] = frozenset({
    "쯤", "경", "무렵", "에", ",", ".",
    "at", "on", "of", "the", "around", "about", "st", "nd", "rd", "th",
})  # fmt: skip


@dataclass(frozen=True)
class ParsedMoment:
    """A moment read from an answer; without a time of day it is midnight and has_time is False."""

    value: datetime
    has_time: bool


class _Token(NamedTuple):
    kind: str
    text: str


@dataclass
class _Slots:
    """What the answer said, field by field, before it is checked and put together."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    days_ago: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    meridiem: str | None = None

    def fill(self, field: str, value: int | str) -> None:
        if getattr(self, field) is not None:
            raise ParseError("date.invalid")  # said twice: "3시 4시", "오늘 10월 15일"
        setattr(self, field, value)


def parse_date(text: str, *, reference: date) -> date:
    """Return the calendar day in `text`; a time of day is read (and checked) but dropped.

    Relative words and a missing year count from `reference`, a day in Korea.
    """
    return parse_datetime(text, reference=datetime.combine(reference, time())).value.date()


def parse_datetime(text: str, *, reference: datetime, tz: str = "Asia/Seoul") -> ParsedMoment:
    """Return the moment in `text` in time zone `tz`; a naive `reference` is taken to be in tz."""
    zone = ZoneInfo(tz)
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise ParseError("date.empty")
    try:
        if _ISO_MOMENT.fullmatch(cleaned):
            return _iso_moment(cleaned, zone)
        today = reference.astimezone(zone).date() if reference.tzinfo else reference.date()
        return _assemble(_read_slots(_tokenize(cleaned)), today, zone)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, ParseError):
            raise
        # Years near 1 or 9999 overflow when shifted by a zone or past midnight, and
        # enormous years overflow date() itself: not a date anyone lived through.
        raise ParseError("date.invalid") from None


def _iso_moment(text: str, zone: ZoneInfo) -> ParsedMoment:
    """2022-10-15T15:30:00+09:00 and friends; an explicit offset is converted into `zone`."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ParseError("time.invalid" if _is_iso_day(text[:10]) else "date.invalid") from None
    value = value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)
    return ParsedMoment(value, has_time=True)


def _is_iso_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _tokenize(text: str) -> list[_Token]:
    text = _KOREAN_WEEKDAY.sub(" ", text).lower()
    text = _LATIN_MERIDIEM.sub(r"\1m", text)
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            raise ParseError("date.invalid")
        if match.lastgroup != "space":
            tokens.append(_Token(match.lastgroup, match.group()))
        position = match.end()
    return tokens


def _read_slots(tokens: list[_Token]) -> _Slots:
    slots = _Slots()
    bare_numbers: list[str] = []
    position = 0
    while position < len(tokens):
        if tokens[position].kind == "number":
            position = _read_number(tokens, position, slots, bare_numbers)
        else:
            _read_word(tokens[position].text, slots)
            position += 1
    for number in bare_numbers:
        _place_bare_number(number, slots)
    return slots


def _read_number(tokens: list[_Token], start: int, slots: _Slots, bare: list[str]) -> int:
    """Read the number at `start` with whatever gives it its meaning; return where to go on."""
    number = tokens[start].text
    following = tokens[start + 1].text if start + 1 < len(tokens) else ""
    if following in ("-", ".", "/", ":"):
        parts, end = _read_group(tokens, start, following)
        if len(parts) > 1:
            _fill_group(parts, following, slots)
            return end
    if following in _MARKERS:
        slots.fill(_MARKERS[following], int(number))
        after = tokens[start + 2].text if start + 2 < len(tokens) else ""
        if following == "시" and after == "반":
            slots.fill("minute", 30)
            return start + 3
        return start + 2
    if following in ("am", "pm"):
        slots.fill("hour", int(number))
    else:
        bare.append(number)
    return start + 1


def _read_group(tokens: list[_Token], start: int, separator: str) -> tuple[list[str], int]:
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


def _fill_group(parts: list[str], separator: str, slots: _Slots) -> None:
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


def _read_word(word: str, slots: _Slots) -> None:
    if word in _FILLERS or _full_name(word, _WEEKDAYS):
        return
    if word in _DAYS_AGO:
        slots.fill("days_ago", _DAYS_AGO[word])
    elif word in _MERIDIEMS:
        slots.fill("meridiem", _MERIDIEMS[word])
    elif word in _NAMED_HOURS:
        slots.fill("hour", _NAMED_HOURS[word])
        slots.fill("minute", 0)
    elif month := _full_name(word, _MONTHS):
        slots.fill("month", month)
    else:
        raise ParseError("date.invalid")


def _full_name(word: str, names: tuple[str, ...]) -> int | None:
    """1-based position of the name `word` spells or abbreviates (oct, sept, sat, saturday)."""
    if len(word) >= 3:
        for number, name in enumerate(names, start=1):
            if name.startswith(word):
                return number
    return None


def _place_bare_number(number: str, slots: _Slots) -> None:
    """A number with no unit is a year if it has four digits, otherwise the day (Oct 15 2022)."""
    if len(number) == 4:
        slots.fill("year", int(number))
    elif len(number) <= 2:
        slots.fill("day", int(number))
    else:
        raise ParseError("date.invalid")


def _assemble(slots: _Slots, today: date, zone: ZoneInfo) -> ParsedMoment:
    clock = _time_of_day(slots)
    day = _calendar_day(slots, today, has_time=clock is not None)
    if clock is None:
        return ParsedMoment(datetime.combine(day, time(), tzinfo=zone), has_time=False)
    wall_clock = datetime.combine(day, time()) + clock  # may roll over: 밤 12시 is the next day
    return ParsedMoment(wall_clock.replace(tzinfo=zone), has_time=True)


def _time_of_day(slots: _Slots) -> timedelta | None:
    if slots.hour is None:
        if (slots.minute, slots.second, slots.meridiem) != (None, None, None):
            raise ParseError("time.invalid")  # "30분" or "오후" with no hour
        return None
    minute, second = slots.minute or 0, slots.second or 0
    if not (0 <= minute <= 59 and 0 <= second <= 59):
        raise ParseError("time.invalid")
    hour = _hour_of_day(slots.hour, slots.meridiem)
    return timedelta(hours=hour, minutes=minute, seconds=second)


def _hour_of_day(hour: int, meridiem: str | None) -> int:
    """0-23 on the day; 24 and beyond are the small hours of the next day (밤 12시, 밤 2시)."""
    if meridiem is None and 0 <= hour <= 23:
        return hour
    if meridiem == "am" and 0 <= hour <= 12:
        return hour % 12
    if meridiem == "pm" and 1 <= hour <= 12:
        return hour % 12 + 12
    if meridiem == "night" and 1 <= hour <= 12:
        # People say 밤 12시 and 밤 2시 for the midnight and the small hours that end that day.
        return 24 + hour % 12 if hour % 12 <= 4 else hour + 12
    raise ParseError("time.invalid")


def _calendar_day(slots: _Slots, today: date, *, has_time: bool) -> date:
    named = (slots.year, slots.month, slots.day)
    if slots.days_ago is not None:
        if named != (None, None, None):
            raise ParseError("date.invalid")
        return today - timedelta(days=slots.days_ago)
    if named == (None, None, None):
        raise ParseError("date.missing" if has_time else "date.invalid")
    if slots.month is None or slots.day is None:
        raise ParseError("date.invalid")
    year = today.year if slots.year is None else slots.year
    try:
        return date(year + 2000 if year < 100 else year, slots.month, slots.day)
    except ValueError:
        raise ParseError("date.invalid") from None
