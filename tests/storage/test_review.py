"""Case review: a status machine from one table, actor and reason on every change, history,
assignment, and an edit lock that keeps two operators from overwriting each other."""

from __future__ import annotations

import datetime as dt

import pytest

from flows import Interview
from storage import Store
from storage.errors import CaseLocked, IllegalTransition
from storage.review import MOVES
from tests.storage.filed import file_survey
from tests.storage.sample_flows import survey

DAY_16 = dt.datetime(2022, 10, 16, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def case(store: Store) -> str:
    loaded = survey()
    store.publish_flow(loaded)
    return file_survey(store, Interview(loaded), "u1", now=DAY_16).reference


def test_the_review_path_is_recorded_with_actor_and_reason(store: Store, case: str) -> None:
    ops = store.operators
    ops.set_status(case, "in_review", actor="ana", reason="taking it")
    ops.set_status(case, "rejected", actor="ana", reason="no harm described")
    ops.set_status(case, "in_review", actor="bo", reason="claimant called back")
    ops.set_status(case, "reviewed", actor="bo", reason="harm confirmed")
    events = [(e.actor, e.action, e.from_status, e.to_status, e.reason) for e in ops.history(case)]
    assert events == [
        ("complaintbot", "filed", None, "received", None),
        ("ana", "status", "received", "in_review", "taking it"),
        ("ana", "status", "in_review", "rejected", "no harm described"),
        ("bo", "status", "rejected", "in_review", "claimant called back"),
        ("bo", "status", "in_review", "reviewed", "harm confirmed"),
    ]


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ((), "received"),
        (("reviewed",), "duplicate"),
        (("rejected",), "reviewed"),
        (("in_review",), "received"),
        (("unrelated",), "unrelated"),
    ],
)
def test_illegal_transitions_are_refused(
    store: Store, case: str, path: tuple[str, ...], illegal: str
) -> None:
    for status in path:
        store.operators.set_status(case, status, actor="op", reason="step")
    before = store.case(case)
    with pytest.raises(IllegalTransition, match="cannot become"):
        store.operators.set_status(case, illegal, actor="op", reason="try")
    after = store.case(case)
    assert before is not None and after is not None and after.status == before.status


def test_every_change_needs_a_reason(store: Store, case: str) -> None:
    with pytest.raises(IllegalTransition, match="reason"):
        store.operators.set_status(case, "in_review", actor="op", reason="  ")


def test_the_machine_table_has_every_status_reachable_and_closed_ones_reopen() -> None:
    dests = {m["dest"] for m in MOVES}
    assert dests == {"in_review", "reviewed", "duplicate", "unrelated", "rejected"}
    reopen = next(m for m in MOVES if m["trigger"] == "reopen")
    assert set(reopen["source"]) == {"reviewed", "duplicate", "unrelated", "rejected"}


def test_counts_follow_every_status_change(store: Store, case: str) -> None:
    ops = store.operators
    assert store.aggregate("survey").counted == 1
    ops.set_status(case, "in_review", actor="op", reason="look")
    assert store.aggregate("survey").counted == 1
    ops.set_status(case, "unrelated", actor="op", reason="not the outage")
    report = store.aggregate("survey")
    assert (report.counted, report.unrelated) == (0, 1)
    assert report.dimensions.get("service", {}).get("talk", 0) == 0
    ops.set_status(case, "in_review", actor="op", reason="wrong click")
    assert store.aggregate("survey").dimensions["service"] == {"talk": 1}
    assert store.aggregate("survey") == store.recount("survey")


def test_two_operators_and_the_lock(store: Store, case: str) -> None:
    ops = store.operators
    now = dt.datetime.now(dt.UTC)
    ops.lock(case, actor="ana", now=now)
    with pytest.raises(CaseLocked, match="ana"):
        ops.lock(case, actor="bo", now=now)
    with pytest.raises(CaseLocked):
        ops.set_status(case, "in_review", actor="bo", reason="mine")
    with pytest.raises(CaseLocked):
        ops.note(case, "I think it is a copy", actor="bo")
    ops.set_status(case, "in_review", actor="ana", reason="reviewing")  # the holder may
    later = now + dt.timedelta(minutes=16)  # ana's lock ran out
    ops.lock(case, actor="bo", now=later)
    ops.set_status(case, "reviewed", actor="bo", reason="done", now=later)
    record = store.case(case)
    assert record is not None and record.status == "reviewed"


def test_assignment_and_notes_are_kept_in_the_history(store: Store, case: str) -> None:
    ops = store.operators
    ops.assign(case, "ana", actor="lead")
    ops.note(case, "called the claimant", actor="ana")
    from storage.case_lists import CaseFilter

    page = ops.list_cases(CaseFilter("survey", assigned_to="ana"))
    assert [line.reference for line in page.lines] == [case]
    assert ops.list_cases(CaseFilter("survey", assigned_to="bo")).lines == []
    actions = [(e.actor, e.action, e.reason, e.detail) for e in ops.history(case)][1:]
    assert actions == [("lead", "assign", None, {"to": "ana"}),
                       ("ana", "note", "called the claimant", {})]  # fmt: skip


def test_case_list_pages_follow_filing_order(store: Store) -> None:
    loaded = survey()
    store.publish_flow(loaded)
    iv = Interview(loaded)
    refs = [file_survey(store, iv, f"u{n}", now=DAY_16).reference for n in range(5)]
    from storage.case_lists import CaseFilter

    seen, after = [], None
    while True:
        page = store.operators.list_cases(CaseFilter("survey"), after=after, limit=2)
        seen += [line.reference for line in page.lines]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == refs


def test_a_whole_case_number_is_looked_up_not_scanned_for(store: Store) -> None:
    from sqlalchemy import event

    from storage.case_lists import CaseFilter

    loaded = survey()
    store.publish_flow(loaded)
    iv = Interview(loaded)
    refs = [file_survey(store, iv, f"u{n}", now=DAY_16).reference for n in range(3)]
    said: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        said.append(statement)

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        whole = store.operators.list_cases(CaseFilter("survey", reference=refs[1].lower()))
        part = store.operators.list_cases(CaseFilter("survey", reference=refs[1][-3:]))
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert [line.reference for line in whole.lines] == [refs[1]]
    assert refs[1] in [line.reference for line in part.lines]
    lists = [sql for sql in said if "FROM cases" in sql]
    assert " IN (" in lists[0] and "LIKE" not in lists[0].upper()
    assert "LIKE" in lists[1].upper()
