"""Step kind ``multi_choice``: several options, toggled then Done, or typed as ``1, 3``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from flows import inputs as i
from flows.exporting import ExportColumn, pick
from flows.kinds.choice import labels_of, prompt_options, typed_choice
from flows.option_words import clashes
from flows.prompt import Widget
from flows.reading import Accepted, Pending, Reading, Rejected
from flows.steps import MASKED, AskingBase, KindProblem, Option

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from flows.schema import Flow
    from flows.state import Conversation


_AND = re.compile(r"(?<=\S)(?:이랑|랑|하고)\s+|\s+(?:및|그리고|and|&)\s+|\s*[/+]\s*", re.I)
"""Words that join answers as people type them: 이랑, 하고, 및, and, /."""


def split_choices(text: str) -> list[list[str]]:
    """The ways to read "1,3", "1 3", "카카오톡, 멜론" or "카카오톡 멜론" as several answers,
    best first: a label with spaces is tried whole before its words are."""
    text = text.replace("，", ",").replace("、", ",").strip()
    joined = _AND.sub(", ", text)  # 카톡이랑 멜론, 카톡하고 멜론, Talk and Melon
    if "," in text:
        return [[p.strip() for p in joined.split(",") if p.strip()]]
    if "," in joined:
        return [[text], [p.strip() for p in joined.split(",") if p.strip()]]
    words = text.split()
    return [[text], words] if len(words) > 1 else [[text]] if text else []


def typed_choices(options: list[Option], text: str) -> Reading:
    """Several options typed at once: every part must name one option."""
    first: Reading | None = None  # why the best reading failed, if every reading does
    for parts in split_choices(text):
        # one part read as a sentence (카톡이에요) only when it is all there is: "카카오톡
        # 카카오페이" is two answers, not one that starts like 카카오톡
        alone = len(parts) == 1 and len(text.split()) == 1
        readings = [typed_choice(options, part, sentence=alone or len(parts) > 1) for part in parts]
        if all(isinstance(r, Accepted) for r in readings):
            return Accepted([r.value for r in readings if isinstance(r, Accepted)])
        first = first or next(r for r in readings if not isinstance(r, Accepted))
    return first or Rejected("choice.invalid")


class MultiChoiceStep(AskingBase):
    widget: ClassVar[Widget] = "choose_many"
    hint: ClassVar[str | None] = "hint.multi"
    offers_way_on: ClassVar[bool] = False
    collects: ClassVar[bool] = True

    kind: Literal["multi_choice"]
    options: list[Option] = Field(min_length=1)
    min_selected: int = Field(default=1, ge=0)
    max_selected: int | None = Field(default=None, ge=1)

    @property
    def most(self) -> int:
        return self.max_selected or len(self.options)

    def read(self, given: i.UserInput, pending: list[Any], timezone: str) -> Reading:
        if isinstance(given, i.Toggle):
            return self._toggle(given.value, pending)
        if isinstance(given, i.Done):
            chosen = pending
        elif isinstance(given, i.Text):
            reading = typed_choices(self.options, given.text)
            if not isinstance(reading, Accepted):
                return reading
            chosen = list(reading.value)
        else:
            return Rejected("choice.invalid")
        ordered = [o.value for o in self.options if o.value in set(chosen)]
        if len(ordered) < max(self.min_selected, 1 if self.required else 0):
            return Rejected("multi.too_few", {"min": max(self.min_selected, 1)})
        if len(ordered) > self.most:
            return Rejected("multi.too_many", {"max": self.most})
        return Accepted(ordered)

    def _toggle(self, value: str, pending: list[Any]) -> Reading:
        if value not in {o.value for o in self.options}:
            return Rejected("choice.invalid")
        if value in pending:
            return Pending([v for v in pending if v != value])
        if len(pending) >= self.most:
            return Rejected("multi.too_many", {"max": self.most})
        return Pending([*pending, value])

    def show(self, value: Any, language: str) -> str:
        return ", ".join(labels_of(self.options, list(value), language))

    def export_columns(self, language: str) -> list[ExportColumn]:
        """The chosen labels, and a 0/1 column per option, "label: option (field=value)"."""
        flags = [
            ExportColumn(f"{pick(o.label, language)} ({self.field}={o.value})", "flag")
            for o in self.options
        ]
        return [ExportColumn(self.export_heading(language), "list"), *flags]

    def export_cells(
        self, language: str, masked: bool, zone: ZoneInfo
    ) -> Callable[[Any], list[Any]]:
        labels = {o.value: pick(o.label, language) for o in self.options}
        values = [o.value for o in self.options]
        blank = [None] * len(values)

        def cells(value: Any) -> list[Any]:
            chosen = value if isinstance(value, list) else ([] if value is None else [value])
            if masked:
                return [[MASKED] if chosen else None, *blank]
            readable = [labels.get(v, str(v)) for v in chosen] if chosen else None
            return [readable, *(int(v in chosen) for v in values)]

        return cells

    def prompt_extras(self, state: Conversation) -> dict[str, Any]:
        return {
            "options": prompt_options(self.options, state.language, set(state.pending)),
            "min_selected": self.min_selected,
            "max_selected": self.most,
        }

    @property
    def offered_options(self) -> list[Option]:
        return self.options

    @property
    def option_values(self) -> frozenset[str] | None:
        return frozenset(o.value for o in self.options)

    def problems(self, flow: Flow) -> Iterator[KindProblem]:
        for clash in clashes(self.options):
            yield KindProblem(["options"], f"{clash}: a typed answer could not tell them apart")
        if self.min_selected > self.most:
            yield KindProblem(
                ["min_selected"],
                f"min_selected {self.min_selected} is more than can be chosen ({self.most})",
            )


STEP = MultiChoiceStep
