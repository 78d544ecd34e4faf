"""Step kind ``info``: a message to read, then Continue."""

from __future__ import annotations

from typing import ClassVar, Literal

from flows.prompt import Widget
from flows.steps import StepBase


class InfoStep(StepBase):
    widget: ClassVar[Widget] = "info"

    kind: Literal["info"]


STEP = InfoStep
