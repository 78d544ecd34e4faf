"""The report's figures, exact on a small set of cases filed through the real engine."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import update

from flows import Interview
from storage import AmountSum, Report, Store
from storage.tables import ReportCountRow
from tests.storage.filed import file_survey
from tests.storage.sample_flows import survey

DAY_16 = dt.datetime(2022, 10, 16, 5, 0, tzinfo=dt.UTC)
DAY_17 = dt.datetime(2022, 10, 17, 5, 0, tzinfo=dt.UTC)
D16, D17 = dt.date(2022, 10, 16), dt.date(2022, 10, 17)


@pytest.fixture
def seeded(store: Store) -> Store:
    """Three counted cases, one duplicate and one unrelated report."""
    loaded = survey()
    store.publish_flow(loaded)
    iv = Interview(loaded)
    first = file_survey(store, iv, "u1", now=DAY_16, services=["talk"], harms=["time"])
    file_survey(
        store, iv, "u2", now=DAY_16, claimant="business", services=["talk", "pay"],
        harms=["money", "time"], loss=50000, hours=2,
    )  # fmt: skip
    third = file_survey(
        store, iv, "u3", now=DAY_17, claimant="business", services=["taxi"], harms=["money"],
        loss=120000,
    )  # fmt: skip
    # The same claimant about the same service and harm: a duplicate of ``third`` at filing.
    again = file_survey(store, iv, "u3", now=DAY_17, services=["taxi"], harms=["money"], loss=9)
    off_topic = file_survey(store, iv, "u5", now=DAY_17, services=["pay"], harms=["time"])
    store.set_case_status(first.reference, "reviewed", actor="op", reason="checked")
    store.set_case_status(off_topic.reference, "unrelated", actor="op", reason="not the outage")
    duplicate = store.case(again.reference)
    assert duplicate is not None and duplicate.duplicate_of == third.reference
    return store


def test_totals_set_duplicates_and_unrelated_reports_apart(seeded: Store) -> None:
    report = seeded.aggregate("survey")
    assert report.by_status == {"received": 2, "reviewed": 1, "duplicate": 1, "unrelated": 1}
    assert (report.counted, report.duplicates, report.unrelated) == (3, 1, 1)
    assert report.by_day == {D16: 2, D17: 1}


def test_counts_by_each_dimension_value_count_only_counted_cases(seeded: Store) -> None:
    report = seeded.aggregate("survey")
    assert report.dimensions == {
        "claimant": {"person": 1, "business": 2},
        "service": {"talk": 2, "pay": 1, "taxi": 1},
        "harm": {"time": 2, "money": 2},
    }
    assert report.dimensions_by_day["service"] == {
        ("talk", D16): 2,
        ("pay", D16): 1,
        ("taxi", D17): 1,
    }


def test_amounts_are_summed_per_dimension_and_day(seeded: Store) -> None:
    report = seeded.aggregate("survey")
    assert report.amounts == {
        "loss": AmountSum(total=170000, cases=2, by_day={D16: 50000, D17: 120000}),
        "hours": AmountSum(total=2, cases=1, by_day={D16: 2}),
    }


def test_crossings_count_each_pair_of_values_per_day(seeded: Store) -> None:
    report = seeded.aggregate("survey")
    assert _cells(report, ("service", "harm")) == {
        ("talk", "time", D16): 2,
        ("talk", "money", D16): 1,
        ("pay", "money", D16): 1,
        ("pay", "time", D16): 1,
        ("taxi", "money", D17): 1,
    }
    assert _cells(report, ("claimant", "harm")) == {
        ("person", "time", D16): 1,
        ("business", "money", D16): 1,
        ("business", "time", D16): 1,
        ("business", "money", D17): 1,
    }


def test_a_day_range_limits_every_figure(seeded: Store) -> None:
    first_day = seeded.aggregate("survey", until=D16)
    assert first_day.counted == 2 and first_day.by_day == {D16: 2}
    assert first_day.amounts["loss"].total == 50000
    second_day = seeded.aggregate("survey", since=D17)
    assert second_day.by_status == {"received": 1, "duplicate": 1, "unrelated": 1}
    assert second_day.dimensions["service"] == {"taxi": 1}
    assert set(_cells(second_day, ("service", "harm"))) == {("taxi", "money", D17)}


def test_erasing_a_claimant_keeps_the_figures(seeded: Store) -> None:
    before = seeded.aggregate("survey")
    seeded.erase_user("test", "u2", actor="op")
    after = seeded.aggregate("survey")
    assert (after.by_status, after.dimensions, after.amounts, after.crossings) == (
        before.by_status,
        before.dimensions,
        before.amounts,
        before.crossings,
    )


def test_another_flow_has_its_own_empty_report(seeded: Store) -> None:
    report = seeded.aggregate("other")
    assert (report.counted, report.by_status, report.dimensions, report.crossings) == (
        0,
        {},
        {},
        {},
    )


def _cells(
    report: Report, pair: tuple[str, str]
) -> dict[tuple[str | None, str | None, dt.date], int]:
    return {(c.a_value, c.b_value, c.day): c.cases for c in report.crossings.get(pair, [])}


def test_the_running_counts_match_a_recount_from_the_rows(seeded: Store) -> None:
    assert seeded.aggregate("survey") == seeded.recount("survey")
    assert seeded.aggregate("survey", since=D17) == seeded.recount("survey", since=D17)
    assert seeded.aggregate("survey", until=D16) == seeded.recount("survey", until=D16)


def test_rebuilding_the_counts_from_the_rows_changes_no_figure(seeded: Store) -> None:
    before = seeded.aggregate("survey")
    with seeded.engine.begin() as conn:  # counts lost or wrong, e.g. after a bulk load
        conn.execute(update(ReportCountRow.__table__).values(cases=7))
    assert seeded.aggregate("survey") != before
    seeded.rebuild_report("survey", actor="op")
    assert seeded.aggregate("survey") == before


def test_cases_filed_at_the_same_time_are_all_counted(store: Store) -> None:
    loaded = survey()
    store.publish_flow(loaded)
    iv = Interview(loaded)
    threads, each = 4, 5

    def file_many(thread: int) -> None:
        for n in range(each):
            file_survey(store, iv, f"t{thread}-{n}", now=DAY_16, services=["talk", "pay"],
                        harms=["money"], loss=1000)  # fmt: skip

    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(file_many, t) for t in range(threads)]:
            future.result(timeout=120)
    report = store.aggregate("survey")
    assert report.counted == threads * each
    assert report.dimensions["service"] == {"talk": threads * each, "pay": threads * each}
    assert report.amounts["loss"] == AmountSum(1000 * threads * each, threads * each, {D16: 20000})
    assert report == store.recount("survey")
