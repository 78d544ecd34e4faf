"""What the engine hands a channel to show: a prompt, and the outcome of an input."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from flows.state import Conversation

WayOn = Literal["skip", "note"]
Widget = Literal["choose_one", "choose_many", "upload", "text", "confirm", "summary", "info", "end"]
"""The few shapes a channel draws. ``confirm`` is a yes/no question (e.g. "stop the
report?"), ``summary`` the answers with Edit and Submit; every step kind maps to one."""


@dataclass(frozen=True)
class PromptOption:
    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class SummaryLine:
    """One answer on the summary, with the field to send back in ``Edit`` to change it."""

    field: str
    label: str
    value: str


@dataclass(frozen=True)
class PromptBase:
    """What every prompt has: one question (or message) in the conversation's language.

    A prompt is one of a few widget shapes (the subclasses below); a channel draws the
    shape, never the step kind (``kind`` names it for tools and tests only).
    """

    widget: ClassVar[Widget]
    is_end: ClassVar[bool] = False

    step: str
    kind: str
    text: str
    language: str
    turn: int
    field: str | None = None
    help: str | None = None
    can_back: bool = False
    can_skip: bool = False
    can_cancel: bool = True
    way_on: WayOn | None = None


@dataclass(frozen=True)
class ChooseOne(PromptBase):
    """Options as buttons; one is chosen."""

    widget: ClassVar[Widget] = "choose_one"
    options: tuple[PromptOption, ...] = ()


@dataclass(frozen=True)
class ChooseMany(PromptBase):
    """Options toggled on and off (``selected``), then Done."""

    widget: ClassVar[Widget] = "choose_many"
    options: tuple[PromptOption, ...] = ()
    min_selected: int = 0
    max_selected: int | None = None
    hint: str | None = None


@dataclass(frozen=True)
class UploadFiles(PromptBase):
    """Photos or documents sent one by one, then Done."""

    widget: ClassVar[Widget] = "upload"
    uploads: int = 0
    max_files: int = 0
    hint: str | None = None


@dataclass(frozen=True)
class TypedText(PromptBase):
    """An answer typed as text, with a hint of what is understood."""

    widget: ClassVar[Widget] = "text"
    hint: str | None = None


@dataclass(frozen=True)
class Confirm(PromptBase):
    """A yes/no question (e.g. "stop the report?"): ``options`` are yes and no."""

    widget: ClassVar[Widget] = "confirm"
    options: tuple[PromptOption, ...] = ()


@dataclass(frozen=True)
class Summary(PromptBase):
    """Every answer so far, each with Edit, then Submit."""

    widget: ClassVar[Widget] = "summary"
    summary: tuple[SummaryLine, ...] = ()


@dataclass(frozen=True)
class Info(PromptBase):
    """A message to read, then Continue."""

    widget: ClassVar[Widget] = "info"


@dataclass(frozen=True)
class End(PromptBase):
    """The last message; ``submits`` when reaching it filed a case."""

    widget: ClassVar[Widget] = "end"
    is_end: ClassVar[bool] = True
    submits: bool = False


Prompt = ChooseOne | ChooseMany | UploadFiles | TypedText | Confirm | Summary | Info | End
"""What a channel is handed to draw: one of the widget shapes."""

SHAPES: dict[Widget, type[Prompt]] = {
    shape.widget: shape
    for shape in (ChooseOne, ChooseMany, UploadFiles, TypedText, Confirm, Summary, Info, End)
}


Result = Literal["next", "retry", "updated", "finished", "cancelled", "ignored", "stale"]
"""next: answer taken, a new question; retry: not understood, same question with ``error``;
updated: same question changed (a toggle, an upload); finished/cancelled: the interview is
over; ignored: nothing changed (input to an interview that is already over); stale: a button
of an earlier question, nothing changed (show the current question again)."""


@dataclass(frozen=True)
class Outcome:
    state: Conversation
    prompt: Prompt
    result: Result
    error: str | None = None
    echo: str | None = field(
        default=None, metadata={"doc": "The answer just taken, as the claimant would read it."}
    )

    @property
    def changed(self) -> bool:
        """Whether the state must be stored before any reply goes out."""
        return self.result not in {"ignored", "stale"}
