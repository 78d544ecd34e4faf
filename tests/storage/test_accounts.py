"""Console accounts in storage: passwords, one-time links, sessions and sign-in limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from storage import Store
from storage.account_store import AccountStore, LastAdmin, LinkInvalid, SignInLimits
from storage.accounts import AccountExists, InvalidAccountName, WeakPassword
from storage.audit import events_before
from storage.tables import AccountLinkRow, AccountRow, WebSessionRow

PASSWORD = "correct horse battery"
ADDRESS = "address:test"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(store: Store, clock: Clock) -> Iterator[AccountStore]:
    yield AccountStore(
        store.engine,
        hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
        limits=SignInLimits(per_account=3, per_address=5, window=dt.timedelta(minutes=15)),
        clock=clock,
    )


def _actions(store: Store) -> list[tuple[str, str, str]]:
    with store.engine.connect() as conn:
        return [(e.actor, e.action, e.subject) for e in reversed(events_before(conn, None, 100))]


def test_the_first_admin_link_creates_one_admin_and_works_once(
    accounts: AccountStore, store: Store
) -> None:
    assert not accounts.has_admin()
    token = accounts.first_admin_link()
    assert token is not None
    admin = accounts.create_first_admin(token, "Alice", PASSWORD)
    assert (admin.name, admin.role, admin.active) == ("alice", "admin", True)
    assert accounts.has_admin()
    with pytest.raises(LinkInvalid):
        accounts.create_first_admin(token, "mallory", PASSWORD)
    assert accounts.first_admin_link() is None
    assert ("web:alice", "first_admin", "alice") in _actions(store)


def test_only_the_newest_first_admin_link_works_and_only_its_hash_is_stored(
    accounts: AccountStore, store: Store
) -> None:
    old = accounts.first_admin_link()
    new = accounts.first_admin_link()
    assert old and new and old != new
    with store.engine.connect() as conn:
        hashes = conn.execute(select(AccountLinkRow.__table__.c.token_hash)).scalars().all()
    assert old not in hashes and new not in hashes
    with pytest.raises(LinkInvalid):
        accounts.create_first_admin(old, "alice", PASSWORD)
    accounts.create_first_admin(new, "alice", PASSWORD)


def test_a_link_expires(accounts: AccountStore, clock: Clock) -> None:
    token = accounts.first_admin_link(lifetime=dt.timedelta(hours=1))
    assert token is not None
    clock.now += dt.timedelta(hours=1, seconds=1)
    assert accounts.link(token) is None
    with pytest.raises(LinkInvalid):
        accounts.create_first_admin(token, "alice", PASSWORD)


def test_an_account_added_without_password_signs_in_after_its_link(
    accounts: AccountStore,
) -> None:
    added = accounts.add("bob", "operator", actor="cli")
    assert not added.active
    assert accounts.sign_in("bob", PASSWORD, address_key=ADDRESS).account is None
    token = accounts.password_link("bob", actor="cli")
    found = accounts.link(token)
    assert found is not None and found[1] is not None and found[1].name == "bob"
    accounts.set_password_with_link(token, PASSWORD)
    signed = accounts.sign_in("bob", PASSWORD, address_key=ADDRESS)
    assert signed.account is not None and signed.token is not None
    assert accounts.session(signed.token) == signed.account
    with pytest.raises(LinkInvalid):
        accounts.set_password_with_link(token, "another long password")


def test_passwords_are_stored_as_argon2_hashes(accounts: AccountStore, store: Store) -> None:
    accounts.add("carol", "admin", PASSWORD, actor="cli")
    with store.engine.connect() as conn:
        stored = conn.execute(select(AccountRow.__table__.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_bad_names_short_passwords_and_duplicates_are_refused(accounts: AccountStore) -> None:
    with pytest.raises(InvalidAccountName):
        accounts.add("앨리스", "admin", actor="cli")
    with pytest.raises(WeakPassword):
        accounts.add("dave", "admin", "short", actor="cli")
    with pytest.raises(WeakPassword):
        accounts.add("davedavedave", "admin", "davedavedave", actor="cli")
    accounts.add("dave", "operator", actor="cli")
    with pytest.raises(AccountExists):
        accounts.add("DAVE", "admin", actor="cli")


def test_sign_out_and_disabling_end_sessions(accounts: AccountStore, store: Store) -> None:
    accounts.add("admin1", "admin", PASSWORD, actor="cli")
    accounts.add("op", "operator", PASSWORD, actor="cli")
    first = accounts.sign_in("op", PASSWORD, address_key=ADDRESS)
    second = accounts.sign_in("op", PASSWORD, address_key=ADDRESS)
    assert first.token and second.token and first.account
    accounts.sign_out(first.token, first.account)
    assert accounts.session(first.token) is None
    assert accounts.session(second.token) is not None
    accounts.disable("op", actor="web:admin1")
    assert accounts.session(second.token) is None
    assert accounts.sign_in("op", PASSWORD, address_key=ADDRESS).account is None
    with store.engine.connect() as conn:
        open_rows = conn.execute(
            select(WebSessionRow.__table__.c.id).where(WebSessionRow.__table__.c.ended_at.is_(None))
        ).all()
    assert open_rows == []
    assert ("web:admin1", "account_disable", "op") in _actions(store)


def test_a_session_ends_at_its_lifetime(accounts: AccountStore, clock: Clock) -> None:
    accounts.add("op", "operator", PASSWORD, actor="cli")
    token = accounts.sign_in("op", PASSWORD, address_key=ADDRESS).token
    assert token is not None
    clock.now += accounts.session_lifetime - dt.timedelta(seconds=1)
    assert accounts.session(token) is not None
    clock.now += dt.timedelta(seconds=2)
    assert accounts.session(token) is None


def test_the_last_admin_cannot_be_disabled(accounts: AccountStore) -> None:
    accounts.add("root", "admin", PASSWORD, actor="cli")
    with pytest.raises(LastAdmin):
        accounts.disable("root", actor="cli")
    accounts.add("root2", "admin", PASSWORD, actor="cli")
    assert accounts.disable("root", actor="cli").disabled_at is not None


def test_failed_sign_ins_lock_the_account_even_for_the_right_password(
    accounts: AccountStore, clock: Clock, store: Store
) -> None:
    accounts.add("op", "operator", PASSWORD, actor="cli")
    for n in range(3):
        result = accounts.sign_in("op", f"wrong password {n}", address_key=f"address:{n}")
        assert result.account is None and not result.limited
    locked = accounts.sign_in("op", PASSWORD, address_key="address:other")
    assert locked.account is None and locked.limited
    clock.now += dt.timedelta(minutes=16)
    assert accounts.sign_in("op", PASSWORD, address_key="address:other").account is not None
    actions = [action for _, action, _ in _actions(store)]
    assert actions.count("sign_in_failed") == 3 and "sign_in_limited" in actions


def test_failed_sign_ins_from_one_address_lock_that_address_for_every_name(
    accounts: AccountStore,
) -> None:
    accounts.add("op", "operator", PASSWORD, actor="cli")
    for n in range(5):
        accounts.sign_in(f"guess{n}", PASSWORD, address_key=ADDRESS)
    assert accounts.sign_in("op", PASSWORD, address_key=ADDRESS).limited
    assert accounts.sign_in("op", PASSWORD, address_key="address:elsewhere").account is not None


def test_a_success_clears_the_account_counter(accounts: AccountStore) -> None:
    accounts.add("op", "operator", PASSWORD, actor="cli")
    for _ in range(2):
        accounts.sign_in("op", "wrong password", address_key=ADDRESS)
    assert accounts.sign_in("op", PASSWORD, address_key=ADDRESS).account is not None
    for _ in range(2):
        accounts.sign_in("op", "wrong password", address_key=ADDRESS)
    assert accounts.sign_in("op", PASSWORD, address_key=ADDRESS).account is not None


def test_unknown_names_are_not_written_to_the_audit_log(
    accounts: AccountStore, store: Store
) -> None:
    accounts.sign_in("my password 1234", "x", address_key=ADDRESS)
    assert _actions(store) == [("web:?", "sign_in_failed", "console")]


def test_the_shared_secret_is_made_once(accounts: AccountStore, store: Store) -> None:
    first = accounts.secret("cookie")
    other = AccountStore(store.engine)
    assert other.secret("cookie") == first and len(first) >= 48


def test_audit_pages_are_keyset_paginated(store: Store) -> None:
    for n in range(7):
        store.audit("cli", "export", f"flow{n}")
    with store.engine.connect() as conn:
        page1 = events_before(conn, None, 3)
        page2 = events_before(conn, page1[-1].id, 3)
        page3 = events_before(conn, page2[-1].id, 3)
    assert [e.subject for e in page1 + page2 + page3] == [f"flow{n}" for n in range(6, -1, -1)]
