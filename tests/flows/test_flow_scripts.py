"""Flow tests in files: the shipped flows' scripts pass and cover every step; a script that
does not match its flow fails, saying where."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import FlowError, LoadedFlow, load_flow, load_flows
from flows.rehearsal import load_scripts, parse_scripts, run_scripts, scripts_path

SHIPPED = load_flows()
MINI = Path(__file__).parent / "data" / "mini.yaml"


@pytest.mark.parametrize("flow_id", sorted(SHIPPED))
def test_the_shipped_flows_scripts_pass(flow_id: str) -> None:
    loaded = SHIPPED[flow_id]
    scripts = scripts_path(loaded.path)
    assert scripts.is_file(), f"{loaded.path} ships without scripts ({scripts.name})"
    results = run_scripts(loaded, load_scripts(scripts))
    assert [str(r) for r in results if not r.passed] == []
    assert len(results) >= 3


@pytest.mark.parametrize("flow_id", sorted(SHIPPED))
def test_the_shipped_scripts_reach_every_step(flow_id: str) -> None:
    loaded = SHIPPED[flow_id]
    results = run_scripts(loaded, load_scripts(scripts_path(loaded.path)))
    reached = {step for result in results for step in result.visited}
    assert set(loaded.flow.steps) - reached == set()


def run_one(loaded: LoadedFlow, body: str) -> tuple[bool, str]:
    (result,) = run_scripts(loaded, parse_scripts(body, "mini.test.yaml"))
    return result.passed, str(result)


@pytest.fixture(scope="module")
def mini() -> LoadedFlow:
    return load_flow(MINI)


PASSING = """\
flow: mini
scripts:
  - name: money harm, filed
    steps:
      - {choose: agree, expect: services}
      - {toggle: [talk, pay]}
      - {done: true, expect: harm}
      - {choose: money, expect: amount}
      - {say: "3만원", expect: when}
      - {say: "10월 15일 오후 4시"}
      - {skip: true, expect: confirm}
      - {submit: true}
    ends: filed
    answers: {amount: 30000, services: [talk, pay]}
"""


def test_a_matching_script_passes(mini: LoadedFlow) -> None:
    passed, shown = run_one(mini, PASSING)
    assert passed, shown
    assert shown == "ok    money harm, filed (9 inputs)"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("{done: true, expect: harm}", "{done: true, expect: amount}"),
            "mini.test.yaml:7: after done: expected step 'amount', but the interview is at 'harm'",
        ),
        (
            ('{say: "3만원", expect: when}', '{say: "3만원", error: money.invalid}'),
            "mini.test.yaml:9: after say '3만원': expected the error 'money.invalid', "
            "but the answer was taken (when)",
        ),
        (
            ('{say: "3만원", expect: when}', '{say: "서른", expect: when}'),
            "mini.test.yaml:9: after say '서른': not accepted at amount: 금액을 알아보지",
        ),
        (("ends: filed", "ends: refused"), "mini.test.yaml:3: expected the interview to end "),
        (
            ("{amount: 30000,", "{amount: 40000,"),
            "expected answer amount = 40000, got 30000",
        ),
        (("flow: mini", "flow: other"), "the scripts are for flow 'other', not 'mini'"),
    ],
)
def test_a_script_that_differs_fails_saying_where(
    mini: LoadedFlow, change: tuple[str, str], expected: str
) -> None:
    body = PASSING.replace(*change)
    assert body != PASSING
    passed, shown = run_one(mini, body)
    assert not passed
    assert expected in shown, shown


def test_a_badly_shaped_script_file_is_a_flow_error() -> None:
    with pytest.raises(FlowError, match="exactly one input"):
        parse_scripts("scripts:\n  - name: x\n    steps: [{say: a, choose: b}]\n    ends: filed\n")
    with pytest.raises(FlowError, match="ends"):
        parse_scripts("scripts:\n  - name: x\n    steps: [{say: a}]\n    ends: maybe\n")


def test_script_files_are_not_loaded_as_flows() -> None:
    folder = Path(SHIPPED["kakao-outage-2022"].path).parent
    assert any(folder.glob("*.test.yaml"))
    assert set(load_flows([folder])) == set(SHIPPED)
