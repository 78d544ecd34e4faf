"""Configuration and start-up errors in one or two lines that name the setting and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from bot.settings import get_settings
from flows import FlowError
from storage import SchemaOutdated, StorageError

CONFIGURATION: Final[int] = 2
DATABASE: Final[int] = 3
NETWORK: Final[int] = 4
UNEXPECTED: Final[int] = 1

_ENV_FILE_HINT: Final[str] = "Set it in .env or the environment (see .env.example)."
_SECRET_SETTINGS: Final[frozenset[str]] = frozenset({"TELEGRAM_BOT_TOKEN", "WEBHOOK_SECRET"})


@dataclass(frozen=True)
class StartupFailure:
    """What to print instead of a traceback, and the exit status."""

    text: str
    code: int


def explain(exc: BaseException) -> StartupFailure:
    """The failure a person can act on; an unknown error still gets one line, not a traceback."""
    for explainer in (_settings, _flows, _database, _telegram):
        failure = explainer(exc)
        if failure is not None:
            return failure
    return StartupFailure(
        f"complaintbot stopped on an unexpected {type(exc).__name__}. "
        "Run the same command with --debug to see the traceback, and please report it.",
        UNEXPECTED,
    )


def _settings(exc: BaseException) -> StartupFailure | None:
    if not isinstance(exc, ValidationError) or exc.title != "Settings":
        return None
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]).upper() if error["loc"] else "a setting"
        given = "" if name in _SECRET_SETTINGS else f" (it is {error['input']!r})"
        lines.append(f"{name}: {error['msg'].removeprefix('Value error, ')}{given}.")
    lines.append(_ENV_FILE_HINT)
    return StartupFailure("\n".join(lines), CONFIGURATION)


def _flows(exc: BaseException) -> StartupFailure | None:
    if not isinstance(exc, FlowError):
        return None
    return StartupFailure(
        f"{exc}\nFix the flow file (check it with `complaintbot flows validate`).", CONFIGURATION
    )


def _database(exc: BaseException) -> StartupFailure | None:
    url = _setting("database_url")
    shown = f"DATABASE_URL={_without_password(url)}" if url else "DATABASE_URL"
    if isinstance(exc, SchemaOutdated):
        return StartupFailure(str(exc), DATABASE)
    if isinstance(exc, ModuleNotFoundError) and exc.name in ("psycopg", "psycopg2"):
        return StartupFailure(
            f"{shown} names PostgreSQL, whose driver is not installed. "
            "Install it with: pip install 'complaintbot[postgres]'",
            CONFIGURATION,
        )
    if isinstance(exc, ArgumentError | NoSuchModuleError | StorageError):
        return StartupFailure(
            f"{shown} is not a database complaintbot can use ({_first_line(exc)}). "
            "Use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB.",
            CONFIGURATION,
        )
    if isinstance(exc, DBAPIError):
        return StartupFailure(
            f"Cannot open the database at {shown}: {_first_line(exc.orig or exc)}\n"
            "Start the database server, or fix DATABASE_URL in .env (see .env.example).",
            DATABASE,
        )
    return None


def _telegram(exc: BaseException) -> StartupFailure | None:
    from telegram.error import InvalidToken, NetworkError, TelegramError

    from bot.telegram.runner import WebhookNotConfigured

    if isinstance(exc, WebhookNotConfigured):
        return StartupFailure(
            "--webhook needs WEBHOOK_URL (the public HTTPS address Telegram posts to) and "
            "WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -).\n"
            "Set both in .env or the environment (see .env.example), or run without --webhook "
            "to use long polling.",
            CONFIGURATION,
        )
    if isinstance(exc, InvalidToken):
        return StartupFailure(
            "Telegram refused TELEGRAM_BOT_TOKEN. Copy the token again from @BotFather "
            "into .env (see .env.example).",
            CONFIGURATION,
        )
    if isinstance(exc, NetworkError):
        base = _setting("telegram_api_base_url")
        return StartupFailure(
            f"Cannot reach the Telegram Bot API at TELEGRAM_API_BASE_URL={base} "
            f"({_redacted(_first_line(exc))}).\n"
            "Check the network connection, or TELEGRAM_API_BASE_URL for a self-hosted server.",
            NETWORK,
        )
    if isinstance(exc, TelegramError):
        return StartupFailure(
            f"Telegram refused a start-up request: {_redacted(_first_line(exc))}. "
            "Check WEBHOOK_URL and the TELEGRAM_* settings in .env.",
            CONFIGURATION,
        )
    return None


def _setting(name: str) -> str:
    """A setting as configured (.env included), or "" when the settings themselves are broken."""
    try:
        value = getattr(get_settings(), name)
    except ValidationError:
        return ""
    if value is None:
        return ""
    return value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)


def _without_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _redacted(text: str) -> str:
    """Bot API URLs carry the token; it never goes to the screen or a log."""
    token = _setting("telegram_bot_token")
    return text.replace(token, "***") if token else text
