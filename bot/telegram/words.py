"""The Telegram channel's sentences, read from the one message catalogue (flows.messages)."""

from __future__ import annotations

from telegram import User

from flows.messages import MESSAGES, message

LANGUAGES = ("ko", "en")
"""The languages a Telegram client's own setting can pick (Korean, else English)."""


def word(key: str, language: str, **params: object) -> str:
    """The sentence ``telegram.<key>`` (or the every-channel ``chat.<key>``) in ``language``."""
    code = f"telegram.{key}" if f"telegram.{key}" in MESSAGES else f"chat.{key}"
    return message(code, language, **params)


def user_language(user: User | None) -> str:
    """Korean for a Korean Telegram client or one that names no language (the bot's
    default), English for everyone else."""
    code = (user.language_code or "") if user else ""
    return "ko" if not code or code.lower().startswith("ko") else "en"


def known_language(user: User | None) -> str | None:
    """The interview language the client's own setting names (Korean or English), or None
    when it names neither or none: then the flow's default is used and its language question
    is asked."""
    code = ((user.language_code or "") if user else "").lower()
    return next((language for language in LANGUAGES if code.startswith(language)), None)
