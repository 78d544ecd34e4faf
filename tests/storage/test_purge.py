"""The retention purge: cases past their declared period lose their person, the counts stay."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from flows import Interview
from storage import Store, UnknownCase
from storage.tables import AuditEventRow, CaseRow, ConversationRow, DailyJobRow
from tests.storage.retained import (
    FILED,
    abandon,
    claimant,
    every_value,
    file_for,
    retained,
)

DAY = dt.timedelta(days=1)
YEAR_AND_A_DAY = dt.timedelta(days=367)
PAST_LONGEST = dt.timedelta(days=3 * 366 + 1)


@pytest.fixture
def interview(store: Store) -> Interview:
    loaded = retained()
    store.publish_flow(loaded)
    return Interview(loaded)


def _status(store: Store, reference: str) -> CaseRow:
    with store.engine.connect() as conn:
        return conn.execute(
            select(CaseRow.__table__).where(CaseRow.__table__.c.reference == reference)
        ).one()


def test_purge_removes_every_seeded_personal_value_and_keeps_the_counts(
    store: Store, interview: Interview
) -> None:
    people = [claimant(n) for n in range(4)]
    refs = [file_for(store, interview, who) for who in people]
    store.set_case_status(refs[0], "reviewed", actor="op", reason="paid")
    abandon(store, interview, claimant(9), FILED)
    before = store.aggregate("survey")
    assert all(value in every_value(store.engine) for who in people for value in who.personal)

    done = store.purge(as_of=FILED + PAST_LONGEST, actor="privacy-officer")

    assert (done.cases, done.attachments, done.interviews) == (4, 8, 1)
    everything = every_value(store.engine)
    for who in [*people, claimant(9)]:
        for value in who.personal:
            assert value not in everything, value
    assert "file-0" not in everything and "file-1" not in everything
    assert store.aggregate("survey") == before
    assert store.recount("survey") == before
    case = store.case(refs[1])
    assert case is not None and case.attachments == []
    assert case.answers["claimant"] == "business" and case.amount_total > 0
    assert set(case.answers) == {"consent", "claimant", "services", "harm", "loss"}
    assert case.notes == {} and case.user_key.startswith("erased-")


def test_the_purge_run_is_audited_with_its_numbers(store: Store, interview: Interview) -> None:
    file_for(store, interview, claimant(1))
    store.purge(as_of=FILED + PAST_LONGEST, actor="privacy-officer")
    with store.engine.connect() as conn:
        (event,) = conn.execute(
            select(AuditEventRow.__table__).where(AuditEventRow.__table__.c.action == "purge")
        ).all()
    assert event.actor == "privacy-officer"
    assert event.detail["cases"] == 1 and event.detail["attachments"] == 2
    assert event.detail["held"] == 0 and event.detail["under_review"] == 0


def test_a_closed_case_goes_a_year_after_closing_an_open_one_after_three_years(
    store: Store, interview: Interview
) -> None:
    closed = file_for(store, interview, claimant(1))
    # no evidence files: the same sample file ids would make it a duplicate, closed at filing
    still_open = file_for(store, interview, claimant(2), files=0)
    store.set_case_status(closed, "reviewed", actor="op", reason="paid")
    closed_at = _status(store, closed).closed_at
    assert closed_at is not None and _status(store, still_open).closed_at is None
    closing = closed_at.replace(tzinfo=dt.UTC)
    assert store.purge(as_of=closing + dt.timedelta(days=364)).cases == 0
    assert store.purge(as_of=closing + YEAR_AND_A_DAY).cases == 1
    assert _status(store, closed).purged_at is not None
    assert _status(store, still_open).purged_at is None
    assert store.purge(as_of=FILED + PAST_LONGEST).cases == 1
    assert _status(store, still_open).purged_at is not None


def test_reopening_a_case_stops_its_clock(store: Store, interview: Interview) -> None:
    ref = file_for(store, interview, claimant(1))
    store.set_case_status(ref, "reviewed", actor="op", reason="paid")
    assert _status(store, ref).closed_at is not None
    store.set_case_status(ref, "in_review", actor="op", reason="reopened on appeal")
    assert _status(store, ref).closed_at is None


def test_held_and_under_review_cases_are_skipped_and_reported(
    store: Store, interview: Interview
) -> None:
    held, reviewing, plain = (file_for(store, interview, claimant(n)) for n in (1, 2, 3))
    store.hold_case(held, "court order 2024-가합-123", actor="legal")
    store.set_case_status(reviewing, "in_review", actor="op", reason="checking the receipt")

    done = store.purge(as_of=FILED + PAST_LONGEST)

    assert (done.cases, done.held, done.under_review) == (1, [held], [reviewing])
    everything = every_value(store.engine)
    assert claimant(1).story in everything and claimant(2).phone_stored in everything
    assert claimant(3).story not in everything and _status(store, plain).purged_at is not None
    assert store.release_case(held, actor="legal") is True
    assert store.release_case(held, actor="legal") is False
    again = store.purge(as_of=FILED + PAST_LONGEST)
    assert (again.cases, again.held, again.under_review) == (1, [], [reviewing])
    assert claimant(1).story not in every_value(store.engine)


def test_a_hold_needs_a_reason_and_a_known_case(store: Store, interview: Interview) -> None:
    ref = file_for(store, interview, claimant(1))
    with pytest.raises(ValueError, match="needs a reason"):
        store.hold_case(ref, "  ", actor="legal")
    with pytest.raises(UnknownCase):
        store.hold_case("SV-000000-000000", "order", actor="legal")


def test_a_dry_run_changes_nothing_and_says_what_a_run_would_do(
    store: Store, interview: Interview
) -> None:
    for n in range(3):
        file_for(store, interview, claimant(n))
    abandon(store, interview, claimant(8), FILED)
    before = every_value(store.engine)

    preview = store.purge(as_of=FILED + PAST_LONGEST, dry_run=True)

    assert (preview.cases, preview.attachments, preview.interviews) == (3, 6, 1)
    assert preview.dry_run and every_value(store.engine) == before
    done = store.purge(as_of=FILED + PAST_LONGEST)
    assert (done.cases, done.attachments, done.interviews) == (3, 6, 1)


def test_abandoned_interviews_lose_their_answers_after_the_shorter_period(
    store: Store, interview: Interview
) -> None:
    idle = claimant(5)
    abandon(store, interview, idle, FILED)
    ref = file_for(store, interview, claimant(6))
    assert store.purge(as_of=FILED + dt.timedelta(days=29)).interviews == 0
    assert store.current("test", idle.user) is not None
    done = store.purge(as_of=FILED + dt.timedelta(days=31))
    assert (done.interviews, done.cases) == (1, 0)
    assert store.current("test", idle.user) is None
    assert idle.user not in every_value(store.engine)
    case = store.case(ref)  # the filed case and its conversation stay until their own time
    assert case is not None and case.conversation_id is not None


def test_a_purge_reports_progress_batch_by_batch(store: Store, interview: Interview) -> None:
    for n in range(5):
        file_for(store, interview, claimant(n), files=0)
    seen: list[tuple[int, int]] = []
    store.purge(as_of=FILED + PAST_LONGEST, batch=2, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_flows_without_a_declaration_are_left_alone_and_named(store: Store) -> None:
    from tests.storage.filed import file_survey
    from tests.storage.sample_flows import survey

    loaded = survey()
    store.publish_flow(loaded)
    file_survey(store, Interview(loaded), "u1", now=FILED, story="지워지면 안 됨")
    done = store.purge(as_of=FILED + PAST_LONGEST)
    assert done.cases == 0 and done.undeclared == [f"survey@{loaded.version}"]
    assert "지워지면 안 됨" in every_value(store.engine)


def test_the_access_log_survives_every_purge(store: Store, interview: Interview) -> None:
    ref = file_for(store, interview, claimant(1))
    store.case(ref, actor="op-kim", reason="compensation call")
    store.purge(as_of=FILED + PAST_LONGEST * 3)
    (entry,) = store.access_log()
    assert (entry.actor, entry.case_ref, entry.reason) == ("op-kim", ref, "compensation call")


def test_the_daily_purge_runs_in_exactly_one_of_several_processes(
    store: Store, database_url: str, interview: Interview
) -> None:
    file_for(store, interview, claimant(1))
    others = [Store(database_url) for _ in range(3)]
    results: list[object] = []
    now = FILED + PAST_LONGEST
    threads = [
        threading.Thread(target=lambda s=s, n=n: results.append(s.run_daily_purge(f"p{n}", now)))
        for n, s in enumerate(others)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in others:
        other.close()
    ran = [r for r in results if r is not None]
    assert len(results) == 3 and len(ran) == 1
    assert store.run_daily_purge("late", now) is None
    assert store.run_daily_purge("tomorrow", now + DAY) is not None
    with store.engine.connect() as conn:
        jobs = conn.execute(select(DailyJobRow.__table__)).all()
        purges = conn.execute(
            select(func.count()).where(AuditEventRow.__table__.c.action == "purge")
        ).scalar_one()
    assert len(jobs) == 2 and all(job.finished_at is not None for job in jobs)
    assert jobs[0].detail["cases"] == 1 and purges == 2


def test_conversations_of_purged_cases_go_with_them(store: Store, interview: Interview) -> None:
    file_for(store, interview, claimant(1))
    store.purge(as_of=FILED + PAST_LONGEST)
    with store.engine.connect() as conn:
        users = list(conn.execute(select(ConversationRow.__table__.c.user_key)).scalars())
    assert users == []


def test_a_purge_stopped_between_batches_keeps_its_work_and_the_next_run_finishes(
    store: Store, interview: Interview
) -> None:
    from storage.purge import PurgeStopped

    for n in range(5):
        file_for(store, interview, claimant(n), files=0)

    def stop(done: int, total: int) -> None:
        raise PurgeStopped

    with pytest.raises(PurgeStopped):
        store.purge(as_of=FILED + PAST_LONGEST, batch=2, progress=stop)
    assert store.purge(as_of=FILED + PAST_LONGEST, dry_run=True).cases == 3
    assert store.purge(as_of=FILED + PAST_LONGEST).cases == 3
