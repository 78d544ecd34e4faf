"""Step kind ``end``: the interview is over; ``submit`` says whether a case is filed."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from flows.prompt import Widget
from flows.steps import StepBase


class EndStep(StepBase):
    widget: ClassVar[Widget] = "end"

    kind: Literal["end"]
    submit: bool = Field(description="Whether reaching this end files a case.")

    @property
    def is_end(self) -> bool:
        return True

    @property
    def files_case(self) -> bool:
        return self.submit


STEP = EndStep
