"""The claimants' web chat's routes (public: no sign-in), registered by bot/web/app.py."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from bot.web import chat

CHAT_PREFIX = "/chat"
CHAT_UPLOADS = "/chat/upload"


def chat_routes() -> list[BaseRoute]:
    return [
        Route("/chat", chat.chat_page, methods=["GET"]),
        Route("/chat/start", chat.start, methods=["POST"]),
        Route("/chat/answer", chat.answer, methods=["POST"]),
        Route("/chat/upload", chat.upload, methods=["POST"]),
        Route("/chat/resume", chat.resume, methods=["POST"]),
        Route("/chat/language", chat.switch_language, methods=["POST"]),
        Route("/chat/cases", chat.my_cases, methods=["GET"]),
        Route("/chat/mydata", chat.my_data, methods=["GET"]),
        Route("/chat/forget", chat.forget, methods=["POST"]),
    ]
