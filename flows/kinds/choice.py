"""Step kind ``choice``: one option, by button, by number (``2``) or by typing its label."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from flows import inputs as i
from flows.exporting import pick
from flows.option_words import clashes, match_option
from flows.prompt import PromptOption, Widget
from flows.reading import Accepted, Reading, Rejected
from flows.steps import AskingBase, Identifier, KindProblem, Option

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from flows.schema import Flow
    from flows.state import Conversation


def typed_choice(
    options: list[Option], text: str, *, partial: bool = True, sentence: bool = True
) -> Reading:
    """The option a typed text names (flows.option_words), or why not: none, or which of
    several it could be (by their numbers, which read the same in every language)."""
    match = match_option(options, text, partial=partial, sentence=sentence)
    if match.found is not None:
        return Accepted(match.found.value)
    if match.ambiguous:
        numbers = [str(options.index(o) + 1) for o in match.options]
        return Rejected("choice.ambiguous", {"typed": text.strip(), "numbers": ", ".join(numbers)})
    return Rejected("choice.invalid")


def labels_of(options: list[Option], values: list[Any], language: str) -> list[str]:
    labels = {o.value: o.label.get(language, o.value) for o in options}
    return [labels.get(v, str(v)) for v in values]


def prompt_options(
    options: list[Option], language: str, selected: set[Any]
) -> tuple[PromptOption, ...]:
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
            return Accepted(found.value) if found else Rejected("choice.invalid")
        if isinstance(given, i.Text):
            # consent is given only by its number, its label or a declared word of
            # agreement: never by a part of a label (동의 is a part of 동의하지 않습니다)
            partial = not self.consent_value
            return typed_choice(self.options, given.text, partial=partial)
        return Rejected("choice.invalid")

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
        for clash in clashes(self.options):
            yield KindProblem(["options"], f"{clash}: a typed answer could not tell them apart")
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
