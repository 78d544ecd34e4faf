"""One-time links that create the first admin or set an account's password.

Only a SHA-256 of the link's random token is stored, so reading the database gives no
working link. A link is used up by a conditional update in the same transaction that acts on
it: two browsers racing with one link cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from storage.tables import AccountLinkRow, table_of

LINKS = table_of(AccountLinkRow)


@dataclass(frozen=True)
class AccountLink:
    id: int
    purpose: str
    account_id: int | None
    expires_at: dt.datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(
    conn: Connection,
    purpose: str,
    account_id: int | None,
    *,
    now: dt.datetime,
    lifetime: dt.timedelta,
) -> str:
    """A new link's token; earlier unused links for the same thing stop working."""
    same = LINKS.c.account_id.is_(None) if account_id is None else LINKS.c.account_id == account_id
    conn.execute(
        update(LINKS)
        .where(LINKS.c.purpose == purpose, same, LINKS.c.used_at.is_(None))
        .values(expires_at=now)
    )
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(LINKS),
        {
            "token_hash": token_hash(token),
            "purpose": purpose,
            "account_id": account_id,
            "created_at": now,
            "expires_at": now + lifetime,
        },
    )
    return token


def valid(conn: Connection, token: str, now: dt.datetime) -> AccountLink | None:
    """The link if it is unused and unexpired (looking does not use it up)."""
    row = conn.execute(
        select(LINKS.c.id, LINKS.c.purpose, LINKS.c.account_id, LINKS.c.expires_at).where(
            LINKS.c.token_hash == token_hash(token),
            LINKS.c.used_at.is_(None),
            LINKS.c.expires_at > now,
        )
    ).first()
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    return AccountLink(row.id, row.purpose, row.account_id, expires)


def use(conn: Connection, token: str, purpose: str, now: dt.datetime) -> AccountLink | None:
    """Use the link up; None when it is unknown, used, expired or for something else."""
    found = valid(conn, token, now)
    if found is None or found.purpose != purpose:
        return None
    used = conn.execute(
        update(LINKS)
        .where(LINKS.c.id == found.id, LINKS.c.used_at.is_(None))
        .values(used_at=now)
        .execution_options(preserve_rowcount=True)
    ).rowcount
    return found if used == 1 else None
