"""Step kind ``date``: a day (``2022-10-15``, ``10월 15일``, ``15 Oct 2022``), kept as ISO."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from pydantic import Field

from flows.exporting import ColumnType
from flows.parsing import parse_date
from flows.reading import Accepted, Reading, Rejected
from flows.steps import ANCHORS_HELP, Anchor, AskingBase


class DateStep(AskingBase):
    sample: ClassVar[str] = "2022-10-16"
    hint: ClassVar[str | None] = "hint.date"
    report_kind: ClassVar[str] = "day"

    example_messages: ClassVar[tuple[str, ...]] = (
        "hint.date",
        "date.invalid",
        "date.missing",
        "date.no_anchor",
    )

    kind: Literal["date"]
    earliest: dt.date | None = None
    latest: dt.date | None = None
    anchors: list[Anchor] = Field(default_factory=list, description=ANCHORS_HELP)

    def read_text(self, text: str, timezone: str) -> Reading:
        # "today" is the claimant's: a day in the flow's zone, not the server's
        today = dt.datetime.now(ZoneInfo(timezone)).date()
        reference = today  # 오늘, 어제: the claimant's day (the window completes the rest)
        anchors = {word: a.at for a in self.anchors for word in a.words}
        day = parse_date(
            text,
            reference=reference,
            tz=timezone,
            earliest=self.earliest,
            latest=self.latest,
            anchors=anchors,
        )
        if self.earliest and day < self.earliest:
            return Rejected("date.too_early", {"earliest": self.earliest.isoformat()})
        if self.latest and day > self.latest:
            return Rejected("date.too_late", {"latest": self.latest.isoformat()})
        return Accepted(day.isoformat())

    @property
    def anchor_list(self) -> list[Anchor]:
        return self.anchors

    def export_type(self) -> ColumnType:
        return "date"

    def export_value(self, language: str, zone: ZoneInfo) -> Callable[[Any], Any]:
        return lambda value: dt.date.fromisoformat(str(value)[:10])

    def report_values(self, value: Any) -> list[tuple[str | None, int | None]]:
        return [(str(value)[:10], None)]

    def incident_day(self, value: Any) -> dt.date | None:
        return dt.date.fromisoformat(str(value)[:10])


STEP = DateStep
