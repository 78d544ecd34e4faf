"""Step kind ``confirm``: every answer so far, each with Edit, then Submit."""

from __future__ import annotations

from typing import ClassVar, Literal

from flows.prompt import Widget
from flows.steps import StepBase


class ConfirmStep(StepBase):
    """Shows every answer so far with a way to edit each, then goes on when confirmed."""

    widget: ClassVar[Widget] = "summary"

    kind: Literal["confirm"]

    @property
    def is_summary(self) -> bool:
        return True


STEP = ConfirmStep
