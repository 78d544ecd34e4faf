"""Filed cases: references, the report rows read off the flow, attachments, status changes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from flows import Interview
from storage import Store, UnknownCase
from storage.tables import AuditEventRow, CaseCrossingRow, CaseDimensionRow
from tests.storage.filed import file_survey
from tests.storage.sample_flows import survey

# 23:00 in Seoul on the 16th, and 01:00 in Seoul on the 17th: the day is Seoul's, not UTC's.
LATE_16TH = dt.datetime(2022, 10, 16, 14, 0, tzinfo=dt.UTC)
EARLY_17TH = dt.datetime(2022, 10, 16, 16, 0, tzinfo=dt.UTC)


@pytest.fixture
def interview(store: Store) -> Interview:
    loaded = survey()
    store.publish_flow(loaded)
    return Interview(loaded)


def test_references_carry_prefix_local_day_and_a_unique_number(
    store: Store, interview: Interview
) -> None:
    first = file_survey(store, interview, "u1", now=LATE_16TH)
    second = file_survey(store, interview, "u2", now=EARLY_17TH)
    assert re.fullmatch(r"SV-221016-\d{6}", first.reference)
    assert re.fullmatch(r"SV-221017-\d{6}", second.reference)
    assert first.reference != second.reference
    assert first.reference.endswith(f"{first.id:06d}")


def test_a_case_keeps_every_answer_the_flow_version_and_the_incident_day(
    store: Store, interview: Interview
) -> None:
    ref = file_survey(
        store, interview, "u1", now=EARLY_17TH, claimant="business", loss=50000, hours=3,
        phone="010-1234-5678",
    )  # fmt: skip
    case = store.case(ref.reference)
    assert case is not None
    assert case.flow_id == "survey" and case.flow_version == survey().version
    assert case.incident_day == dt.date(2022, 10, 17)  # no date dimension: the Seoul filing day
    assert case.amount_total == 50000 and case.status == "received"
    assert case.answers["phone"] == "+821012345678" and case.answers["hours"] == 3
    assert case.channel == "test" and case.user_key == "u1" and case.submitted_at == EARLY_17TH


def test_dimension_rows_follow_the_flow_declarations(store: Store, interview: Interview) -> None:
    ref = file_survey(
        store, interview, "u1", now=LATE_16TH, claimant="business",
        services=("talk", "taxi"), harms=("money", "time"), loss=50000,
    )  # fmt: skip
    table = CaseDimensionRow.__table__
    with store.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.case_id == ref.id)).all()
    day = dt.date(2022, 10, 16)
    assert sorted((r.name, r.value, r.amount, r.day, r.counted) for r in rows) == sorted(
        [
            ("claimant", "business", None, day, True),
            ("service", "talk", None, day, True),
            ("service", "taxi", None, day, True),
            ("harm", "money", None, day, True),
            ("harm", "time", None, day, True),
            ("loss", None, 50000, day, True),
            ("hours", None, None, day, True),  # skipped: counted as not answered
        ],
        key=str,
    )


def test_crossing_rows_hold_every_combination_of_each_declared_pair(
    store: Store, interview: Interview
) -> None:
    ref = file_survey(
        store, interview, "u1", now=LATE_16TH, services=("talk", "taxi"), harms=("money", "time")
    )
    table = CaseCrossingRow.__table__
    with store.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.case_id == ref.id)).all()
    assert sorted((r.a_name, r.a_value, r.b_name, r.b_value) for r in rows) == [
        ("claimant", "person", "harm", "money"),
        ("claimant", "person", "harm", "time"),
        ("service", "talk", "harm", "money"),
        ("service", "talk", "harm", "time"),
        ("service", "taxi", "harm", "money"),
        ("service", "taxi", "harm", "time"),
    ]


def test_uploaded_files_become_attachment_rows(store: Store, interview: Interview) -> None:
    ref = file_survey(store, interview, "u1", now=LATE_16TH, files=2)
    case = store.case(ref.reference)
    assert case is not None
    assert [(a.file_id, a.kind, a.size, a.mime_type) for a in case.attachments] == [
        ("file-0", "photo", 1000, "image/jpeg"),
        ("file-1", "photo", 1001, "image/jpeg"),
    ]


def test_a_user_lists_only_their_own_cases_in_filing_order(
    store: Store, interview: Interview
) -> None:
    first = file_survey(store, interview, "u1", now=LATE_16TH)
    file_survey(store, interview, "u2", now=LATE_16TH)
    second = file_survey(store, interview, "u1", now=EARLY_17TH, services=["pay"])
    listed = store.cases_of("test", "u1")
    assert [(c.reference, c.status, c.flow_id) for c in listed] == [
        (first.reference, "received", "survey"),
        (second.reference, "received", "survey"),
    ]
    assert store.cases_of("test", "nobody") == []


def test_an_unknown_reference_is_none(store: Store) -> None:
    assert store.case("SV-221016-999999") is None


def test_marking_a_duplicate_stops_its_rows_counting_and_is_audited(
    store: Store, interview: Interview
) -> None:
    original = file_survey(store, interview, "u1", now=LATE_16TH)
    copy = file_survey(store, interview, "u2", now=EARLY_17TH)
    store.set_case_status(
        copy.reference, "duplicate", actor="op1", reason="same", duplicate_of=original.reference
    )
    case = store.case(copy.reference)
    assert case is not None and case.status == "duplicate"
    assert case.duplicate_of == original.reference
    assert _counted(store, copy.id) == {False} and _counted(store, original.id) == {True}

    store.set_case_status(copy.reference, "in_review", actor="op1", reason="reopened")
    store.set_case_status(copy.reference, "reviewed", actor="op1", reason="not a copy")
    assert _counted(store, copy.id) == {True}
    with store.engine.connect() as conn:
        events = conn.execute(select(AuditEventRow.__table__).order_by("id")).all()
    status_events = [
        (e.actor, e.action, e.subject, e.detail) for e in events if e.action == "status"
    ]
    assert status_events == [
        ("op1", "status", copy.reference,
         {"from": "received", "to": "duplicate", "duplicate_of": original.reference}),
        ("op1", "status", copy.reference, {"from": "duplicate", "to": "in_review"}),
        ("op1", "status", copy.reference, {"from": "in_review", "to": "reviewed"}),
    ]  # fmt: skip


def test_status_changes_are_checked(store: Store, interview: Interview) -> None:
    ref = file_survey(store, interview, "u1", now=LATE_16TH)
    with pytest.raises(ValueError, match="unknown case status"):
        store.set_case_status(ref.reference, "lost", actor="op", reason="x")
    with pytest.raises(UnknownCase):
        store.set_case_status("SV-000000-000000", "reviewed", actor="op", reason="x")
    with pytest.raises(ValueError, match="itself"):
        store.set_case_status(
            ref.reference, "duplicate", actor="op", reason="x", duplicate_of=ref.reference
        )
    case = store.case(ref.reference)
    assert case is not None and case.status == "received"


def _counted(store: Store, case_id: int) -> set[bool]:
    found: set[bool] = set()
    with store.engine.connect() as conn:
        for table in (CaseDimensionRow.__table__, CaseCrossingRow.__table__):
            rows = conn.execute(select(table.c.counted).where(table.c.case_id == case_id))
            found |= {bool(v) for v in rows.scalars()}
    return found
