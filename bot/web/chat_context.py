"""What the claimants' web chat keeps beside the console: its secret, upload folder, limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import HTTPConnection

from bot.settings import Settings, default_upload_folder

RESUME_TRIES = 10
"""Resume-code attempts per address per RESUME_WINDOW: guessing a 60-bit code stays hopeless."""
RESUME_WINDOW = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Chat:
    claimant_secret: bytes
    upload_folder: Path
    max_upload_bytes: int
    requests_per_minute: int


def make_chat(settings: Settings, claimant_secret: str) -> Chat:
    folder = Path(settings.web_upload_dir) if settings.web_upload_dir else default_upload_folder()
    return Chat(
        claimant_secret=claimant_secret.encode(),
        upload_folder=folder.expanduser().resolve(),
        max_upload_bytes=int(settings.web_upload_max_mb * 1024 * 1024),
        requests_per_minute=settings.web_chat_requests_per_minute,
    )


def upload_body_limit(settings: Settings) -> int:
    """The largest upload request: the file at its limit, plus the form's other fields."""
    return int(settings.web_upload_max_mb * 1024 * 1024) + 64 * 1024


def chat_of(connection: HTTPConnection) -> Chat:
    return connection.app.state.chat
