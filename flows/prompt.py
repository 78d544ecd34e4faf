"""What the engine hands a channel to show: a prompt, and the outcome of an input."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
class Prompt:
    """One question (or message) in the conversation's language, ready for any channel."""

    step: str
    kind: str
    text: str
    language: str
    turn: int
    field: str | None = None
    help: str | None = None
    hint: str | None = None
    options: tuple[PromptOption, ...] = ()
    min_selected: int = 0
    max_selected: int | None = None
    uploads: int = 0
    max_files: int = 0
    summary: tuple[SummaryLine, ...] = ()
    can_back: bool = False
    can_skip: bool = False
    can_cancel: bool = True
    way_on: WayOn | None = None
    is_end: bool = False
    submits: bool = False
    widget: Widget = "text"
    """The shape a channel draws (set by the step's kind): channels switch on this, never
    on ``kind``, which names the step kind for tools and tests."""


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
