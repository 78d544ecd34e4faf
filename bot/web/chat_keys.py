"""Who a web claimant is: a random resume code, kept in a cookie and shown to them.

The code is the claimant's only credential (no account, no personal data): the interview is
stored under a keyed hash of it, so the database never holds the code itself, and typing
the code on another device (or after clearing cookies) reaches the same interview.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from bot.web.chat_context import chat_of
from bot.web.context import console_of

CHANNEL = "web"
COOKIE = "cb_claimant"
COOKIE_DAYS = 30
"""How long a browser keeps the claimant's code (the chat page says so)."""

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: no I, L, O or U, so a code read aloud or retyped is hard to get wrong."""
CODE_LENGTH = 12
"""60 random bits: guessing is hopeless at the per-address limit on resume attempts."""
_CONFUSED = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(typed: str) -> str | None:
    """A code as typed (any case, dashes, spaces, O for 0): the code, or None if not one."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum()).translate(_CONFUSED)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def shown(code: str) -> str:
    """The code as the claimant reads it: three groups of four."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def user_key(request: Request, code: str) -> str:
    """The intake's user key for a code: a keyed hash, never the code."""
    secret = chat_of(request).claimant_secret
    return hmac.new(secret, code.encode(), hashlib.sha256).hexdigest()[:40]


def code_of(request: Request) -> str | None:
    return normalise(request.cookies.get(COOKIE, ""))


def remember(request: Request, response: Response, code: str) -> None:
    response.set_cookie(
        COOKIE,
        code,
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=console_of(request).settings.web_secure_cookies,
    )


def forget(response: Response) -> None:
    response.delete_cookie(COOKIE)
