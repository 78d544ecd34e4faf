"""Signed-in browsers as rows: the cookie carries a random token, the row decides.

Only the token's SHA-256 is stored. Signing out, disabling the account or the end of the
session's lifetime ends it for every web process at once, whatever cookie a browser keeps.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Connection, insert, select, update

from storage.account_links import token_hash
from storage.accounts import ACCOUNTS, Account, to_account
from storage.tables import WebSessionRow, table_of

SESSIONS = table_of(WebSessionRow)


def open_session(
    conn: Connection, account: Account, *, now: dt.datetime, lifetime: dt.timedelta
) -> str:
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(SESSIONS),
        {
            "token_hash": token_hash(token),
            "account_id": account.id,
            "created_at": now,
            "expires_at": now + lifetime,
        },
    )
    return token


def session_account(conn: Connection, token: str, now: dt.datetime) -> Account | None:
    """The account of a live session: not ended, not expired, account not disabled."""
    a = ACCOUNTS.c
    row = conn.execute(
        select(a.id, a.name, a.role, a.created_at, a.disabled_at, a.password_hash)
        .join(SESSIONS, SESSIONS.c.account_id == a.id)
        .where(
            SESSIONS.c.token_hash == token_hash(token),
            SESSIONS.c.ended_at.is_(None),
            SESSIONS.c.expires_at > now,
            a.disabled_at.is_(None),
        )
    ).first()
    return to_account(row) if row else None


def end_session(conn: Connection, token: str, now: dt.datetime) -> None:
    conn.execute(
        update(SESSIONS)
        .where(SESSIONS.c.token_hash == token_hash(token), SESSIONS.c.ended_at.is_(None))
        .values(ended_at=now)
    )


def end_other_sessions(conn: Connection, account_id: int, keep: str, now: dt.datetime) -> None:
    """After a password change: every other browser of the account is signed out."""
    conn.execute(
        update(SESSIONS)
        .where(
            SESSIONS.c.account_id == account_id,
            SESSIONS.c.token_hash != token_hash(keep),
            SESSIONS.c.ended_at.is_(None),
        )
        .values(ended_at=now)
    )
