"""The web chat's page words: its own sentences are ``web.*`` in the one message catalogue
(flows/messages/web_chat.py); the shared layout's words are the console's."""

from __future__ import annotations

from typing import Any

from bot.web.words import translate
from flows.messages import FALLBACK_LANGUAGE, MESSAGES


def chat_word(language: str, key: str, **values: Any) -> str:
    """A chat sentence, or else a console one (the shared layout's words)."""
    code = f"web.{'chat_product' if key == 'product' else key}"
    texts = MESSAGES.get(code)
    if texts is None:
        return translate(language, key, **values)
    text = texts.get(language) or texts[FALLBACK_LANGUAGE]  # values may hold a "code"
    return text.format(**values) if values else text
