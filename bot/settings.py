"""Configuration from environment variables and an optional .env file."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of complaintbot; .env.example documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    database_url: str = "sqlite:///./complaintbot.db"
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    flow_paths: Annotated[list[str], NoDecode] = Field(default_factory=list)
    default_flow: str = "kakao-outage-2022"
    reminder_after_hours: float = Field(default=24.0, gt=0)
    log_level: str = "INFO"

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    operator_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    pii_encryption_key: SecretStr | None = None
    pii_encryption_old_keys: SecretStr | None = None
    retention_purge: bool = True

    @property
    def pii_old_keys(self) -> list[str]:
        """Keys still accepted for decrypting while a rotation is under way."""
        if self.pii_encryption_old_keys is None:
            return []
        text = self.pii_encryption_old_keys.get_secret_value()
        return [part.strip() for part in text.split(",") if part.strip()]

    @property
    def pii_key(self) -> str | None:
        return self.pii_encryption_key.get_secret_value() if self.pii_encryption_key else None

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
