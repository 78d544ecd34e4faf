"""Staff accounts of the web console: names, roles, argon2 password hashes, disabling."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Row, func, insert, select, update

from storage.errors import StorageError
from storage.tables import ACCOUNT_ROLES, AccountRow, WebSessionRow, table_of

ACCOUNTS = table_of(AccountRow)
SESSIONS = table_of(WebSessionRow)

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024


class AccountError(StorageError):
    """A request about accounts that cannot be done; ``code`` names the reason for the UI."""

    code = "account_error"


class InvalidAccountName(AccountError):
    code = "invalid_name"


class AccountExists(AccountError):
    code = "name_taken"


class UnknownAccount(AccountError):
    code = "unknown_account"


class WeakPassword(AccountError):
    code = "weak_password"


class InvalidRole(AccountError):
    code = "invalid_role"


@dataclass(frozen=True)
class Account:
    """A staff account as the console sees it; the password hash never leaves storage."""

    id: int
    name: str
    role: str
    created_at: dt.datetime
    disabled_at: dt.datetime | None
    has_password: bool

    @property
    def active(self) -> bool:
        return self.disabled_at is None and self.has_password

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything stored here is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def normalize_name(name: str) -> str:
    """Sign-in names are lowercase ASCII: no two accounts can look alike."""
    cleaned = name.strip().lower()
    if not NAME_PATTERN.match(cleaned):
        raise InvalidAccountName(
            "an account name is 2-64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit"
        )
    return cleaned


def check_password(password: str, name: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if password.strip().lower() == name.lower():
        raise WeakPassword("a password must not be the account name")


def check_role(role: str) -> str:
    if role not in ACCOUNT_ROLES:
        raise InvalidRole(f"role must be one of {', '.join(ACCOUNT_ROLES)}")
    return role


def to_account(row: Row[*tuple[Any, ...]]) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        role=row.role,
        created_at=utc(row.created_at),
        disabled_at=utc(row.disabled_at) if row.disabled_at else None,
        has_password=row.password_hash is not None,
    )


_COLUMNS = (
    ACCOUNTS.c.id,
    ACCOUNTS.c.name,
    ACCOUNTS.c.role,
    ACCOUNTS.c.created_at,
    ACCOUNTS.c.disabled_at,
    ACCOUNTS.c.password_hash,
)


def find(conn: Connection, name: str) -> Account | None:
    row = conn.execute(select(*_COLUMNS).where(ACCOUNTS.c.name == name)).first()
    return to_account(row) if row else None


def get(conn: Connection, account_id: int) -> Account:
    row = conn.execute(select(*_COLUMNS).where(ACCOUNTS.c.id == account_id)).first()
    if row is None:
        raise UnknownAccount(f"no account with id {account_id}")
    return to_account(row)


def listing(conn: Connection) -> list[Account]:
    rows = conn.execute(select(*_COLUMNS).order_by(ACCOUNTS.c.name))
    return [to_account(row) for row in rows]


def active_admins(conn: Connection) -> int:
    return conn.execute(
        select(func.count())
        .select_from(ACCOUNTS)
        .where(
            ACCOUNTS.c.role == "admin",
            ACCOUNTS.c.disabled_at.is_(None),
            ACCOUNTS.c.password_hash.is_not(None),
        )
    ).scalar_one()


def insert_account(
    conn: Connection, name: str, role: str, password_hash: str | None, now: dt.datetime
) -> Account:
    """A new account; without a password it cannot sign in until a link sets one."""
    name = normalize_name(name)
    check_role(role)
    if find(conn, name) is not None:
        raise AccountExists(f"there is already an account named {name!r}")
    values = {
        "name": name,
        "role": role,
        "password_hash": password_hash,
        "created_at": now,
        "password_changed_at": now if password_hash is not None else None,
    }
    account_id = conn.execute(insert(ACCOUNTS).returning(ACCOUNTS.c.id), values).scalar_one()
    return get(conn, account_id)


def set_hash(conn: Connection, account: Account, password_hash: str, now: dt.datetime) -> None:
    """Store a password hash made (outside the transaction) by the caller's hasher."""
    conn.execute(
        update(ACCOUNTS)
        .where(ACCOUNTS.c.id == account.id)
        .values(password_hash=password_hash, password_changed_at=now)
    )


def disable(conn: Connection, account: Account, now: dt.datetime) -> None:
    """Disable the account and end every session it has open, at once."""
    conn.execute(update(ACCOUNTS).where(ACCOUNTS.c.id == account.id).values(disabled_at=now))
    conn.execute(
        update(SESSIONS)
        .where(SESSIONS.c.account_id == account.id, SESSIONS.c.ended_at.is_(None))
        .values(ended_at=now)
    )


def enable(conn: Connection, account: Account) -> None:
    conn.execute(update(ACCOUNTS).where(ACCOUNTS.c.id == account.id).values(disabled_at=None))


class PasswordCheck:
    """Argon2 verification that takes as long for an unknown name as for a wrong password."""

    def __init__(self, hasher: PasswordHasher) -> None:
        self.hasher = hasher
        self._decoy = hasher.hash("decoy password that no account has")

    def verify(self, conn: Connection, name: str, password: str) -> tuple[Account | None, bool]:
        """The account if ``password`` is its password and it may sign in, and whether its
        hash was made with weaker settings than today's (to be hashed again)."""
        row = conn.execute(select(*_COLUMNS).where(ACCOUNTS.c.name == name.strip().lower())).first()
        stored = row.password_hash if row is not None else None
        try:
            self.hasher.verify(stored or self._decoy, password[:MAX_PASSWORD_LENGTH])
        except (VerificationError, InvalidHashError):
            return None, False
        if row is None or stored is None or row.disabled_at is not None:
            return None, False
        return to_account(row), self.hasher.check_needs_rehash(stored)
