"""Completing a date from the question's window: 16일 means the one 16th inside the outage."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from flows.parsing.errors import ParseError

Span = tuple[datetime, datetime]
"""The first and last instant an answer covers: one moment, a part of a day, or a whole day."""

_LONGEST_WINDOW: Final[int] = 3660  # days; a window longer than ten years infers nothing
_CHOICES_SHOWN: Final[int] = 4


@dataclass(frozen=True)
class DateWindow:
    """When the answer can lie (the step's earliest and latest); either end may be open."""

    earliest: datetime | None = None
    latest: datetime | None = None

    @property
    def bounded(self) -> bool:
        return self.earliest is not None and self.latest is not None

    def holds(self, span: Span) -> bool:
        first, last = span
        if self.earliest is not None and last < self.earliest:
            return False
        return self.latest is None or first <= self.latest

    def distance(self, span: Span) -> timedelta:
        first, last = span
        if self.earliest is not None and last < self.earliest:
            return self.earliest - last
        if self.latest is not None and first > self.latest:
            return first - self.latest
        return timedelta(0)

    def days(self) -> list[date]:
        """Every day the window touches; empty when an end is open or it is implausibly long."""
        if self.earliest is None or self.latest is None:
            return []
        first, last = self.earliest.date(), self.latest.date()
        if not 0 <= (last - first).days <= _LONGEST_WINDOW:
            return []
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def years(self) -> list[int]:
        ends = [end.year for end in (self.earliest, self.latest) if end is not None]
        return list(range(min(ends), max(ends) + 1)) if ends else []


def candidate_days(
    year: int | None, month: int | None, day: int | None, window: DateWindow, this_year: int
) -> list[date]:
    """The days a date with missing parts may mean; the window says which months and years."""
    if month is None:
        if day is None or year is not None:
            raise ParseError("date.invalid")
        months = sorted({(d.year, d.month) for d in window.days()})
        if not months:
            raise ParseError("date.invalid")  # 16일 with nothing to tell the month
        return list(_valid_days((y, m, day) for y, m in months))
    if day is None:
        raise ParseError("date.invalid")
    if year is not None:
        return list(_valid_days([(year + 2000 if year < 100 else year, month, day)]))
    return list(_valid_days((y, month, day) for y in window.years() or [this_year]))


def days_of_week(weekday: int, window: DateWindow) -> list[date]:
    days = window.days()
    if not days:
        raise ParseError("date.invalid")  # 토요일 with no window: which Saturday?
    return [d for d in days if d.weekday() == weekday]


def pick_day(candidates: list[date], span_of: Callable[[date], Span], window: DateWindow) -> date:
    """The one candidate whose span lies in the window; two or more ask the claimant which.

    None inside: the nearest, so that the window check names the limit that was crossed.
    """
    if not candidates:
        raise ParseError("date.invalid")
    if len(candidates) == 1:
        return candidates[0]
    inside = [d for d in candidates if window.holds(span_of(d))]
    if len(inside) == 1:
        return inside[0]
    if inside:
        shown = ", ".join(d.isoformat() for d in inside[:_CHOICES_SHOWN])
        raise ParseError("date.ambiguous", {"choices": shown})
    return min(candidates, key=lambda d: window.distance(span_of(d)))


def _valid_days(
    parts: Iterator[tuple[int, int, int]] | list[tuple[int, int, int]],
) -> Iterator[date]:
    for year, month, day in parts:
        try:
            yield date(year, month, day)
        except ValueError:
            continue  # 31 in a month of thirty days, 29 February of a common year
