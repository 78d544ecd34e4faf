"""A submitted chat form as an engine input: a button press (with the turn it was drawn
for, so an old tab's button is recognised as stale) or typed text. Translation only."""

from __future__ import annotations

from typing import cast

from starlette.datastructures import FormData

from flows import Button, Text, UserInput
from flows.inputs import BUTTON_ACTIONS, ButtonAction

PRESSES = BUTTON_ACTIONS
INDEXED = frozenset({"choose", "toggle", "edit"})
MAX_TEXT = 4000
"""Typed answers longer than a Telegram message are cut, as Telegram would refuse them."""


def read_form(form: FormData) -> UserInput | None:
    """``press`` is "text" or an action, with ":index" for choose, toggle and edit; None for
    a form this page would not send."""
    press = str(form.get("press", "text"))
    if press == "text":
        return Text(str(form.get("text", ""))[:MAX_TEXT])
    action, _, index_text = press.partition(":")
    try:
        turn = int(str(form.get("turn", "")))
        index = int(index_text) if action in INDEXED else None
    except ValueError:
        return None
    if action not in PRESSES or (index is not None and index < 0):
        return None
    step = str(form.get("step", "")) or None
    return Button(cast(ButtonAction, action), turn, index, step=step)
