"""The seed: valid cases of the real flow in Kakao's shares and intake shape, with repeats
that the duplicate rules find."""

from __future__ import annotations

import random
from collections import Counter

from bot.desk.seeding import INTAKE_START, CaseDrawer, received_days, seed
from flows import load_flows
from storage import Store


def test_seeded_cases_are_filed_with_repeats_marked_by_their_rule(store: Store) -> None:
    loaded = load_flows()["kakao-outage-2022"]
    store.publish_flow(loaded)
    result = seed(store, loaded, 200, rng_seed=11, batch=64)
    report = store.aggregate(loaded.flow.id)
    assert result.cases == 200 == sum(report.by_status.values())
    assert report.duplicates >= sum(n for rule, n in result.repeats.items() if rule != "claimant")
    assert report == store.recount(loaded.flow.id)
    assert set(report.dimensions["claimant"]) <= {"individual", "small_business", "driver", "other"}
    language_field = next(s.field for _, s in loaded.flow.asking_steps() if s.changes_language)
    languages = {store.case(ref).answers[language_field] for ref in _references(store, loaded)}
    assert languages == {loaded.flow.default_language}  # as the interview was answered


def _references(store: Store, loaded) -> list[str]:
    from sqlalchemy import select

    from storage.tables import CaseRow

    with store.engine.connect() as conn:
        return list(
            conn.execute(
                select(CaseRow.reference).where(CaseRow.flow_id == loaded.flow.id)
            ).scalars()
        )


def test_the_draws_follow_kakaos_shares_and_the_intake_shape() -> None:
    drawer = CaseDrawer(3)
    plans = [drawer._fresh() for _ in range(20_000)]
    claimants = Counter(p["claimant"] for p in plans)
    assert abs(claimants["individual"] / 20_000 - 0.896) < 0.01
    paid = sum(p["paid"] in {"paid", "both"} for p in plans) / 20_000
    assert abs(paid - 0.171) < 0.01
    days = Counter(received_days(105_116, random.Random(5)))
    first_five = sum(n for day, n in days.items() if (day - INTAKE_START).days < 5)
    assert abs(first_five - 45_000) < 1_000
    assert len(days) == 19
