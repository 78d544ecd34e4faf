"""Fakes of external services used by the test suite."""

from tests.fakes.telegram_server import (
    DEFAULT_TOKEN,
    ApiCall,
    ChatMessage,
    FakeBotApi,
    StoredFile,
    UploadedFile,
)

__all__ = ["DEFAULT_TOKEN", "ApiCall", "ChatMessage", "FakeBotApi", "StoredFile", "UploadedFile"]
