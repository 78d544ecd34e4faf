"""Step kind ``rating``: a score from 1 to ``scale`` (how bad was it?), by button or typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from flows import inputs as i
from flows.prompt import PromptOption, Widget
from flows.reading import Accepted, Reading, Rejected
from flows.steps import AskingBase

if TYPE_CHECKING:
    from flows.state import Conversation


class RatingStep(AskingBase):
    widget: ClassVar[Widget] = "choose_one"  # drawn as buttons 1..scale: no channel change
    offers_way_on: ClassVar[bool] = False  # the buttons are always there

    kind: Literal["rating"]
    scale: int = Field(default=5, ge=2, le=10)

    def read(self, given: i.UserInput, pending: list[Any], timezone: str) -> Reading:
        said = given.value if isinstance(given, i.Choose) else None
        if isinstance(given, i.Text):
            text = given.text.strip()
            said = str(text.count("★")) if text and set(text) == {"★"} else text
        if said is not None and said.isdigit() and 1 <= int(said) <= self.scale:
            return Accepted(int(said))
        return Rejected("rating.invalid", {"scale": self.scale})

    def show(self, value: Any, language: str) -> str:
        return f"{value}/{self.scale}"

    def report_values(self, value: Any) -> list[tuple[str | None, int | None]]:
        return [(str(value), None)]  # counted per score: how many said 5, 4, ...

    def prompt_extras(self, state: Conversation) -> dict[str, Any]:
        return {"options": tuple(PromptOption(str(n), "★" * n) for n in range(1, self.scale + 1))}


STEP = RatingStep
