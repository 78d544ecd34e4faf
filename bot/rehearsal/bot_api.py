"""A stand-in Bot API for rehearsals and the surge benchmark: each chat's messages, from memory.

It answers the calls the bot makes the way Telegram would for a private chat, and keeps each
chat's messages with their buttons: all the simulated claimants need to read the bot and press
its buttons. Two fronts on the same chats: ``InMemoryBotApi`` is a python-telegram-bot
``BaseRequest`` (no HTTP, no thread: a benchmark measures the bot, not a fake server), and
``bot_api_app`` serves it over HTTP for a deployment started with ``TELEGRAM_API_BASE_URL``
pointing here. Calls are counted per method (messages per interview).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram.request import BaseRequest, RequestData

BOT_ID = 7_000_000_001
TOKEN = f"{BOT_ID}:surge-bench-token"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Surge", "username": "surge_bot"}
CHAT_CALLS = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument")


@dataclass
class Shown:
    """A bot message as the claimant sees it now."""

    message_id: int
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, callback_data)
    markup: dict[str, Any] | None = None

    def data_of(self, label: str) -> str | None:
        return next((data for text, data in self.buttons if text == label), None)


@dataclass(frozen=True)
class WebhookSet:
    """What the bot asked for in its setWebhook call."""

    url: str
    secret: str | None


class InMemoryBotApi(BaseRequest):
    """Answers Bot API calls the way Telegram would for a private chat, from memory."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.chats: dict[int, list[Shown]] = {}
        self.webhook: WebhookSet | None = None
        self._ids = itertools.count(1)
        self._date = 1_700_000_000

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        params = request_data.parameters if request_data is not None else {}
        return self.call(url.rsplit("/", 1)[-1], params)

    def call(self, endpoint: str, params: dict[str, Any]) -> tuple[int, bytes]:
        """One Bot API call: its HTTP status and body, as Telegram would answer."""
        self.calls[endpoint] += 1
        try:
            result = self._answer(endpoint, params)
        except LookupError:  # Telegram's answer for a message that is not (or no longer) there
            error = {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: message not found",
            }
            return 400, json.dumps(error).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def webhook_reply(self, body: bytes) -> None:
        """A call carried in a webhook's answer: Telegram makes it, no request of the bot's."""
        if not body:
            return
        params = json.loads(body)
        method = params.pop("method")
        self.calls[method] += 1
        self.calls[f"{method} (in the webhook answer)"] += 1
        self._answer(method, params)

    def requests(self) -> int:
        """Bot API requests the bot made itself (calls carried in webhook answers aside)."""
        carried = sum(n for name, n in self.calls.items() if name.endswith("webhook answer)"))
        return sum(n for name, n in self.calls.items() if "(" not in name) - carried

    def _answer(self, endpoint: str, params: dict[str, Any]) -> Any:
        if endpoint == "getMe":
            return BOT_USER | {"can_join_groups": False, "supports_inline_queries": False}
        if endpoint == "sendMessage":
            return self._send(int(params["chat_id"]), params)
        if endpoint in ("editMessageText", "editMessageReplyMarkup"):
            return self._edit(int(params["chat_id"]), int(params["message_id"]), params)
        if endpoint == "setWebhook":
            secret = params.get("secret_token")
            self.webhook = WebhookSet(str(params["url"]), str(secret) if secret else None)
        return True  # answerCallbackQuery, setMyCommands, deleteWebhook...

    def _send(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        shown = Shown(next(self._ids), str(params.get("text", "")))
        self._set_markup(shown, params.get("reply_markup"))
        self.chats.setdefault(chat_id, []).append(shown)
        return self.message_of(chat_id, shown)

    def _edit(self, chat_id: int, message_id: int, params: dict[str, Any]) -> dict[str, Any]:
        found = (m for m in self.chats.get(chat_id, []) if m.message_id == message_id)
        shown = next(found, None)
        if shown is None:
            raise LookupError(message_id)
        if "text" in params:
            shown.text = str(params["text"])
        self._set_markup(shown, params.get("reply_markup"))
        return self.message_of(chat_id, shown)

    @staticmethod
    def _set_markup(shown: Shown, markup: Any) -> None:
        if isinstance(markup, str):
            markup = json.loads(markup)
        shown.markup = markup or None
        rows = (markup or {}).get("inline_keyboard", [])
        shown.buttons = [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def message_of(self, chat_id: int, shown: Shown) -> dict[str, Any]:
        """The message as an update carries it (a button press quotes it)."""
        message: dict[str, Any] = {
            "message_id": shown.message_id,
            "date": self._date,
            "chat": {"id": chat_id, "type": "private", "first_name": "Claimant"},
            "from": BOT_USER,
            "text": shown.text,
        }
        if shown.markup:
            message["reply_markup"] = shown.markup
        return message

    def last(self, chat_id: int) -> Shown | None:
        messages = self.chats.get(chat_id)
        return messages[-1] if messages else None

    def with_button(self, chat_id: int, label: str) -> Shown | None:
        for shown in reversed(self.chats.get(chat_id, [])):
            if shown.data_of(label) is not None:
                return shown
        return None

    def forget(self, chat_id: int) -> None:
        """Drop a chat's messages (a long benchmark keeps only the chats it still drives)."""
        self.chats.pop(chat_id, None)

    def chat_calls(self) -> int:
        return sum(self.calls[name] for name in CHAT_CALLS)


def bot_api_app(api: InMemoryBotApi) -> Starlette:
    """``api`` over HTTP at ``/bot<token>/<method>``, for a bot in another process.

    python-telegram-bot posts form fields, every value that is not a string JSON-encoded
    (``reply_markup``); the chats' logic reads them as the in-process front does.
    """

    async def method(request: Request) -> Response:
        form = await request.form()
        params: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
        if not params and request.headers.get("content-type", "").startswith("application/json"):
            params = await request.json()
        status, body = api.call(request.path_params["method"], params)
        return Response(body, status_code=status, media_type="application/json")

    async def file(_: Request) -> Response:  # the rehearsal's claimants send no files
        return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, 404)

    return Starlette(
        routes=[
            Route("/bot{token}/{method}", method, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", file, methods=["GET"]),
        ]
    )
