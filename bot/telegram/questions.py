"""Which message shows each user's open question, so that answering it can tidy its buttons.

Best effort and in memory only: after a restart (or on another bot process) the message is
unknown and its buttons simply stay; pressing one of them then gets the stale-button answer.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from dataclasses import dataclass

DEFAULT_CAPACITY = 100_000


@dataclass(frozen=True, slots=True)
class QuestionMessage:
    chat_id: int
    message_id: int
    text: str


class OpenQuestions:
    """user id -> the last question message sent to them with buttons (bounded, LRU)."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._capacity = capacity
        self._messages: OrderedDict[int, QuestionMessage] = OrderedDict()

    def remember(self, user_id: int, message: QuestionMessage) -> None:
        # Thousands of claimants stand at the same question: they share one copy of its text
        # (an interned string lives only while someone refers to it).
        shared = QuestionMessage(message.chat_id, message.message_id, sys.intern(message.text))
        self._messages[user_id] = shared
        self._messages.move_to_end(user_id)
        while len(self._messages) > self._capacity:
            self._messages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._messages)

    def take(self, user_id: int) -> QuestionMessage | None:
        """The remembered message, forgotten at once (its buttons are about to go)."""
        return self._messages.pop(user_id, None)
