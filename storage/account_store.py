"""The console's accounts in one object: adding, links, sign-in with its limits, sessions.

Every change is audited in the transaction that makes it. Argon2 runs outside the write
transaction, so a slow hash never holds SQLite's write lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import Engine

from storage import account_links, accounts, sign_in_limits, web_sessions
from storage.accounts import Account, AccountError, UnknownAccount
from storage.audit import record_event
from storage.database import writing
from storage.web_secrets import shared_secret

LINK_LIFETIME = dt.timedelta(hours=24)
SESSION_LIFETIME = dt.timedelta(hours=24)


class LinkInvalid(AccountError):
    """The one-time link is unknown, used already, expired or for something else."""

    code = "link_invalid"


class WrongPassword(AccountError):
    """The current password given to change it was not right (or too many tries)."""

    code = "wrong_password"


class LastAdmin(AccountError):
    """Disabling this account would leave nobody who can run the console."""

    code = "last_admin"


@dataclass(frozen=True)
class SignInLimits:
    """At most ``per_account`` failures per account name and ``per_address`` per address
    within ``window``; past that, sign-in is refused without even trying the password."""

    per_account: int = 5
    per_address: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt came to: a session token, or why not."""

    account: Account | None
    token: str | None = None
    limited: bool = False


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def actor_of(account: Account) -> str:
    """How an account appears in the audit log."""
    return f"web:{account.name}"


class AccountStore:
    def __init__(
        self,
        engine: Engine,
        *,
        hasher: PasswordHasher | None = None,
        limits: SignInLimits = SignInLimits(),
        clock: Callable[[], dt.datetime] = _utc_now,
        session_lifetime: dt.timedelta = SESSION_LIFETIME,
    ) -> None:
        self.engine = engine
        self._writer = writing(engine)
        self._check = accounts.PasswordCheck(hasher or PasswordHasher())
        self.limits = limits
        self.clock = clock
        self.session_lifetime = session_lifetime

    @property
    def hasher(self) -> PasswordHasher:
        return self._check.hasher

    # -- accounts ------------------------------------------------------------------------

    def add(self, name: str, role: str, password: str | None = None, *, actor: str) -> Account:
        """A new account; without a password, follow with ``password_link``."""
        name, role = accounts.normalize_name(name), accounts.check_role(role)
        hashed = None
        if password is not None:
            accounts.check_password(password, name)
            hashed = self.hasher.hash(password)
        now = self.clock()
        with self._writer.begin() as conn:
            account = accounts.insert_account(conn, name, role, hashed, now)
            record_event(conn, now, actor, "account_add", account.name, {"role": role})
        return account

    def find(self, name: str) -> Account | None:
        with self.engine.connect() as conn:
            return accounts.find(conn, name.strip().lower())

    def listing(self) -> list[Account]:
        with self.engine.connect() as conn:
            return accounts.listing(conn)

    def has_admin(self) -> bool:
        """Is there an admin who can sign in (else the first-admin link is offered)?"""
        with self.engine.connect() as conn:
            return accounts.active_admins(conn) > 0

    def disable(self, name: str, *, actor: str) -> Account:
        """Disable an account; its open sessions end at once."""
        now = self.clock()
        with self._writer.begin() as conn:
            account = accounts.find(conn, name.strip().lower())
            if account is None:
                raise UnknownAccount(f"no account named {name!r}")
            if account.is_admin and account.active and accounts.active_admins(conn) <= 1:
                raise LastAdmin("the last admin cannot be disabled; add another admin first")
            accounts.disable(conn, account, now)
            record_event(conn, now, actor, "account_disable", account.name)
            return accounts.get(conn, account.id)

    def enable(self, name: str, *, actor: str) -> Account:
        """Undo a disabling; the sessions it ended stay ended (the owner signs in again)."""
        now = self.clock()
        with self._writer.begin() as conn:
            account = accounts.find(conn, name.strip().lower())
            if account is None:
                raise UnknownAccount(f"no account named {name!r}")
            accounts.enable(conn, account)
            record_event(conn, now, actor, "account_enable", account.name)
            return accounts.get(conn, account.id)

    # -- one-time links ------------------------------------------------------------------

    def first_admin_link(self, lifetime: dt.timedelta = LINK_LIFETIME) -> str | None:
        """A link that creates the first admin, or None when an admin exists already.
        Each call replaces the previous link: only the newest printed one works."""
        now = self.clock()
        with self._writer.begin() as conn:
            if accounts.active_admins(conn) > 0:
                return None
            token = account_links.issue(conn, "first_admin", None, now=now, lifetime=lifetime)
            record_event(conn, now, "system", "link_issue", "first admin")
            return token

    def password_link(
        self, name: str, *, actor: str, lifetime: dt.timedelta = LINK_LIFETIME
    ) -> str:
        """A link that lets the account's owner choose its password (replacing older links)."""
        now = self.clock()
        with self._writer.begin() as conn:
            account = accounts.find(conn, name.strip().lower())
            if account is None:
                raise UnknownAccount(f"no account named {name!r}")
            token = account_links.issue(
                conn, "set_password", account.id, now=now, lifetime=lifetime
            )
            record_event(conn, now, actor, "link_issue", account.name)
            return token

    def link(self, token: str) -> tuple[account_links.AccountLink, Account | None] | None:
        """A usable link and the account it is for (None for the first-admin link)."""
        with self.engine.connect() as conn:
            found = account_links.valid(conn, token, self.clock())
            if found is None:
                return None
            if found.account_id is None:
                if accounts.active_admins(conn) > 0:
                    return None
                return found, None
            return found, accounts.get(conn, found.account_id)

    def create_first_admin(self, token: str, name: str, password: str) -> Account:
        name = accounts.normalize_name(name)
        accounts.check_password(password, name)
        hashed = self.hasher.hash(password)
        now = self.clock()
        with self._writer.begin() as conn:
            if accounts.active_admins(conn) > 0:
                raise LinkInvalid("an admin exists already")
            if account_links.use(conn, token, "first_admin", now) is None:
                raise LinkInvalid("this link is not valid any more")
            account = accounts.insert_account(conn, name, "admin", hashed, now)
            record_event(conn, now, f"web:{account.name}", "first_admin", account.name)
            return accounts.get(conn, account.id)

    def set_password_with_link(self, token: str, password: str) -> Account:
        now = self.clock()
        with self.engine.connect() as conn:
            found = account_links.valid(conn, token, now)
            account = accounts.get(conn, found.account_id) if found and found.account_id else None
        if account is None or found is None or found.purpose != "set_password":
            raise LinkInvalid("this link is not valid any more")
        accounts.check_password(password, account.name)
        hashed = self.hasher.hash(password)
        with self._writer.begin() as conn:
            if account_links.use(conn, token, "set_password", now) is None:
                raise LinkInvalid("this link is not valid any more")
            accounts.set_hash(conn, account, hashed, now)
            record_event(conn, now, actor_of(account), "password_set", account.name)
            return accounts.get(conn, account.id)

    def change_password(
        self, account: Account, current: str, new: str, *, keep_session: str, address_key: str
    ) -> None:
        """The signed-in owner's own change: the current password first (a wrong one counts
        as a failed sign-in); the account's other sessions end."""
        now = self.clock()
        account_key = "account:" + account.name
        with self.engine.connect() as conn:
            seen = sign_in_limits.failures_since(conn, [account_key], now - self.limits.window)
            limited = seen.get(account_key, 0) >= self.limits.per_account
            checked, _ = (
                (None, False) if limited else self._check.verify(conn, account.name, current)
            )
        if checked is None:
            with self._writer.begin() as conn:
                sign_in_limits.record_failure(
                    conn,
                    [account_key, address_key],
                    now=now,
                    forget_before=now - self.limits.window,
                )
                record_event(conn, now, actor_of(account), "password_change_failed", account.name)
            raise WrongPassword("the current password is not right")
        accounts.check_password(new, account.name)
        hashed = self.hasher.hash(new)
        with self._writer.begin() as conn:
            accounts.set_hash(conn, account, hashed, now)
            web_sessions.end_other_sessions(conn, account.id, keep_session, now)
            record_event(conn, now, actor_of(account), "password_change", account.name)

    # -- signing in ----------------------------------------------------------------------

    def sign_in(self, name: str, password: str, *, address_key: str) -> SignIn:
        """Check the password within the limits; a success opens a session."""
        now = self.clock()
        account_key = "account:" + name.strip().lower()[:100]
        limits = self.limits
        with self.engine.connect() as conn:
            seen = sign_in_limits.failures_since(
                conn, [account_key, address_key], now - limits.window
            )
            limited = (
                seen.get(account_key, 0) >= limits.per_account
                or seen.get(address_key, 0) >= limits.per_address
            )
            account, rehash = (None, False) if limited else self._check.verify(conn, name, password)
            known = accounts.find(conn, name.strip().lower())
        with self._writer.begin() as conn:
            if account is None:
                sign_in_limits.record_failure(
                    conn, [account_key, address_key], now=now, forget_before=now - limits.window
                )
                # A name nobody has may be anything typed (even a password): not kept.
                actor = actor_of(known) if known else "web:?"
                action = "sign_in_limited" if limited else "sign_in_failed"
                record_event(conn, now, actor, action, "console")
                return SignIn(None, limited=limited)
            if rehash:
                accounts.set_hash(conn, account, self.hasher.hash(password), now)
            sign_in_limits.clear(conn, account_key)
            token = web_sessions.open_session(
                conn, account, now=now, lifetime=self.session_lifetime
            )
            record_event(conn, now, actor_of(account), "sign_in", "console")
            return SignIn(account, token=token)

    def session(self, token: str) -> Account | None:
        with self.engine.connect() as conn:
            return web_sessions.session_account(conn, token, self.clock())

    def sign_out(self, token: str, account: Account) -> None:
        now = self.clock()
        with self._writer.begin() as conn:
            web_sessions.end_session(conn, token, now)
            record_event(conn, now, actor_of(account), "sign_out", "console")

    def secret(self, name: str) -> str:
        with self._writer.begin() as conn:
            return shared_secret(conn, name)
