"""Language, text size and contrast: chosen by a plain form, remembered in cookies."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.context import console_of
from bot.web.words import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_COOKIE = "cb_lang"
TEXT_COOKIE = "cb_text"
CONTRAST_COOKIE = "cb_contrast"
A_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Display:
    language: str
    large_text: bool
    high_contrast: bool

    @property
    def classes(self) -> str:
        """Classes on <html> that the style sheet switches on."""
        return " ".join(
            name
            for name, on in (("large-text", self.large_text), ("high-contrast", self.high_contrast))
            if on
        )


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def display_of(request: Request) -> Display:
    return Display(
        language=language_of(request),
        large_text=request.cookies.get(TEXT_COOKIE) == "large",
        high_contrast=request.cookies.get(CONTRAST_COOKIE) == "high",
    )


def local_path(candidate: str | None, fallback: str = "/") -> str:
    """Only a path on this site may be a redirect target (never //evil.example or a URL)."""
    if candidate and candidate.startswith("/") and not candidate.startswith(("//", "/\\")):
        return candidate
    return fallback


async def save_preferences(request: Request) -> Response:
    """POST /preferences: one setting per button; back to the page it was pressed on."""
    form = await request.form()
    response = RedirectResponse(local_path(str(form.get("next", "/"))), status_code=303)
    secure = console_of(request).settings.web_secure_cookies
    choices = {
        LANGUAGE_COOKIE: (form.get("language"), LANGUAGES),
        TEXT_COOKIE: (form.get("text_size"), ("normal", "large")),
        CONTRAST_COOKIE: (form.get("contrast"), ("normal", "high")),
    }
    for cookie, (value, allowed) in choices.items():
        if value in allowed:
            response.set_cookie(
                cookie,
                str(value),
                max_age=A_YEAR,
                httponly=True,
                samesite="lax",
                secure=secure,
            )
    return response
