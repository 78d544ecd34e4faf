"""Which button presses still count: the turn rule, quick double taps, and what a press means.

Every prompt carries the conversation's ``turn``; a channel draws its buttons with it. A press
counts only for the turn it was drawn for, so a button of an earlier question (or of an
earlier conversation, whose turns lie far away) never answers the current one. One exception:
buttons of a question redrawn in place (multi-choice toggles, Done) may be pressed again
before the redraw arrives; such a press still means the same question.
"""

from __future__ import annotations

from flows import inputs as i
from flows.prompt import ChooseMany, ChooseOne, Confirm, Prompt, Summary
from flows.state import Conversation

LENIENT: frozenset[str] = frozenset({"toggle", "done"})
"""Buttons of a question redrawn in place: a quick second tap still means that question."""
QUICK_TAPS = 50
"""How many turns behind a lenient button may be: a handful of taps before the redraw came.
Never a button of an earlier conversation, whose turns lie far away (a random base)."""


def counts(press: i.Button, state: Conversation) -> bool:
    """Whether ``press`` may act on ``state``: its own turn, or a quick tap on the same step."""
    if press.turn == state.turn:
        return True
    behind = state.turn - press.turn
    return press.action in LENIENT and press.step == state.step and 0 < behind <= QUICK_TAPS


def meaning(press: i.Button, prompt: Prompt) -> i.UserInput | None:
    """The engine input a press stands for at ``prompt``; None if it does not fit it."""
    match press.action:
        case "choose" | "toggle":
            options = prompt.options if isinstance(prompt, ChooseOne | ChooseMany | Confirm) else ()
            if press.index is None or not 0 <= press.index < len(options):
                return None
            value = options[press.index].value
            return i.Choose(value) if press.action == "choose" else i.Toggle(value)
        case "edit":
            lines = prompt.summary if isinstance(prompt, Summary) else ()
            if press.index is None or not 0 <= press.index < len(lines):
                return None
            return i.Edit(lines[press.index].field)
        case "done" | "continue":
            return i.Done()
        case "back":
            return i.Back()
        case "skip":
            return i.Skip()
        case "cancel":
            return i.Cancel()
        case "submit":
            return i.Submit()
    return None
