"""What a claimant can do at a step, whatever the channel: the engine's input types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args


@dataclass(frozen=True)
class Text:
    """Typed text: an answer, or for choice steps an option number or label."""

    text: str


@dataclass(frozen=True)
class Choose:
    """A button for one option of a choice step (or "continue" on an info step)."""

    value: str


@dataclass(frozen=True)
class Toggle:
    """Select or unselect one option of a multi-choice step."""

    value: str


@dataclass(frozen=True)
class Done:
    """Finish a multi-choice selection or a file upload; continue past an info step."""


@dataclass(frozen=True)
class Upload:
    """A photo or document the claimant sent as evidence (kept by the channel's file id)."""

    file_id: str
    kind: Literal["photo", "document"]
    size: int | None = None
    name: str | None = None
    mime_type: str | None = None
    unique_id: str | None = None
    """The channel's id of the file's content where it has one (Telegram's ``file_unique_id``:
    the same for the same file sent again or forwarded, where ``file_id`` may differ): what
    the same-evidence duplicate rule compares."""


@dataclass(frozen=True)
class Back:
    """Go back to the previous question."""


@dataclass(frozen=True)
class Skip:
    """Leave an optional question unanswered."""


@dataclass(frozen=True)
class Cancel:
    """Ask to stop the interview; once the claimant confirms (``Choose("yes")``) nothing is
    filed and every answer is forgotten; ``Choose("no")`` goes back to the question."""


@dataclass(frozen=True)
class Edit:
    """From the summary: answer the question of ``field`` again."""

    field: str


@dataclass(frozen=True)
class Submit:
    """From the summary: the answers are right, file them."""


@dataclass(frozen=True)
class SwitchLanguage:
    """Go on in another of the flow's languages, at any question (e.g. Telegram's /language)."""

    language: str


ButtonAction = Literal[
    "choose", "toggle", "done", "continue", "back", "skip", "cancel", "edit", "submit"
]
BUTTON_ACTIONS: frozenset[str] = frozenset(get_args(ButtonAction))
"""What an interview button can do: a channel maps its own payloads onto these, no more."""


@dataclass(frozen=True)
class Button:
    """A button the channel drew for the prompt of ``turn`` was pressed.

    ``index`` points into the prompt's options (choose, toggle) or summary lines (edit);
    ``step`` marks buttons of a question redrawn in place (toggle, done), so that a quick
    second tap, drawn a turn or two before, still counts. The engine decides whether the
    press still fits the conversation (see ``flows.turns``); a channel only translates.
    """

    action: ButtonAction
    turn: int
    index: int | None = None
    step: str | None = None


UserInput = (
    Text
    | Choose
    | Toggle
    | Done
    | Upload
    | Back
    | Skip
    | Cancel
    | Edit
    | Submit
    | SwitchLanguage
    | Button
)
