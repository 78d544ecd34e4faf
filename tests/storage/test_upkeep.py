"""Reminders due from the table, pruning processed updates, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from flows import Cancel, Choose, Interview
from storage import Store
from storage.tables import AuditEventRow
from tests.storage.sample_flows import converse, mini, say

NOW = dt.datetime(2022, 10, 19, 0, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def interview(store: Store) -> Interview:
    loaded = mini()
    store.publish_flow(loaded)
    return Interview(loaded)


def test_reminders_fall_due_a_day_after_the_last_answer(store: Store, interview: Interview) -> None:
    say(store, interview, "early", None, now=NOW)
    say(store, interview, "late", None, now=NOW + 2 * HOUR)
    assert store.due_deadlines(NOW + 23 * HOUR) == []
    due = store.due_deadlines(NOW + 24 * HOUR)
    assert [(d.kind, d.user_key, d.channel, d.due_at) for d in due] == [
        ("reminder", "early", "test", NOW + 24 * HOUR)
    ]
    assert [d.user_key for d in store.due_deadlines(NOW + 30 * HOUR)] == ["early", "late"]
    assert [d.user_key for d in store.due_deadlines(NOW + 30 * HOUR, limit=1)] == ["early"]
    assert store.due_deadlines(NOW + 30 * HOUR, channel="telegram") == []
    assert len(store.due_deadlines(NOW + 30 * HOUR, channel="test")) == 2


def test_a_claimed_reminder_is_not_due_again_until_the_next_answer(
    store: Store, interview: Interview
) -> None:
    say(store, interview, "u1", None, now=NOW)
    (due,) = store.due_deadlines(NOW + 25 * HOUR)
    assert store.claim_deadline(due.id, due.due_at, NOW + 25 * HOUR)
    assert not store.claim_deadline(due.id, due.due_at, NOW + 25 * HOUR)
    assert store.due_deadlines(NOW + 100 * HOUR) == []
    say(store, interview, "u1", Choose("agree"), now=NOW + 26 * HOUR)
    (again,) = store.due_deadlines(NOW + 50 * HOUR)
    assert again.id == due.id and again.due_at == NOW + 50 * HOUR


def test_of_two_processes_reading_the_same_due_reminder_only_one_claims_it(
    database_url: str, store: Store, interview: Interview
) -> None:
    say(store, interview, "u1", None, now=NOW)
    with Store(database_url) as other:
        (mine,) = store.due_deadlines(NOW + 25 * HOUR)
        (theirs,) = other.due_deadlines(NOW + 25 * HOUR)
        claims = [
            store.claim_deadline(mine.id, mine.due_at, NOW + 25 * HOUR),
            other.claim_deadline(theirs.id, theirs.due_at, NOW + 25 * HOUR),
        ]
    assert claims == [True, False]


def test_a_reminder_re_armed_after_it_was_read_is_not_claimed(
    store: Store, interview: Interview
) -> None:
    say(store, interview, "u1", None, now=NOW)
    (read,) = store.due_deadlines(NOW + 25 * HOUR)
    say(store, interview, "u1", Choose("agree"), now=NOW + 25 * HOUR)  # answered meanwhile
    assert not store.claim_deadline(read.id, read.due_at, NOW + 25 * HOUR)
    assert store.due_deadlines(NOW + 48 * HOUR) == []
    (later,) = store.due_deadlines(NOW + 49 * HOUR)
    assert later.id == read.id and later.due_at == NOW + 49 * HOUR
    assert store.claim_deadline(later.id, later.due_at, NOW + 49 * HOUR)


def test_closed_conversations_have_no_due_reminders(store: Store, interview: Interview) -> None:
    converse(store, interview, "u1", Cancel(), Choose("yes"), now=NOW)
    assert store.due_deadlines(NOW + 100 * HOUR) == []


def test_reminder_delay_is_configurable(database_url: str, store: Store) -> None:
    loaded = mini()
    with Store(database_url, reminder_after=dt.timedelta(minutes=30)) as quick:
        quick.publish_flow(loaded)
        say(quick, Interview(loaded), "u1", None, now=NOW)
        (due,) = quick.due_deadlines(NOW + HOUR)
    assert due.due_at == NOW + dt.timedelta(minutes=30)


def test_pruning_forgets_only_old_update_keys(store: Store, interview: Interview) -> None:
    say(store, interview, "u1", None, update_key="old", now=NOW)
    say(store, interview, "u1", Choose("agree"), update_key="new", now=NOW + 48 * HOUR)
    assert store.prune_processed_updates(dt.timedelta(hours=24), now=NOW + 49 * HOUR) == 1
    assert say(store, interview, "u1", None, update_key="new").duplicate
    assert not say(store, interview, "u1", None, update_key="old").duplicate


def test_an_update_is_recorded_once_per_channel_alongside_the_interviews_keys(
    store: Store, interview: Interview
) -> None:
    assert store.record_update("telegram", "7:command", now=NOW)
    assert not store.record_update("telegram", "7:command", now=NOW + HOUR)
    assert store.record_update("web", "7:command", now=NOW)
    say(store, interview, "u1", None, channel="telegram", update_key="7", now=NOW)
    assert not store.record_update("telegram", "7", now=NOW), "the same table as apply's keys"
    assert store.prune_processed_updates(dt.timedelta(hours=24), now=NOW + 25 * HOUR) == 3
    assert store.record_update("telegram", "7:command", now=NOW + 25 * HOUR)


def test_audit_events_are_kept_in_order(store: Store) -> None:
    store.audit("op1", "export", "survey", {"rows": 12, "format": "xlsx"})
    store.audit("op2", "export", "mini")
    with store.engine.connect() as conn:
        rows = conn.execute(select(AuditEventRow.__table__).order_by("id")).all()
    exports = [(r.actor, r.action, r.subject, r.detail) for r in rows if r.action == "export"]
    assert exports == [
        ("op1", "export", "survey", {"rows": 12, "format": "xlsx"}),
        ("op2", "export", "mini", {}),
    ]
    assert all(r.at.tzinfo is not None for r in rows)
