"""The shape of a flow file: pydantic models that admins' YAML is validated against."""

from __future__ import annotations

import operator
from functools import reduce
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, StringConstraints, model_validator

from flows.kinds import ASKING_MODELS, STEP_MODELS
from flows.kinds.business_number import BusinessNumberStep
from flows.kinds.choice import ChoiceStep
from flows.kinds.confirm import ConfirmStep
from flows.kinds.date import DateStep
from flows.kinds.datetime import DateTimeStep
from flows.kinds.email import EmailStep
from flows.kinds.end import EndStep
from flows.kinds.file import FileStep
from flows.kinds.info import InfoStep
from flows.kinds.money import MoneyStep
from flows.kinds.multi_choice import MultiChoiceStep
from flows.kinds.number import NumberStep
from flows.kinds.phone import PhoneStep
from flows.kinds.text import TextStep
from flows.steps import (
    Anchor,
    AskingBase,
    Identifier,
    LanguageCode,
    Localized,
    Option,
    Rule,
    StepBase,
    Strict,
)
from flows.zone import DEFAULT_TIMEZONE

_Strict = Strict

AskingStep = AskingBase
"""Any step that records an answer (every kind's model in flows/kinds/ extends it)."""

if TYPE_CHECKING:
    # The union is built from the kinds found in flows/kinds/ when the package is imported,
    # which a type checker cannot see: to it a step is what every kind extends.
    Step: TypeAlias = StepBase
else:
    Step = Annotated[reduce(operator.or_, STEP_MODELS), Field(discriminator="kind")]
"""One step of a flow file: the kind named by its ``kind`` key (see flows/kinds/)."""

ASKING_KINDS = frozenset(
    get_args(model.model_fields["kind"].annotation)[0] for model in ASKING_MODELS
)

__all__ = [
    "ASKING_KINDS",
    "Anchor",
    "AskingStep",
    "BusinessNumberStep",
    "ChoiceStep",
    "ConfirmStep",
    "DateStep",
    "DateTimeStep",
    "EmailStep",
    "EndStep",
    "FileStep",
    "Flow",
    "Identifier",
    "InfoStep",
    "LanguageCode",
    "Localized",
    "MoneyStep",
    "MultiChoiceStep",
    "NumberStep",
    "Option",
    "PhoneStep",
    "Rule",
    "Step",
    "TextStep",
]


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
        default=DEFAULT_TIMEZONE,
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
            raise ValueError(
                f"unknown time zone {self.timezone!r}; e.g. {DEFAULT_TIMEZONE}"
            ) from None
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The flow's time zone: days in reports and times in exports are local to it."""
        return ZoneInfo(self.timezone)

    def step(self, step_id: str) -> Any:
        return self.steps[step_id]

    def asking_steps(self) -> list[tuple[str, AskingStep]]:
        return [(sid, s) for sid, s in self.steps.items() if isinstance(s, AskingBase)]

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
            if isinstance(s, ChoiceStep) and s.consent_option:  # only choice kinds give it
                return sid, s
        return None

    def personal_fields(self) -> frozenset[str]:
        return frozenset(s.field for _, s in self.asking_steps() if s.is_personal)
