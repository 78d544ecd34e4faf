"""Step kinds, one module each: the registry, a kind added by one module (rating), and kind
methods for exports that give exactly what today's export code gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flows import Button, Interview, Text, parse_flow
from flows.answers import Accepted
from flows.kinds import KIND_NAMES, STEP_MODELS
from flows.kinds.email import EmailStep
from flows.kinds.file import FileStep
from flows.kinds.rating import RatingStep
from flows.render import summary
from flows.schema import Flow
from flows.steps import MASKED, AskingBase

RATED = """\
id: rated
title: {ko: 평가, en: Rated}
languages: [ko, en]
default_language: ko
start: how_bad
steps:
  how_bad:
    kind: rating
    field: how_bad
    dimension: severity
    scale: 5
    label: {ko: 심각도, en: Severity}
    text: {ko: 얼마나 심각했나요?, en: How bad was it?}
    next: confirm
  confirm:
    kind: confirm
    text: {ko: 확인해 주세요, en: Please check}
    next: filed
  filed:
    kind: end
    submit: true
    text: {ko: 접수되었습니다, en: Filed}
"""


def test_every_kind_module_defines_one_distinct_kind() -> None:
    assert len(set(KIND_NAMES)) == len(STEP_MODELS)
    assert {"choice", "multi_choice", "money", "file", "confirm", "end", "rating"} <= set(
        KIND_NAMES
    )
    schema = str(Flow.model_json_schema())
    for kind in KIND_NAMES:
        assert f"'const': '{kind}'" in schema, kind


def test_a_kind_added_as_one_module_loads_asks_and_reports() -> None:
    loaded = parse_flow(RATED, "rated.yaml")
    step = loaded.flow.steps["how_bad"]
    assert isinstance(step, RatingStep) and step.scale == 5
    interview = Interview(loaded)
    start = interview.start("en")
    assert start.prompt.widget == "choose_one"
    assert [o.label for o in start.prompt.options] == ["★", "★★", "★★★", "★★★★", "★★★★★"]
    wrong = interview.answer(start.state, Text("9"))
    assert wrong.result == "retry" and wrong.error == "Please choose a score from 1 to 5."
    typed = interview.answer(start.state, Text("★★★★"))
    assert typed.state.answers == {"how_bad": 4} and typed.echo == "4/5"
    pressed = interview.answer(start.state, Button("choose", start.prompt.turn, index=1))
    assert pressed.state.answers == {"how_bad": 2}
    lines = summary(loaded.flow, typed.state, ["how_bad"])
    assert [(line.label, line.value) for line in lines] == [("Severity", "4/5")]
    assert step.report_values(4) == [("4", None)]
    cells = step.export_cells("en", False, ZoneInfo("Asia/Seoul"))
    assert cells(4) == ["4"] and cells(None) == [None]
    assert [c.type for c in step.export_columns("en")] == ["text"]


KAKAO = parse_flow(
    (Path(__file__).parents[2] / "flows/definitions/kakao_outage_2022.yaml").read_text("utf-8")
).flow
SEOUL = ZoneInfo("Asia/Seoul")
CELLS = [
    # step, answer, (ko, ko masked, en, en masked): the cells an export writes
    (
        "claimant",
        "small_business",
        (["소상공인·온라인 판매자"], [MASKED], ["Small business or online seller"], [MASKED]),
    ),
    ("description", "손님이 돌아갔습니다", (["손님이 돌아갔습니다"], [MASKED]) * 2),
    ("lost_orders", 12.0, ([12], [None]) * 2),
    ("money_lost_amount", 35000, ([35000], [None]) * 2),
    (
        "started_at",
        "2022-10-15T16:00+09:00",
        ([dt.datetime(2022, 10, 15, 16, 0, tzinfo=SEOUL)], [None]) * 2,
    ),
    ("contact_phone", "+821012345678", (["+821012345678"], ["+82-10-****-5678"]) * 2),
    ("business_number", "124-81-00998", (["124-81-00998"], ["124-**-*****"]) * 2),
    ("evidence", [{"file_id": "AgAD", "kind": "photo", "size": 10}], ([1],) * 4),
]


@pytest.mark.parametrize(("step_id", "answer", "cells"), CELLS)
def test_kind_export_cells_are_what_exports_write(
    step_id: str, answer: object, cells: tuple[object, ...]
) -> None:
    step = KAKAO.steps[step_id]
    got = tuple(
        step.export_cells(language, masked, SEOUL)(answer)
        for language in ("ko", "en")
        for masked in (False, True)
    )
    assert got == cells
    assert step.export_cells("ko", True, SEOUL)(None) == [None]
    assert step.export_cells("en", False, SEOUL)([]) == [None]


def test_a_multi_choice_exports_its_labels_and_one_flag_per_option() -> None:
    step = KAKAO.steps["services"]
    columns = step.export_columns("en")
    assert columns[0].type == "list" and {c.type for c in columns[1:]} == {"flag"}
    assert len(columns) == 1 + len(step.options)
    values = [o.value for o in step.options]
    flags = [int(v in {"kakaotalk", "melon"}) for v in values]
    assert step.export_cells("ko", False, SEOUL)(["kakaotalk", "melon"]) == [
        ["카카오톡", "멜론"],
        *flags,
    ]
    assert step.export_cells("en", True, SEOUL)(["kakaotalk"]) == [[MASKED]] + [None] * len(values)


def test_the_phone_mask_reads_a_foreign_number_too() -> None:
    phone = KAKAO.steps["contact_phone"]
    assert phone.mask("+821012345678") == "+82-10-****-5678"
    assert phone.mask("+14155552671").endswith("2671") and "555" not in phone.mask("+14155552671")


def test_the_email_mask_keeps_the_first_letter_and_the_domain() -> None:
    email = EmailStep.model_validate({"kind": "email", "field": "f", "text": {"ko": "메일"}})
    assert email.mask("kim@example.com") == "k***@example.com"
    assert email.mask("not an address") == MASKED and email.is_personal
    assert parse_flow(RATED).flow.steps["how_bad"].is_personal is False


@pytest.mark.parametrize(
    "model",
    [m for m in STEP_MODELS if issubclass(m, AskingBase) and m.widget == "text"],
    ids=lambda m: m.__name__,
)
def test_every_typed_kinds_sample_answer_is_one_it_accepts(model: type[AskingBase]) -> None:
    """Seeding and the benches type a kind's ``sample`` where they know no better answer."""
    kind = model.model_fields["kind"].annotation.__args__[0]
    step = model.model_validate({"kind": kind, "field": "f", "text": {"ko": "질문"}})
    assert isinstance(step.read_text(step.sample, "Asia/Seoul"), Accepted), (kind, step.sample)


def test_a_file_answer_is_shown_as_a_count_when_masked_and_with_names_to_its_owner() -> None:
    files = [{"file_id": "AgAD", "name": "영수증.jpg"}, {"file_id": "AgAE"}]
    upload = FileStep.model_validate({"kind": "file", "field": "evidence", "text": {"ko": "증빙"}})
    assert upload.show_masked(files, "ko") == "파일 2개"
    assert upload.show_own(files, "ko") == "증빙 파일 2개 (영수증.jpg)"
    assert "AgAD" not in upload.show_masked(files, "en") + upload.show_own(files, "en")
