"""Report rows read off a flow's declarations: for the test flows and every shipped flow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from flows import Conversation, Flow, Interview, LoadedFlow, Outcome, load_flows
from storage import Store
from storage.filing import Crossing, DimensionValue, case_reference, file_case
from storage.tables import CaseCrossingRow, CaseDimensionRow
from tests.storage.sample_flows import mini, survey

FILED = dt.datetime(2022, 10, 20, 16, 30, tzinfo=dt.UTC)  # 01:30 on the 21st in Seoul
SHIPPED = sorted(load_flows().values(), key=lambda loaded: loaded.flow.id)


def _state(loaded: LoadedFlow, answers: dict[str, Any]) -> Conversation:
    end = next(sid for sid, s in loaded.flow.steps.items() if s.kind == "end" and s.submit)
    return Conversation(
        flow_id=loaded.flow.id,
        flow_version=loaded.version,
        language=loaded.flow.default_language,
        step=end,
        status="finished",
        submit=True,
        answers=answers,
        turn=1,
    )


def test_a_datetime_dimension_sets_the_incident_day_in_its_own_zone() -> None:
    state = _state(mini(), {"services": ["talk"], "harm": "money", "amount": 30000,
                            "when": "2022-10-15T23:30+09:00"})  # fmt: skip
    filing = file_case(mini().flow, state, FILED)
    assert filing.incident_day == dt.date(2022, 10, 15)
    assert filing.amount_total == 30000
    assert DimensionValue("day", "2022-10-15", None) in filing.dimensions


def test_without_a_day_the_incident_day_is_the_filing_day_in_seoul() -> None:
    filing = file_case(survey().flow, _state(survey(), {"claimant": "person"}), FILED)
    assert filing.incident_day == dt.date(2022, 10, 21)


def test_unanswered_dimensions_give_one_empty_row_and_cross_as_none() -> None:
    filing = file_case(survey().flow, _state(survey(), {"services": ["pay", "taxi"]}), FILED)
    assert DimensionValue("claimant", None, None) in filing.dimensions
    assert DimensionValue("loss", None, None) in filing.dimensions
    assert filing.amount_total == 0
    assert [c for c in filing.crossings if c.a_name == "service"] == [
        Crossing("service", "pay", "harm", None),
        Crossing("service", "taxi", "harm", None),
    ]


def test_only_money_counts_towards_the_amount_total() -> None:
    state = _state(survey(), {"loss": 5000, "hours": 4})
    filing = file_case(survey().flow, state, FILED)
    assert filing.amount_total == 5000
    assert DimensionValue("hours", None, 4) in filing.dimensions


def test_case_references_grow_past_six_digits_without_clashing() -> None:
    assert case_reference("CB", FILED, 123) == "CB-221021-000123"
    assert case_reference("CB", FILED, 1234567) == "CB-221021-1234567"


def _synthetic_answers(flow: Flow) -> dict[str, Any]:
    """A plausible answer for every non-personal asking step, by kind."""
    by_kind: dict[str, Any] = {"money": 12345, "number": 7, "date": "2022-10-16",
                               "datetime": "2022-10-16T10:00+09:00"}  # fmt: skip
    answers: dict[str, Any] = {}
    for _, step in flow.asking_steps():
        if step.kind == "choice":
            answers[step.field] = step.consent_value or step.options[0].value
        elif step.kind == "multi_choice":
            answers[step.field] = [o.value for o in step.options[:2]]
        elif step.kind in by_kind:
            answers[step.field] = by_kind[step.kind]
    return answers


@pytest.mark.parametrize("loaded", SHIPPED, ids=lambda loaded: loaded.flow.id)
def test_a_shipped_flow_files_a_row_per_value_of_each_dimension(
    store: Store, loaded: LoadedFlow
) -> None:
    flow = loaded.flow
    store.publish_flow(loaded)
    state = _state(loaded, _synthetic_answers(flow))
    outcome = Outcome(state=state, prompt=Interview(loaded).prompt(state), result="finished")
    applied = store.apply("test", "u1", lambda _: outcome, now=FILED)
    assert applied.case is not None and applied.case.reference.startswith(flow.case_prefix)

    def values(name: str) -> int:
        answer = state.answers.get(flow.dimensions()[name])
        return len(answer) if isinstance(answer, list) else 1

    expected_dims = {name: values(name) for name in flow.dimensions()}
    expected_crossings = {(a, b): values(a) * values(b) for a, b in flow.crossings}
    assert _counts(store, CaseDimensionRow.__table__, "name") == expected_dims
    assert _counts(store, CaseCrossingRow.__table__, "a_name", "b_name") == expected_crossings


def _counts(store: Store, table: Any, *columns: str) -> dict[Any, int]:
    keys = [table.c[c] for c in columns]
    with store.engine.connect() as conn:
        rows = conn.execute(select(*keys, func.count()).group_by(*keys)).all()
    return {(row[0] if len(keys) == 1 else tuple(row[:-1])): row[-1] for row in rows}
