"""Step kind ``datetime``: a date with or without a time (``10월 15일 오후 3시``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from pydantic import Field

from flows.exporting import ColumnType, local_moment
from flows.parsing import DateWindow, parse_datetime
from flows.reading import Accepted, Reading, Rejected
from flows.steps import ANCHORS_HELP, Anchor, AskingBase


class DateTimeStep(AskingBase):
    sample: ClassVar[str] = "2022-10-16 12:00"
    hint: ClassVar[str | None] = "hint.datetime"
    report_kind: ClassVar[str] = "day"

    example_messages: ClassVar[tuple[str, ...]] = (
        "hint.datetime",
        "date.invalid",
        "date.missing",
        "date.no_anchor",
    )

    kind: Literal["datetime"]
    earliest: dt.datetime | None = Field(
        default=None, description="Naive means in the step's (else the flow's) time zone."
    )
    latest: dt.datetime | None = None
    timezone: str | None = Field(default=None, description="Default: the flow's timezone.")
    anchors: list[Anchor] = Field(default_factory=list, description=ANCHORS_HELP)

    def read_text(self, text: str, timezone: str) -> Reading:
        zone_name = self.timezone or timezone
        zone = ZoneInfo(zone_name)
        earliest, latest = _aware(self.earliest, zone), _aware(self.latest, zone)
        reference = dt.datetime.now(zone)  # 오늘, 어제: the claimant's day, not the window's
        anchors = {word: a.at for a in self.anchors for word in a.words}
        moment = parse_datetime(
            text,
            reference=reference,
            tz=zone_name,
            window=DateWindow(earliest, latest),
            anchors=anchors,
        )
        # a day, or a part of one (토요일 저녁), counts if any of it is in the window
        first, last = moment.span()
        if earliest and last < earliest:
            return Rejected("date.too_early", {"earliest": _shown(earliest)})
        if latest and first > latest:
            return Rejected("date.too_late", {"latest": _shown(latest)})
        if moment.has_time:
            return Accepted(moment.value.isoformat(timespec="minutes"))
        return Accepted(moment.value.date().isoformat())

    def show(self, value: Any, language: str) -> str:
        return str(value)[:16].replace("T", " ")

    @property
    def anchor_list(self) -> list[Anchor]:
        return self.anchors

    def export_type(self) -> ColumnType:
        return "datetime"

    def export_value(self, language: str, zone: ZoneInfo) -> Callable[[Any], Any]:
        """A date-only answer is that day's local midnight."""
        return lambda value: local_moment(str(value), zone)

    def report_values(self, value: Any) -> list[tuple[str | None, int | None]]:
        return [(str(value)[:10], None)]

    def incident_day(self, value: Any) -> dt.date | None:
        return dt.date.fromisoformat(str(value)[:10])


def _aware(value: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)


def _shown(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


STEP = DateTimeStep
