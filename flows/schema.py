"""The shape of a flow file: pydantic models that admins' YAML is validated against."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from flows.conditions import Condition

Identifier = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=40)
]
"""Step ids, field names, option values and dimensions: short, stable, ASCII snake_case."""

LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]

Localized = dict[LanguageCode, Annotated[str, StringConstraints(min_length=1)]]
"""Text in each of the flow's languages, e.g. ``{ko: 서비스, en: Service}``."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    """One branch of ``next``: go to ``goto`` when ``when`` holds; no ``when`` is the default."""

    when: Condition | None = None
    goto: Identifier


class Option(_Strict):
    value: Identifier
    label: Localized


class _StepBase(_Strict):
    """What every step has."""

    text: Localized
    help: Localized | None = None
    ask_if: Condition | None = Field(
        default=None, description="The step is asked only when this holds; else it is passed."
    )
    next: Identifier | list[Rule] | None = None

    def targets(self) -> list[str]:
        """Every step id this step can lead to, in rule order."""
        if self.next is None:
            return []
        if isinstance(self.next, str):
            return [self.next]
        return [rule.goto for rule in self.next]


class _AskingStep(_StepBase):
    """A step that records an answer under ``field``."""

    field: Identifier
    label: Localized | None = Field(
        default=None, description="Short name of the answer, shown in the summary and exports."
    )
    required: bool = True
    dimension: Identifier | None = Field(
        default=None, description="Reports count cases on this answer under this name."
    )
    personal: bool | None = Field(
        default=None,
        description="Personal data: masked in exports and erased on request. "
        "Defaults to true for text, phone, email and file steps.",
    )

    @property
    def is_personal(self) -> bool:
        if self.personal is not None:
            return self.personal
        return self.kind in {"text", "phone", "email", "file", "business_number"}


class ChoiceStep(_AskingStep):
    kind: Literal["choice"]
    options: list[Option] = Field(min_length=1)
    sets_language: bool = Field(
        default=False, description="The chosen value becomes the conversation's language."
    )
    consent_value: Identifier | None = Field(
        default=None,
        description="Choosing this option records the claimant's consent to this step's text.",
    )


class MultiChoiceStep(_AskingStep):
    kind: Literal["multi_choice"]
    options: list[Option] = Field(min_length=1)
    min_selected: int = Field(default=1, ge=0)
    max_selected: int | None = Field(default=None, ge=1)


class TextStep(_AskingStep):
    kind: Literal["text"]
    min_length: int = Field(default=1, ge=0)
    max_length: int = Field(default=2000, ge=1, le=20000)


class NumberStep(_AskingStep):
    kind: Literal["number"]
    integer: bool = True
    min: float | None = None
    max: float | None = None


class MoneyStep(_AskingStep):
    kind: Literal["money"]
    currency: Literal["KRW"] = "KRW"
    min: int = Field(default=0, ge=0)
    max: int | None = None


class Anchor(_Strict):
    """An event claimants count days from: with words [화재, fire], 화재 다음날 아침 is read."""

    at: dt.datetime = Field(description="When it happened; naive means the step's time zone.")
    words: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]] = Field(
        min_length=1, description="What claimants call it, in any of the flow's languages."
    )


_ANCHORS_HELP = "Events answers may count from: 화재 다음날 아침, the day after the fire."


class DateStep(_AskingStep):
    kind: Literal["date"]
    earliest: dt.date | None = None
    latest: dt.date | None = None
    anchors: list[Anchor] = Field(default_factory=list, description=_ANCHORS_HELP)


class DateTimeStep(_AskingStep):
    kind: Literal["datetime"]
    earliest: dt.datetime | None = Field(default=None, description="Naive means Asia/Seoul.")
    latest: dt.datetime | None = None
    timezone: str = "Asia/Seoul"
    anchors: list[Anchor] = Field(default_factory=list, description=_ANCHORS_HELP)


class PhoneStep(_AskingStep):
    kind: Literal["phone"]
    region: str = Field(default="KR", pattern=r"^[A-Z]{2}$")
    mobile: bool = Field(default=False, description="Only a mobile number is accepted.")


class EmailStep(_AskingStep):
    kind: Literal["email"]


class BusinessNumberStep(_AskingStep):
    """A Korean business registration number (사업자등록번호), check digit verified."""

    kind: Literal["business_number"]


class FileStep(_AskingStep):
    kind: Literal["file"]
    max_files: int = Field(default=5, ge=1, le=20)
    accept: list[Literal["photo", "document"]] = Field(default=["photo", "document"])


class InfoStep(_StepBase):
    kind: Literal["info"]


class ConfirmStep(_StepBase):
    """Shows every answer so far with a way to edit each, then goes on when confirmed."""

    kind: Literal["confirm"]


class EndStep(_StepBase):
    kind: Literal["end"]
    submit: bool = Field(description="Whether reaching this end files a case.")


AskingStep = (
    ChoiceStep
    | MultiChoiceStep
    | TextStep
    | NumberStep
    | MoneyStep
    | DateStep
    | DateTimeStep
    | PhoneStep
    | EmailStep
    | BusinessNumberStep
    | FileStep
)
ASKING_KINDS = frozenset(
    get_args(model.model_fields["kind"].annotation)[0] for model in get_args(AskingStep)
)

Step = Annotated[AskingStep | InfoStep | ConfirmStep | EndStep, Field(discriminator="kind")]


Period = Annotated[str, StringConstraints(pattern=r"^P[1-9][0-9]{0,3}[YMWD]$")]
"""An ISO 8601 duration of one unit: P1Y, P18M, P6W, P30D."""


class Retention(_Strict):
    """How long personal answers are kept, in the terms the consent text states.

    A case's personal answers go ``after_closing`` once its review closes it, and in any case
    ``longest_after_filing`` after it was filed; an interview left unfinished loses its answers
    ``abandoned_interviews`` after its last answer. The loader checks that the consent text
    states the same periods (see flows/retention.py).
    """

    after_closing: Period = Field(description="Kept this long after review closes the case.")
    longest_after_filing: Period = Field(
        description="Never kept longer than this after filing, whatever happens to the case."
    )
    abandoned_interviews: Period = Field(
        default="P30D", description="Answers of an interview left unfinished go after this."
    )


class Flow(_Strict):
    """A whole interview: its languages, where it starts, and its steps in file order."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=60)]
    title: Localized
    description: Localized | None = None
    languages: list[LanguageCode] = Field(min_length=1)
    default_language: LanguageCode
    case_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,4}$")] = Field(
        default="CB", description="Case numbers look like PREFIX-YYMMDD-000123."
    )
    crossings: list[tuple[Identifier, Identifier]] = Field(
        default_factory=list,
        description="Pairs of dimensions the report counts together, e.g. [service, harm].",
    )
    timezone: str = Field(
        default="Asia/Seoul",
        description="IANA time zone of the outage: local days, naive times and exports use it.",
    )
    start: Identifier
    steps: dict[Identifier, Step] = Field(min_length=1)
    retention: Retention | None = Field(
        default=None,
        description="How long personal answers are kept; must agree with the consent text.",
    )

    @model_validator(mode="after")
    def _default_language_is_declared(self) -> Flow:
        if self.default_language not in self.languages:
            raise ValueError(
                f"default_language {self.default_language!r} is not one of the declared "
                f"languages {self.languages}"
            )
        return self

    @model_validator(mode="after")
    def _timezone_is_known(self) -> Flow:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {self.timezone!r}; e.g. Asia/Seoul") from None
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The flow's time zone: days in reports and times in exports are local to it."""
        return ZoneInfo(self.timezone)

    def step(self, step_id: str) -> Any:
        return self.steps[step_id]

    def asking_steps(self) -> list[tuple[str, AskingStep]]:
        return [(sid, s) for sid, s in self.steps.items() if s.kind in ASKING_KINDS]

    def step_of_field(self, field: str) -> str | None:
        for sid, s in self.asking_steps():
            if s.field == field:
                return sid
        return None

    def dimensions(self) -> dict[str, str]:
        """Dimension name -> the field that feeds it."""
        return {s.dimension: s.field for _, s in self.asking_steps() if s.dimension}

    def consent_step(self) -> tuple[str, ChoiceStep] | None:
        for sid, s in self.asking_steps():
            if isinstance(s, ChoiceStep) and s.consent_value:
                return sid, s
        return None

    def personal_fields(self) -> frozenset[str]:
        return frozenset(s.field for _, s in self.asking_steps() if s.is_personal)
