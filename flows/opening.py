"""What an input means when the claimant has no open interview: start one, or not."""

from __future__ import annotations

from typing import Literal

from flows import inputs as i

Opening = Literal["start", "stale", "nothing_to_cancel"]


def without_conversation(given: i.UserInput) -> Opening:
    """Any message starts an interview; a button press cannot belong to one (it is stale),
    and "cancel" has nothing to stop."""
    if isinstance(given, i.Button):
        return "stale"
    if isinstance(given, i.Cancel):
        return "nothing_to_cancel"
    return "start"
