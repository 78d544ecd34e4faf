"""The access log: every staff view of personal data, with who, when, which case, fields, why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.desk import Desk
from flows import Interview
from storage import Store
from storage.access_log import ReasonRequired
from storage.export_rows import ExportQuery
from tests.storage.retained import claimant, file_for, retained


@pytest.fixture
def interview(store: Store) -> Interview:
    loaded = retained()
    store.publish_flow(loaded)
    return Interview(loaded)


def test_an_unmasked_case_view_leaves_a_row_naming_the_fields_it_showed(
    store: Store, interview: Interview
) -> None:
    ref = file_for(store, interview, claimant(1))
    before = dt.datetime.now(dt.UTC)
    case = store.case(ref, actor="op-kim", reason="calling back about compensation")
    assert case is not None and case.answers["story"] == claimant(1).story
    (entry,) = store.access_log()
    assert (entry.actor, entry.case_ref) == ("op-kim", ref)
    assert entry.reason == "calling back about compensation"
    assert entry.fields == ["attachments", "evidence", "phone", "story", "user_key"]
    assert entry.at.replace(tzinfo=entry.at.tzinfo or dt.UTC) >= before - dt.timedelta(seconds=1)


def test_a_staff_view_without_a_reason_is_refused_and_shows_nothing(
    store: Store, interview: Interview
) -> None:
    ref = file_for(store, interview, claimant(1))
    with pytest.raises(ReasonRequired, match="needs a reason"):
        store.case(ref, actor="op-kim", reason="  ")
    assert store.access_log() == []


def test_the_log_filters_by_actor_and_time(store: Store, interview: Interview) -> None:
    ref = file_for(store, interview, claimant(1))
    store.record_access("op-kim", ref, ["phone"], "call")
    store.record_access("op-lee", ref, ["story"], "review")
    assert [e.actor for e in store.access_log()] == ["op-kim", "op-lee"]
    assert [e.fields for e in store.access_log(actor="op-lee")] == [["story"]]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert store.access_log(since=later) == []


def test_an_unmasked_export_needs_a_reason_and_is_logged_before_it_is_written(
    store: Store, tmp_path: Path
) -> None:
    loaded = retained()
    store.publish_flow(loaded)
    desk = Desk(store, {"survey": loaded.flow}, tmp_path)
    file_for(store, Interview(loaded), claimant(1))
    clear = tmp_path / "clear.csv"
    with pytest.raises(ReasonRequired):
        desk.export_now(ExportQuery("survey"), format="csv", path=clear, masked=False, actor="op")
    assert store.access_log() == [] and not clear.exists()
    job = desk.export_now(
        ExportQuery("survey"), format="csv", path=clear, masked=False, actor="op-kim",
        reason="court order",
    )  # fmt: skip
    assert job.rows_done == 1
    assert claimant(1).phone_stored in clear.read_text("utf-8-sig")
    (entry,) = store.access_log()
    assert (entry.case_ref, entry.reason, entry.actor) == ("flow:survey", "court order", "op-kim")
    assert {"phone", "story", "evidence", "user_key"} <= set(entry.fields)
    masked = tmp_path / "masked.csv"
    desk.export_now(ExportQuery("survey"), format="csv", path=masked, masked=True, actor="op-kim")
    assert len(store.access_log()) == 1, "a masked export shows no personal data: no row"
    assert claimant(1).phone_stored not in masked.read_text("utf-8-sig")
