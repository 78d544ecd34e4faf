"""Button payloads: what a press means, packed into Telegram's 64-byte callback_data.

Interview buttons carry the prompt turn they were drawn for, so a press on an older question
is recognised as stale. Options and summary lines travel as indexes, never as labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flows.inputs import BUTTON_ACTIONS

MAX_BYTES = 64
"""Telegram's limit on callback_data."""

Action = Literal[
    "choose",  # an option of a choice step
    "toggle",  # an option of a multi-choice step
    "done",  # finish a multi-choice selection or the uploads
    "continue",  # go on past an info step
    "back",
    "skip",
    "cancel",
    "edit",  # change one answer from the summary
    "submit",
    "language",  # /language: switch to ``arg``
    "erase",  # /delete confirmation: ``arg`` is "yes" or "no"
    "resume",  # the reminder's button: show the current question
]

_CODES: dict[Action, str] = {
    "choose": "c",
    "toggle": "t",
    "done": "d",
    "continue": "n",
    "back": "b",
    "skip": "s",
    "cancel": "x",
    "edit": "e",
    "submit": "u",
    "language": "l",
    "erase": "z",
    "resume": "r",
}
_ACTIONS: dict[str, Action] = {code: action for action, code in _CODES.items()}
INTERVIEW_ACTIONS = BUTTON_ACTIONS


class BadPayload(ValueError):
    """callback_data that this bot did not write (or a newer/older format)."""


@dataclass(frozen=True)
class Press:
    """A decoded button press.

    ``step`` is set on the buttons of a step whose message is edited in place (multi-choice
    toggles, Done): a quick second tap carries the turn before the first tap's edit arrived,
    yet still means the same question.
    """

    action: Action
    turn: int | None = None
    index: int | None = None
    step: str | None = None
    arg: str | None = None

    def encode(self) -> str:
        parts = [_CODES[self.action]]
        if self.action in INTERVIEW_ACTIONS:
            parts.append(str(self.turn))
            if self.index is not None:
                parts.append(str(self.index))
            if self.step is not None:
                parts.append(self.step)
        elif self.arg is not None:
            parts.append(self.arg)
        data = "|".join(parts)
        if len(data.encode()) > MAX_BYTES and self.step is not None:
            # Without the step the button still works; only the quick-tap leniency is lost.
            return Press(self.action, self.turn, self.index).encode()
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback_data over {MAX_BYTES} bytes: {data!r}")
        return data


_INDEXED: frozenset[Action] = frozenset({"choose", "toggle", "edit"})


def decode(data: str | None) -> Press:
    """Read callback_data back; raises BadPayload for anything this bot would not send."""
    if not data:
        raise BadPayload("empty callback_data")
    code, *rest = data.split("|")
    action = _ACTIONS.get(code)
    if action is None:
        raise BadPayload("unknown action")
    if action not in INTERVIEW_ACTIONS:
        return Press(action, arg=rest[0] if rest else None)
    try:
        turn = int(rest[0])
        index = int(rest[1]) if action in _INDEXED else None
        tail = rest[2:] if action in _INDEXED else rest[1:]
    except (IndexError, ValueError):
        raise BadPayload("malformed interview button") from None
    if action in _INDEXED and index is not None and index < 0:
        raise BadPayload("negative index")
    return Press(action, turn, index, step=tail[0] if tail else None)
