"""The webhook: a small Starlette app that answers Telegram only after processing the update.

The pattern of python-telegram-bot's customwebhookbot example, with the 200 held back until
the update is processed: Telegram retries a non-2xx delivery, never one answered 200. Every
state lives in the database, so several of these processes can sit behind a load balancer.
"""

from __future__ import annotations

import hmac
import logging
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update

from bot.telegram.app import TelegramApp
from bot.telegram.processing import process_fully
from bot.telegram.webhook_reply import CURRENT, WebhookReply

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram"


def webhook_path(webhook_url: str | None) -> str:
    """Serve on the path of the public URL (a proxy in front usually keeps it)."""
    path = urlsplit(webhook_url or "").path
    return path if path and path != "/" else DEFAULT_PATH


def webhook_app(application: TelegramApp, *, secret: str, path: str = DEFAULT_PATH) -> Starlette:
    expected = secret.encode()

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except Exception:  # not JSON, or not an update: Telegram never sends that
            log.warning("webhook got a body that is not an update")
            return Response(status_code=400)
        if update is None:
            return Response(status_code=400)
        slot = WebhookReply()
        token = CURRENT.set(slot)
        try:
            done = await process_fully(application, update)
        finally:
            CURRENT.reset(token)
            call = slot.close()
        if not done:
            return Response(status_code=503)  # storage is down: Telegram will deliver it again
        if call is not None:  # e.g. answerCallbackQuery: Telegram makes the call itself
            return JSONResponse(call)
        return Response(status_code=200)

    async def health(_: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route(path, receive, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
        ]
    )
