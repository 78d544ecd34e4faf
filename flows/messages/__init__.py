"""The one message catalogue: every sentence the interview and the channels show, by language.

One typed table (code -> language -> text) rather than gettext catalogues: the flows already
carry their own texts as ``{ko: ..., en: ...}`` in YAML, so the code's sentences look the
same, need no compile step or extra tooling, are checked by a plain test (every message in
every language a flow declares, with the same placeholders; tests/flows/test_messages.py),
and stay importable from the pure ``flows`` package by every channel. Split over files by
who shows them; one lookup, ``message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flows.messages.channels import CHANNEL_MESSAGES
from flows.messages.interview import INTERVIEW_MESSAGES
from flows.messages.mydata import MYDATA_MESSAGES
from flows.messages.web_chat import WEB_CHAT_MESSAGES

FALLBACK_LANGUAGE = "en"

MESSAGES: dict[str, dict[str, str]] = (
    INTERVIEW_MESSAGES | CHANNEL_MESSAGES | MYDATA_MESSAGES | WEB_CHAT_MESSAGES
)


def message(code: str, language: str, **params: Any) -> str:
    """The sentence for ``code`` in ``language`` (English when it has no translation)."""
    texts = MESSAGES.get(code) or MESSAGES["unreadable"]
    text = texts.get(language) or texts[FALLBACK_LANGUAGE]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def instruction(code: str, language: str, buttons: bool, **params: Any) -> str:
    """``message`` for a sentence that tells the claimant what to do, worded for the channel:
    "press" where it draws buttons, "type" (``<code>.typed``) where it has none."""
    typed = f"{code}.typed"
    return message(typed if not buttons and typed in MESSAGES else code, language, **params)


def localized(texts: dict[str, str] | None, language: str, default: str) -> str:
    """A flow's own text (a ``{ko: ..., en: ...}`` mapping) in ``language``, else the flow's
    default language, else any; "" when there is none."""
    if not texts:
        return ""
    return texts.get(language) or texts.get(default) or next(iter(texts.values()))


def missing_messages(languages: Iterable[str]) -> list[str]:
    """``code: language`` for every message not written in one of ``languages``."""
    return [
        f"{code}: {language}"
        for code, texts in MESSAGES.items()
        for language in languages
        if not texts.get(language)
    ]


__all__ = [
    "FALLBACK_LANGUAGE",
    "MESSAGES",
    "instruction",
    "localized",
    "message",
    "missing_messages",
]
