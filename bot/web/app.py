"""The one web app: its routes, in one visible list, and the middleware every request passes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.intake import IntakeService
from bot.settings import Settings
from bot.web import (
    access_log_page,
    accounts_page,
    audit_log,
    home,
    own_password,
    setup_links,
    sign_in,
)
from bot.web.chat_context import make_chat, upload_body_limit
from bot.web.chat_routes import CHAT_UPLOADS, chat_routes
from bot.web.context import Console, public_url
from bot.web.csrf import CsrfProtection
from bot.web.desk_routes import desk_routes
from bot.web.errors import FriendlyFailures, http_error, refused
from bot.web.flow_routes import flow_routes
from bot.web.headers import SecurityHeaders
from bot.web.preferences import save_preferences
from bot.web.session_account import SessionAccount
from bot.web.signin_gate import SignInGate
from storage.account_store import AccountStore

HERE = Path(__file__).parent
SESSION_COOKIE = "cb_session"
COOKIE_KEY = "cookie-signing"
ADDRESS_KEY = "address-hashing"
CLAIMANT_KEY = "claimant-keys"


async def healthz(_: Request) -> Response:
    return PlainTextResponse("ok")


def routes() -> list[BaseRoute]:
    return [
        Route("/", home.home),
        Route("/sign-in", sign_in.sign_in_page, methods=["GET"]),
        Route("/sign-in", sign_in.sign_in, methods=["POST"]),
        Route("/sign-out", sign_in.sign_out, methods=["POST"]),
        Route("/account/setup/{token}", setup_links.setup_page, methods=["GET"]),
        Route("/account/setup/{token}", setup_links.setup, methods=["POST"]),
        Route("/account/password", own_password.password_page, methods=["GET"]),
        Route("/account/password", own_password.change_password, methods=["POST"]),
        Route("/preferences", save_preferences, methods=["POST"]),
        Route("/audit", audit_log.audit_log),
        Route("/audit/access", access_log_page.access_log_page),
        Route("/users", accounts_page.accounts_page, methods=["GET"]),
        Route("/users", accounts_page.add_account, methods=["POST"]),
        Route("/users/{name}/link", accounts_page.new_link, methods=["POST"]),
        Route("/users/{name}/disable", accounts_page.disable_account, methods=["POST"]),
        Route("/users/{name}/enable", accounts_page.enable_account, methods=["POST"]),
        *flow_routes(),
        *chat_routes(),
        *desk_routes(),
        Route("/healthz", healthz),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]


def templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def create_app(
    settings: Settings, intake: IntakeService, *, accounts: AccountStore | None = None
) -> Starlette:
    """The console (and, later, the web chat) over ``intake``'s store."""
    accounts = accounts or AccountStore(
        intake.store.engine, session_lifetime=dt.timedelta(hours=settings.web_session_hours)
    )
    secret = (
        settings.web_secret_key.get_secret_value()
        if settings.web_secret_key
        else accounts.secret(COOKIE_KEY)
    )
    console = Console(
        settings=settings,
        intake=intake,
        accounts=accounts,
        templates=templates(),
        public_url=public_url(settings),
        address_secret=accounts.secret(ADDRESS_KEY).encode(),
    )
    middleware = [
        Middleware(SecurityHeaders, strict_transport=settings.web_secure_cookies),
        Middleware(
            SessionMiddleware,
            secret_key=secret,
            session_cookie=SESSION_COOKIE,
            max_age=int(accounts.session_lifetime.total_seconds()),
            same_site="lax",
            https_only=settings.web_secure_cookies,
        ),
        Middleware(FriendlyFailures),
        Middleware(SessionAccount, accounts=accounts),
        Middleware(SignInGate),
        Middleware(
            CsrfProtection,
            refuse=refused,
            larger_bodies={CHAT_UPLOADS: upload_body_limit(settings)},
        ),
    ]
    app = Starlette(
        routes=routes(),
        middleware=middleware,
        exception_handlers={HTTPException: http_error},
    )
    app.state.console = console
    app.state.chat = make_chat(settings, accounts.secret(CLAIMANT_KEY))
    return app
