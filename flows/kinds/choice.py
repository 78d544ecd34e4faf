"""Step kind ``choice``: one option, by button, by number (``2``) or by typing its label."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from flows import inputs as i
from flows.exporting import pick
from flows.prompt import PromptOption, Widget
from flows.reading import Accepted, Reading, Rejected
from flows.steps import AskingBase, Identifier, KindProblem, Option

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from flows.schema import Flow
    from flows.state import Conversation


def option_by_text(options: list[Option], text: str) -> Option | None:
    """An option by its 1-based number, its value or any of its labels."""
    text = text.strip().rstrip(".").casefold()
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    for option in options:
        if text == option.value or text in (label.casefold() for label in option.label.values()):
            return option
    return None


def labels_of(options: list[Option], values: list[Any], language: str) -> list[str]:
    labels = {o.value: o.label.get(language, o.value) for o in options}
    return [labels.get(v, str(v)) for v in values]


def prompt_options(options: list[Option], language: str, selected: set[Any]) -> tuple:
    return tuple(
        PromptOption(o.value, o.label.get(language, o.value), o.value in selected) for o in options
    )


class ChoiceStep(AskingBase):
    widget: ClassVar[Widget] = "choose_one"
    offers_way_on: ClassVar[bool] = False  # its buttons are always there; consent is never noted

    kind: Literal["choice"]
    options: list[Option] = Field(min_length=1)
    sets_language: bool = Field(
        default=False, description="The chosen value becomes the conversation's language."
    )
    consent_value: Identifier | None = Field(
        default=None,
        description="Choosing this option records the claimant's consent to this step's text.",
    )

    @property
    def hidden_in_summary(self) -> bool:
        return self.sets_language or bool(self.consent_value)

    @property
    def changes_language(self) -> bool:
        return self.sets_language

    @property
    def consent_option(self) -> str | None:
        return self.consent_value

    def read(self, given: i.UserInput, pending: list[Any], timezone: str) -> Reading:
        if isinstance(given, i.Choose):
            found = next((o for o in self.options if o.value == given.value), None)
        elif isinstance(given, i.Text):
            found = option_by_text(self.options, given.text)
        else:
            found = None
        return Accepted(found.value) if found else Rejected("choice.invalid")

    def show(self, value: Any, language: str) -> str:
        return ", ".join(labels_of(self.options, [value], language))

    def export_value(self, language: str, zone: ZoneInfo) -> Callable[[Any], Any]:
        labels = {o.value: pick(o.label, language) for o in self.options}
        return lambda value: labels.get(value, str(value))

    def prompt_extras(self, state: Conversation) -> dict[str, Any]:
        return {"options": prompt_options(self.options, state.language, set())}

    @property
    def offered_options(self) -> list[Option]:
        return self.options

    @property
    def option_values(self) -> frozenset[str] | None:
        return frozenset(o.value for o in self.options)

    def problems(self, flow: Flow) -> Iterator[KindProblem]:
        if self.consent_value and self.consent_value not in {o.value for o in self.options}:
            yield KindProblem(
                ["consent_value"],
                f"consent_value {self.consent_value!r} is not one of the step's options",
            )
        if self.sets_language:
            wrong = [o.value for o in self.options if o.value not in flow.languages]
            if wrong:
                yield KindProblem(
                    ["options"],
                    f"a sets_language step may offer only declared languages; not {wrong}",
                )


STEP = ChoiceStep
