"""Loading flow files: every kind of mistake is reported with its file, line and step."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import FlowError, load_flow, load_flows, parse_flow

MINI = (Path(__file__).parent / "data" / "mini.yaml").read_text(encoding="utf-8")


def broken(old: str, new: str) -> str:
    assert old in MINI, old
    return MINI.replace(old, new, 1)


def line_of(source: str, needle: str) -> int:
    for number, line in enumerate(source.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def problems(source: str) -> list:
    with pytest.raises(FlowError) as caught:
        parse_flow(source, "broken.yaml")
    return caught.value.problems


def test_shipped_flows_validate() -> None:
    flows = load_flows()
    assert {"kakao-outage-2022", "generic-outage"} <= set(flows)


def test_the_mini_flow_loads_and_has_a_stable_version() -> None:
    first = parse_flow(MINI, "mini.yaml")
    assert first.version == parse_flow(MINI, "other-name.yaml").version
    assert first.version != parse_flow(MINI + "\n# comment\n").version


def test_unknown_step_referenced_names_line_and_step() -> None:
    source = broken("    next: service_other", "    next: servce_other")
    [problem] = problems(source)
    assert "unknown step 'servce_other'" in problem.message
    assert problem.line == line_of(source, "next: servce_other")
    assert problem.step == "services"
    text = str(problem)
    assert text.startswith(f"broken.yaml:{problem.line}:")
    assert "next: servce_other" in text and "^" in text


def test_unknown_step_in_a_rule_points_at_the_goto() -> None:
    source = broken("goto: refused}", "goto: refusd}")
    found = problems(source)
    assert any(
        "unknown step 'refusd'" in p.message and p.line == line_of(source, "goto: refusd")
        for p in found
    )


def test_unreachable_step_is_reported() -> None:
    source = MINI + (
        "  orphan:\n    kind: info\n    text: {ko: 고아, en: Orphan}\n    next: done\n"
    )
    found = problems(source)
    assert any("unreachable" in p.message and p.step == "orphan" for p in found)
    orphan = next(p for p in found if p.step == "orphan")
    assert orphan.line == line_of(source, "orphan:")


def test_step_that_cannot_reach_an_end_is_reported() -> None:
    source = broken("    next: done\n", "    next: confirm\n")
    found = problems(source)
    assert any("cannot reach an end" in p.message and p.step == "confirm" for p in found)


def test_duplicate_field_is_reported_at_the_second_step() -> None:
    source = broken("    field: phone\n", "    field: amount\n")
    [problem] = [p for p in problems(source) if "already asked" in p.message]
    assert problem.step == "phone"
    assert (
        problem.line
        == [n for n, line in enumerate(source.splitlines(), 1) if "field: amount" in line][-1]
    )


def test_missing_translation_is_reported_with_its_line() -> None:
    source = broken("text: {ko: 얼마?, en: How much?}", "text: {ko: 얼마?}")
    [problem] = problems(source)
    assert "translation missing for language 'en'" in problem.message
    assert problem.line == line_of(source, "text: {ko: 얼마?}")
    assert problem.step == "amount"


def test_condition_on_a_field_not_asked_before_is_reported() -> None:
    source = broken(
        "ask_if: {field: services, contains: other}", "ask_if: {field: phone, exists: true}"
    )
    [problem] = problems(source)
    assert "not asked before this point" in problem.message
    assert "phone" in problem.message
    assert problem.line == line_of(source, "ask_if: {field: phone")


def test_condition_on_an_unknown_option_is_reported() -> None:
    source = broken("contains: other}", "contains: othr}")
    [problem] = problems(source)
    assert "'othr' is not an option of field 'services'" in problem.message


def test_condition_needs_exactly_one_operator() -> None:
    source = broken(
        "{field: services, contains: other}", "{field: services, contains: other, exists: true}"
    )
    found = problems(source)
    assert any("exactly one operator" in p.message for p in found)
    assert all(p.line == line_of(source, "ask_if:") for p in found)


def test_unknown_step_kind_and_unknown_key_are_shape_errors_with_lines() -> None:
    source = broken("    kind: phone\n", "    kind: telephone\n")
    [problem] = problems(source)
    assert "unknown step kind 'telephone'" in problem.message
    assert problem.step == "phone"
    source = broken("    required: false\n", "    requird: false\n")
    [problem] = problems(source)
    assert "unknown key" in problem.message
    assert problem.line == line_of(source, "requird")


def test_missing_required_key_is_reported() -> None:
    source = broken("    submit: true\n", "")
    [problem] = problems(source)
    assert "required" in problem.message
    assert problem.step == "done"


def test_rule_list_needs_a_final_default() -> None:
    source = broken("      - {goto: services}\n", "")
    found = problems(source)
    assert any("the last rule must have no 'when'" in p.message for p in found)


def test_yaml_syntax_error_and_duplicate_key_give_lines() -> None:
    source = MINI.replace("  harm:\n", "  harm\n", 1)
    [problem] = problems(source)
    missing_colon = line_of(source, "  harm")
    # The YAML parser notices the missing ':' where the next line starts.
    assert problem.line in (missing_colon, missing_colon + 1)
    assert "could not find expected ':'" in problem.message
    source = MINI + "  phone:\n    kind: info\n    text: {ko: a, en: b}\n    next: done\n"
    [problem] = problems(source)
    assert "duplicate" in problem.message
    assert problem.line == len(MINI.splitlines()) + 1


def test_every_problem_is_listed_not_just_the_first() -> None:
    source = broken("    next: service_other", "    next: nowhere").replace(
        "text: {ko: 얼마?, en: How much?}", "text: {ko: 얼마?}"
    )
    assert len(problems(source)) >= 2


def test_load_flow_names_the_real_file(tmp_path: Path) -> None:
    path = tmp_path / "outage.yaml"
    path.write_text(broken("    next: service_other", "    next: nowhere"), encoding="utf-8")
    with pytest.raises(FlowError) as caught:
        load_flow(path)
    assert str(caught.value).startswith(f"{path}:")


def test_two_files_with_one_id_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINI, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(MINI, encoding="utf-8")
    with pytest.raises(FlowError) as caught:
        load_flows([tmp_path])
    assert "also used by" in str(caught.value)
