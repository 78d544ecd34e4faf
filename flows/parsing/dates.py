"""Read a date or a moment as people type it, in Korean or English: 10월 15일 오후 3시, Oct 15.

What the answer leaves out (the month of 16일, the day of 토요일 저녁, the date of 화재 다음날)
is completed from the question's window and its anchor events, only where one reading fits.
"""

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from flows.parsing.date_grammar import PARTS_OF_DAY, Slots, read_slots, tokenize
from flows.parsing.date_window import DateWindow, Span, candidate_days, days_of_week, pick_day
from flows.parsing.errors import ParseError
from flows.zone import DEFAULT_TIMEZONE

# One small grammar serves both languages. dateutil is not used for the English forms: it fills
# what is missing from its default without a word ("Oct 2022" becomes the reference's day).
_ISO_MOMENT: Final[re.Pattern[str]] = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\S+")


@dataclass(frozen=True)
class ParsedMoment:
    """A moment read from an answer; without a time of day it is midnight and has_time is False.

    `part` is the span a part of the day said without a time covers (토요일 저녁: 17:00 to
    21:59:59.999999); the stored answer is then the day alone.
    """

    value: datetime
    has_time: bool
    part: Span | None = None

    def span(self) -> Span:
        """The first and last instant the answer covers: the moment, the part of day, or the day."""
        if self.has_time:
            return self.value, self.value
        if self.part is not None:
            return self.part
        return self.value, self.value + timedelta(days=1, microseconds=-1)


@dataclass(frozen=True)
class _Context:
    today: date
    zone: ZoneInfo
    window: DateWindow
    anchors: tuple[datetime, ...]


def parse_date(
    text: str,
    *,
    reference: date,
    tz: str = DEFAULT_TIMEZONE,
    earliest: date | None = None,
    latest: date | None = None,
    anchors: Mapping[str, datetime] | None = None,
) -> date:
    """Return the calendar day in `text`; a time of day is read (and checked) but dropped.

    Relative words and a missing year count from `reference`, a day in Korea; a missing month
    or year, or a weekday, is taken from the window earliest..latest when one reading fits.
    """
    window = DateWindow(
        datetime.combine(earliest, time()) if earliest else None,
        datetime.combine(latest, time.max) if latest else None,
    )
    moment = parse_datetime(
        text, reference=datetime.combine(reference, time()), tz=tz, window=window, anchors=anchors
    )
    return moment.value.date()


def parse_datetime(
    text: str,
    *,
    reference: datetime,
    tz: str = DEFAULT_TIMEZONE,
    window: DateWindow | None = None,
    anchors: Mapping[str, datetime] | None = None,
) -> ParsedMoment:
    """Return the moment in `text` in time zone `tz`; a naive `reference` is taken to be in tz.

    `window` (naive ends are in tz) completes what the answer leaves out; `anchors` maps the
    words for an event (화재, fire) to its moment, for 화재 다음날 아침 or the day after the fire.
    """
    zone = ZoneInfo(tz)
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise ParseError("date.empty")
    anchors = anchors or {}
    try:
        if _ISO_MOMENT.fullmatch(cleaned):
            return _iso_moment(cleaned, zone)
        today = reference.astimezone(zone).date() if reference.tzinfo else reference.date()
        context = _Context(
            today,
            zone,
            _in_zone(window or DateWindow(), zone),
            tuple(_aware(moment, zone) for moment in anchors.values()),
        )
        return _assemble(read_slots(tokenize(cleaned, list(anchors))), context)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, ParseError):
            raise
        # Years near 1 or 9999 overflow when shifted by a zone or past midnight, and
        # enormous years overflow date() itself: not a date anyone lived through.
        raise ParseError("date.invalid") from None


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def _in_zone(window: DateWindow, zone: ZoneInfo) -> DateWindow:
    return DateWindow(
        _aware(window.earliest, zone) if window.earliest else None,
        _aware(window.latest, zone) if window.latest else None,
    )


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


def _assemble(slots: Slots, context: _Context) -> ParsedMoment:
    clock = _time_of_day(slots)
    part = PARTS_OF_DAY[slots.part] if clock is None and slots.part else None
    zone = context.zone

    def span_of(day: date) -> Span:
        if clock is not None:
            moment = _wall_clock(day, clock, zone)
            return moment, moment
        start, end = part or (0, 24)
        last = _wall_clock(day, timedelta(hours=end), zone) - timedelta(microseconds=1)
        return _wall_clock(day, timedelta(hours=start), zone), last

    day = _calendar_day(slots, context, span_of, said_time=clock is not None or part is not None)
    if clock is not None:
        return ParsedMoment(_wall_clock(day, clock, zone), has_time=True)
    midnight = datetime.combine(day, time(), tzinfo=zone)
    return ParsedMoment(midnight, has_time=False, part=span_of(day) if part else None)


def _wall_clock(day: date, clock: timedelta, zone: ZoneInfo) -> datetime:
    """The moment `clock` after the day's midnight; may roll over: 밤 12시 is the next day."""
    return (datetime.combine(day, time()) + clock).replace(tzinfo=zone)


def _time_of_day(slots: Slots) -> timedelta | None:
    if slots.hour is None:
        if (slots.minute, slots.second) != (None, None) or (slots.meridiem and not slots.part):
            raise ParseError("time.invalid")  # "30분" with no hour
        return None  # a part of the day alone (저녁) is a span, not a time
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


def _calendar_day(
    slots: Slots, context: _Context, span_of: Callable[[date], Span], *, said_time: bool
) -> date:
    named = slots.named()
    if slots.anchor is not None:
        if named != (None, None, None) or slots.days_ago is not None:
            raise ParseError("date.invalid")
        event = context.anchors[slots.anchor].date()
        return event + timedelta(days=slots.offset or 0)
    if slots.offset is not None:
        raise ParseError("date.no_anchor")  # 다음날: the day after what?
    if slots.days_ago is not None:
        if named != (None, None, None):
            raise ParseError("date.invalid")
        return context.today - timedelta(days=slots.days_ago)
    if named == (None, None, None):
        if slots.weekday is not None:
            return pick_day(days_of_week(slots.weekday, context.window), span_of, context.window)
        raise ParseError("date.missing" if said_time else "date.invalid")
    candidates = candidate_days(*named, context.window, context.today.year)
    if slots.weekday is not None and None in named:
        candidates = [d for d in candidates if d.weekday() == slots.weekday]  # 16일(일)
    return pick_day(candidates, span_of, context.window)
