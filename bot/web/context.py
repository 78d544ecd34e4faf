"""What every request handler of the web app reaches: settings, intake, accounts, templates."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection
from starlette.templating import Jinja2Templates

from bot.intake import IntakeService
from bot.settings import Settings
from storage.account_store import AccountStore
from storage.accounts import Account


@dataclass(frozen=True)
class Console:
    settings: Settings
    intake: IntakeService
    accounts: AccountStore
    templates: Jinja2Templates
    public_url: str
    address_secret: bytes


def console_of(connection: HTTPConnection) -> Console:
    return connection.app.state.console


def account_of(connection: HTTPConnection) -> Account | None:
    """The signed-in account (set by the session middleware), or None."""
    return connection.scope.get("account")


def public_url(settings: Settings) -> str:
    if settings.web_public_url:
        return settings.web_public_url.rstrip("/")
    return f"http://{settings.web_host}:{settings.web_port}"
