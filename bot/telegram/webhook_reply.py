"""A Bot API call carried in the webhook's own answer, not made as a request of its own.

Telegram lets a bot answer a webhook delivery with one method call in the response body
(the Bot API docs, "Making requests when getting updates"); it runs it and reports nothing
back. Stopping a button's spinner needs no result, so under the webhook it rides there:
one HTTP round trip fewer for every button press. Polling, or a call made after the
delivery was answered (the slot is closed), goes out as an ordinary request.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class WebhookReply:
    """The slot for one delivery: at most one call, taken while the delivery is open."""

    open: bool = True
    call: dict[str, Any] | None = field(default=None)

    def offer(self, method: str, **params: Any) -> bool:
        """Carry ``method`` in the webhook answer; False: make the request yourself."""
        if not self.open or self.call is not None:
            return False
        self.call = {"method": method, **{k: v for k, v in params.items() if v is not None}}
        return True

    def close(self) -> dict[str, Any] | None:
        self.open = False
        return self.call


CURRENT: ContextVar[WebhookReply | None] = ContextVar("webhook_reply", default=None)


def offer(method: str, **params: Any) -> bool:
    """Carry the call in the answer of the webhook delivery being processed, if there is one."""
    slot = CURRENT.get()
    return slot is not None and slot.offer(method, **params)
