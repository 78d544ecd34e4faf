"""Who is signed in: the session cookie's token checked against its row on every request."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from storage.account_store import AccountStore

SESSION_KEY = "sid"


class SessionAccount:
    """Sets ``scope["account"]``; a token whose row has ended is dropped from the cookie."""

    def __init__(self, app: ASGIApp, *, accounts: AccountStore) -> None:
        self.app = app
        self.accounts = accounts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        session = scope["session"]
        token = session.get(SESSION_KEY)
        scope["account"] = None
        if isinstance(token, str):
            account = await run_in_threadpool(self.accounts.session, token)
            if account is None:
                session.pop(SESSION_KEY, None)
                session["flash"] = [["session_ended", {}]]
            scope["account"] = account
        await self.app(scope, receive, send)
