"""Text from outside checked at each channel's edge: proper Unicode, no control characters.

A lone surrogate (a terminal in the C locale decodes undecodable bytes to them; a crafted
Telegram update can carry one as a JSON escape) cannot be encoded as UTF-8, so it would fail
later, when stored or sent, with a traceback. NUL cannot be stored in PostgreSQL text. Such
text is refused with a friendly note and the claimant types it again; nothing is stored.
"""

from __future__ import annotations

import re

_UNREADABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Lone surrogates and C0 controls other than tab, line feed and carriage return."""

NOTE = {
    "ko": "보내 주신 글에 읽을 수 없는 문자가 섞여 있습니다. 다시 입력해 주세요.",
    "en": "Your message contains characters that cannot be read. Please type it again.",
}


def is_readable(text: str) -> bool:
    """True when ``text`` is proper Unicode without control characters (tab, newlines aside)."""
    return _UNREADABLE.search(text) is None


def readable(text: str) -> str:
    """``text`` with every unreadable character replaced by U+FFFD (for names of files)."""
    return _UNREADABLE.sub("\ufffd", text)


def unreadable_note(language: str) -> str:
    return NOTE.get(language, NOTE["en"])
