"""Configuration from environment variables and an optional .env file."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from platformdirs import user_data_path
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

APP_NAME = "complaintbot"


def default_database_url() -> str:
    """The embedded database in the per-user data folder (~/.local/share/complaintbot on Linux).

    A fixed place, not the working directory: started from another folder, or as `./dev chat`
    or `complaintbot chat` alike, the bot finds the same open interviews.
    """
    folder = user_data_path(APP_NAME, appauthor=False, ensure_exists=True)
    return f"sqlite:///{folder / 'complaintbot.db'}"


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (made absolute), or None for other databases and :memory:."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser().resolve()


def where_data_lives(url: str) -> str:
    """The database as a person can find it: the SQLite file, or the URL without a password."""
    file = sqlite_file(url)
    return str(file) if file else make_url(url).render_as_string(hide_password=True)


class Settings(BaseSettings):
    """Every setting of complaintbot; .env.example documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    database_url: str = Field(default_factory=default_database_url)
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    flow_paths: Annotated[list[str], NoDecode] = Field(default_factory=list)
    default_flow: str = "kakao-outage-2022"
    reminder_after_hours: float = Field(default=24.0, gt=0)
    log_level: str = "INFO"

    export_dir: str = "./exports"
    abandon_after_hours: float = Field(default=48.0, gt=0)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    operator_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    # Bot API timeouts (seconds) and the sending path: see bot/telegram/pacing.py.
    telegram_connect_timeout: float = Field(default=5.0, gt=0)
    telegram_read_timeout: float = Field(default=10.0, gt=0)
    telegram_write_timeout: float = Field(default=10.0, gt=0)
    telegram_pool_timeout: float = Field(default=5.0, gt=0)
    telegram_connection_pool_size: int = Field(default=256, ge=1)
    telegram_send_retries: int = Field(default=3, ge=0)
    telegram_retry_backoff: float = Field(default=0.5, ge=0)
    telegram_rate_limit_retries: int = Field(default=5, ge=0)
    telegram_bulk_per_second: float = Field(default=30.0, ge=0)
    storage_wait_timeout: float = Field(default=4.0, gt=0)
    """Seconds without any storage call finishing after which waiting updates are refused
    (the webhook answers 503); see bot/telegram/storage_calls.py."""

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=1, le=65535)
    web_public_url: str | None = None
    web_secure_cookies: bool = False
    web_secret_key: SecretStr | None = None
    web_session_hours: float = Field(default=24.0, gt=0)

    @field_validator("flow_paths", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        return value

    @field_validator("operator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(p) for p in value.replace(" ", "").split(",") if p)
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret_alphabet(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram accepts 1-256 characters of A-Z a-z 0-9 _ - as a webhook secret."""
        if value is None:
            return None
        secret = value.get_secret_value()
        allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
        if not 1 <= len(secret) <= 256 or not set(secret) <= allowed:
            raise ValueError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
