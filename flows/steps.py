"""What every step kind has and can do: the base models each kind module (flows/kinds/) extends.

A step kind is one module: its pydantic model (the keys a flow file may give it) and its
behaviour, as methods overriding the defaults here: how it reads an answer (``read``), shows
it back (``show``), masks it (``mask``), its export columns and cells (``export_columns``,
``export_cells``) and the report rows (``report_values``, ``incident_day``,
``attachments``), which widget shape a channel draws for it (``widget``) and what that widget needs (``prompt_extras``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from flows import inputs as i
from flows.conditions import Condition
from flows.exporting import ColumnType, ExportColumn, pick
from flows.prompt import Widget
from flows.reading import Reading, Rejected

if TYPE_CHECKING:
    from flows.schema import Flow
    from flows.state import Conversation

Identifier = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=40)
]
"""Step ids, field names, option values and dimensions: short, stable, ASCII snake_case."""

LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]

Localized = dict[LanguageCode, Annotated[str, StringConstraints(min_length=1)]]
"""Text in each of the flow's languages, e.g. ``{ko: 서비스, en: Service}``."""

MASKED = "[masked]"
"""What a masked personal answer shows when nothing of it may be left."""
MAX_NUMBER = 10**12
"""Larger counts are typing mistakes, and must stay far inside a 64-bit column."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(Strict):
    """One branch of ``next``: go to ``goto`` when ``when`` holds; no ``when`` is the default."""

    when: Condition | None = None
    goto: Identifier


class Option(Strict):
    value: Identifier
    label: Localized
    aliases: dict[
        str, list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]]
    ] = Field(
        default_factory=dict,
        description="Other words claimants type for this option, by language: "
        "{ko: [네, 예], en: [yes]}. The value itself is never typed (it is no interface).",
    )


class Anchor(Strict):
    """An event claimants count days from: with words [화재, fire], 화재 다음날 아침 is read."""

    at: dt.datetime = Field(description="When it happened; naive means the step's time zone.")
    words: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]] = Field(
        min_length=1, description="What claimants call it, in any of the flow's languages."
    )


ANCHORS_HELP = "Events answers may count from: 화재 다음날 아침, the day after the fire."


@dataclass(frozen=True)
class KindProblem:
    """A flow-wide rule a step of this kind breaks; ``where`` is a path inside the step."""

    where: list[Any]
    message: str


class StepBase(Strict):
    """What every step has."""

    widget: ClassVar[Widget] = "text"
    """The shape a channel draws for this step."""
    hint: ClassVar[str | None] = None
    """Message code of the hint shown under the question."""

    if TYPE_CHECKING:
        # Every kind's model declares it as its own name (``kind: Literal["choice"]``). Not a
        # field here: pydantic would then move it first in every kind's fields.
        kind: str

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

    @property
    def answer_field(self) -> str | None:
        """The field this step records, or None for a step that asks nothing."""
        return None

    @property
    def is_end(self) -> bool:
        return False

    @property
    def is_summary(self) -> bool:
        return False

    @property
    def files_case(self) -> bool:
        """An end that files a case."""
        return False

    @property
    def offered_options(self) -> list[Option]:
        """The options a claimant picks from (choice kinds); none for the others."""
        return []

    @property
    def option_values(self) -> frozenset[str] | None:
        """Values a condition on this step's field may compare with; None: any value."""
        return None

    def problems(self, flow: Flow) -> Iterator[KindProblem]:
        """Flow-wide rules of this kind (e.g. an option a setting names must exist)."""
        return iter(())


class AskingBase(StepBase):
    """A step that records an answer under ``field``."""

    personal_by_default: ClassVar[bool] = False
    """Whether the answer is personal data unless the flow says ``personal: false``."""
    offers_way_on: ClassVar[bool] = True
    """After repeated failures the claimant may skip or write a note (not for buttons)."""
    collects: ClassVar[bool] = False
    """Gathered over several inputs (toggles, uploads) before Done; going back restores it."""
    report_kind: ClassVar[str] = "category"
    """What a dimension of this kind counts: ``category`` values, ``amount`` sums or ``day``."""
    counts_as_money: ClassVar[bool] = False
    """Its amounts add up to the case's amount claimed."""
    free_text: ClassVar[bool] = False
    """The claimant's own words: what the near-duplicate rule compares."""
    example_messages: ClassVar[tuple[str, ...]] = ()
    """The catalogue's sentences whose examples are whole answers to this kind: checked
    against its own parser when a flow loads (flows/answer_checks.py)."""
    sample: ClassVar[str] = "장애로 서비스를 이용하지 못했습니다"
    """A typical typed answer this kind accepts: synthetic cases (seeding, benches) type it."""

    def for_engine_examples(self) -> AskingBase:
        """This step as the catalogue's (Korean) examples are read against it."""
        return self

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
        "Defaults to true for text, phone, email, file and business number steps.",
    )

    @property
    def answer_field(self) -> str:
        return self.field

    @property
    def is_personal(self) -> bool:
        return self.personal if self.personal is not None else self.personal_by_default

    @property
    def hidden_in_summary(self) -> bool:
        """Answers the summary does not list (the language, the consent)."""
        return False

    @property
    def changes_language(self) -> bool:
        return False

    @property
    def anchor_list(self) -> list[Anchor]:
        """Events a date answer may count from (date kinds)."""
        return []

    @property
    def consent_option(self) -> str | None:
        """The option whose choice records consent to this step's text (choice kinds)."""
        return None

    # -- reading -------------------------------------------------------------------------

    def read(self, given: i.UserInput, pending: list[Any], timezone: str) -> Reading:
        """What ``given`` means here (parsers may raise ParseError: the caller's retry)."""
        if not isinstance(given, i.Text):
            return Rejected("unreadable")
        return self.read_text(given.text.strip(), timezone)

    def read_text(self, text: str, timezone: str) -> Reading:
        return Rejected("unreadable")

    # -- showing and reporting -----------------------------------------------------------

    def show(self, value: Any, language: str) -> str:
        """A (non-empty) answer as the claimant reads it back, in their language."""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def show_own(self, value: Any, language: str) -> str:
        """An answer as its owner reads it in their own data (/mydata): as ``show``, with
        more detail where a kind keeps some (a file's name)."""
        return self.show(value, language)

    def show_masked(self, value: Any, language: str) -> str:
        """A personal answer as a reader without the right to see it is shown it."""
        return self.mask(value)

    def mask(self, value: Any) -> str:
        """A personal answer with just enough left to recognise it (or nothing)."""
        return MASKED

    def export_type(self) -> ColumnType:
        """The type of this question's export column."""
        return "text"

    def export_heading(self, language: str) -> str:
        """ "label (field)": readable, and still the field a script looks for."""
        return f"{pick(self.label or self.text, language)} ({self.field})"

    def export_columns(self, language: str) -> list[ExportColumn]:
        """The columns this question gets in an export."""
        return [ExportColumn(self.export_heading(language), self.export_type())]

    def export_cells(
        self, language: str, masked: bool, zone: ZoneInfo
    ) -> Callable[[Any], list[Any]]:
        """The answer as the cells of ``export_columns`` (None for no answer), masked if asked
        (the caller decides: personal answers, unless unmasking was asked and audited).

        Made once per export (labels looked up once): it is called for every case. A masked
        answer in a typed column is None: the column cannot hold the mask text.
        """
        plain = self.export_value(language, zone)
        typed = self.export_type() != "text"

        def cells(value: Any) -> list[Any]:
            if value is None or value == [] or value == "":
                return [None]
            if masked:
                return [None if typed else self.mask(value)]
            return [plain(value)]

        return cells

    def export_value(self, language: str, zone: ZoneInfo) -> Callable[[Any], Any]:
        """How an answered, unmasked answer becomes its one cell."""
        return str

    def report_values(self, value: Any) -> list[tuple[str | None, int | None]]:
        """The (value, amount) rows a dimension on this step gets for a (non-empty) answer."""
        values = value if isinstance(value, list) else [value]
        return [(str(v), None) for v in values]

    def incident_day(self, value: Any) -> dt.date | None:
        """The day the harm happened, if this kind's answer says it."""
        return None

    def attachments(self, value: Any) -> list[dict[str, Any]]:
        """Files the answer holds, filed beside the case."""
        return []

    def prompt_extras(self, state: Conversation) -> dict[str, Any]:
        """What this kind's widget needs besides the text (options, limits, uploads so far)."""
        return {}
