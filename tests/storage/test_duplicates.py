"""Duplicates at filing and by `cases dedupe`: each rule flags its case and not the others;
near-identical free text from another claimant is flagged similar, and still counts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, update

from flows import Choose, Interview, Submit, Text, parse_flow
from storage import Store
from storage.tables import (
    CaseCrossingRow,
    CaseDimensionRow,
    CaseKeyRow,
    CaseLinkRow,
    CaseRow,
    CaseTextBandRow,
)
from tests.storage.filed import file_survey
from tests.storage.sample_flows import converse, survey

DAY = dt.datetime(2022, 10, 16, 5, 0, tzinfo=dt.UTC)
STORY = (
    "카카오톡이 하루 종일 안 돼서 거래처 주문 메시지를 하나도 받지 못했고 손님이 모두 떠났습니다"
)
BRN_SOURCE = """\
id: shops
title: {ko: 가게}
languages: [ko]
default_language: ko
crossings: [[service, harm]]
start: service
steps:
  service:
    kind: choice
    field: service
    dimension: service
    text: {ko: 서비스}
    options:
      - {value: talk, label: {ko: 톡}}
      - {value: pay, label: {ko: 페이}}
    next: harm
  harm:
    kind: choice
    field: harm
    dimension: harm
    text: {ko: 피해}
    options:
      - {value: money, label: {ko: 금전}}
      - {value: time, label: {ko: 시간}}
    next: brn
  brn:
    kind: business_number
    field: brn
    text: {ko: 사업자등록번호}
    next: confirm
  confirm:
    kind: confirm
    text: {ko: 확인}
    next: done
  done:
    kind: end
    submit: true
    text: {ko: 접수}
"""


def _status(store: Store, reference: str) -> tuple[str, str | None, str | None]:
    case = store.case(reference)
    assert case is not None
    with store.engine.connect() as conn:
        rule = (
            conn.execute(
                CaseRow.__table__.select().where(CaseRow.__table__.c.reference == reference)
            )
            .one()
            .duplicate_rule
        )
    return case.status, case.duplicate_of, rule


@pytest.fixture
def iv(store: Store) -> Interview:
    loaded = survey()
    store.publish_flow(loaded)
    return Interview(loaded)


def test_the_same_claimant_about_the_same_thing_is_a_duplicate(store: Store, iv: Interview) -> None:
    first = file_survey(store, iv, "u1", now=DAY)
    again = file_survey(store, iv, "u1", now=DAY)
    other_topic = file_survey(store, iv, "u1", now=DAY, services=["pay"])
    other_person = file_survey(store, iv, "u2", now=DAY)
    assert _status(store, again.reference) == ("duplicate", first.reference, "claimant")
    assert _status(store, other_topic.reference)[0] == "received"
    assert _status(store, other_person.reference)[0] == "received"
    report = store.aggregate("survey")
    assert (report.counted, report.duplicates) == (3, 1)
    assert [(lk.kind, lk.rule, lk.other) for lk in store.operators.links(again.reference)] == [
        ("duplicate", "claimant", first.reference)
    ]


def test_the_same_phone_from_another_claimant_is_a_duplicate(store: Store, iv: Interview) -> None:
    first = file_survey(store, iv, "u1", now=DAY, phone="010-1234-5678")
    same = file_survey(store, iv, "u2", now=DAY, phone="+82 10 1234 5678")
    other_phone = file_survey(store, iv, "u3", now=DAY, phone="010-9999-5678")
    other_topic = file_survey(store, iv, "u4", now=DAY, phone="010-1234-5678", harms=["money"])
    assert _status(store, same.reference) == ("duplicate", first.reference, "phone")
    assert _status(store, other_phone.reference)[0] == "received"
    assert _status(store, other_topic.reference)[0] == "received"


def test_the_same_evidence_file_is_a_duplicate(store: Store, iv: Interview) -> None:
    first = file_survey(store, iv, "u1", now=DAY, files=1)
    same = file_survey(store, iv, "u2", now=DAY, files=2)  # file-0 again, and file-1
    without = file_survey(store, iv, "u3", now=DAY)
    assert _status(store, same.reference) == ("duplicate", first.reference, "file")
    assert _status(store, without.reference)[0] == "received"


def test_the_same_business_number_is_a_duplicate(store: Store) -> None:
    loaded = parse_flow(BRN_SOURCE, "shops.yaml")
    store.publish_flow(loaded)
    iv = Interview(loaded)

    def file(user: str, brn: str, service: str = "talk") -> str:
        applied = converse(store, iv, user, Choose(service), Choose("money"), Text(brn),
                           Submit(), now=DAY)  # fmt: skip
        assert applied.case is not None, applied.outcome
        return applied.case.reference

    first = file("u1", "124-81-00998")
    same = file("u2", "1248100998")
    other = file("u3", "120-81-47521")
    other_topic = file("u4", "124-81-00998", service="pay")
    assert _status(store, same)[::2] == ("duplicate", "business_number")
    assert _status(store, same)[1] == first
    assert _status(store, other)[0] == "received" and _status(store, other_topic)[0] == "received"


def test_near_identical_text_from_others_is_similar_and_still_counts(
    store: Store, iv: Interview
) -> None:
    first = file_survey(store, iv, "u1", now=DAY, story=STORY)
    copied = file_survey(store, iv, "u2", now=DAY, story=STORY.replace("모두", "다") + "!!")
    unrelated = file_survey(store, iv, "u3", now=DAY,
                            story="멜론 이용권을 결제했는데 이틀 동안 음악을 전혀 들을 수 없었어요")  # fmt: skip
    assert _status(store, copied.reference)[0] == "received"
    links = store.operators.links(copied.reference)
    assert [(lk.kind, lk.rule, lk.other) for lk in links] == [("similar", "text", first.reference)]
    assert store.operators.links(unrelated.reference) == []
    assert store.aggregate("survey").counted == 3


def test_dedupe_finds_repeats_among_cases_filed_before_the_checks(
    store: Store, iv: Interview
) -> None:
    first = file_survey(store, iv, "u1", now=DAY, phone="010-1234-5678", story=STORY)
    second = file_survey(store, iv, "u2", now=DAY, phone="010-1234-5678")
    third = file_survey(store, iv, "u3", now=DAY, story=STORY + " 정말요")
    # As if filed before duplicates were checked: no keys, no links, all received and counted.
    with store.engine.begin() as conn:
        for table in (CaseKeyRow, CaseTextBandRow, CaseLinkRow):
            conn.execute(delete(table.__table__))
        conn.execute(update(CaseRow.__table__).values(status="received", duplicate_of=None))
        for table in (CaseDimensionRow, CaseCrossingRow):
            conn.execute(update(table.__table__).values(counted=True))
    store.rebuild_report("survey", actor="op")
    assert store.aggregate("survey").counted == 3
    result = store.operators.dedupe("survey", actor="op")
    assert result.checked == 3 and dict(result.duplicates) == {"phone": 1}
    assert result.similar == 1
    assert _status(store, second.reference) == ("duplicate", first.reference, "phone")
    assert [lk.kind for lk in store.operators.links(third.reference)] == ["similar"]
    assert store.aggregate("survey") == store.recount("survey")
    again = store.operators.dedupe("survey", actor="op")
    assert dict(again.duplicates) == {} and again.similar == 0


def test_erasing_a_claimant_removes_their_duplicate_keys_and_text_bands(
    store: Store, iv: Interview
) -> None:
    case = file_survey(store, iv, "u1", now=DAY, phone="010-1234-5678", story=STORY)
    store.operators.note(case.reference, "전화번호 010-1234-5678 로 통화함", actor="ana")
    store.erase_user("test", "u1", actor="u1")
    with store.engine.connect() as conn:
        for table in (CaseKeyRow, CaseTextBandRow):
            rows = conn.execute(
                table.__table__.select().where(table.__table__.c.case_id == case.id)
            )
            assert rows.all() == []
    notes = [e.reason for e in store.operators.history(case.reference) if e.action == "note"]
    assert notes == ["[erased]"]
    again = file_survey(store, iv, "u9", now=DAY, phone="010-1234-5678")
    assert store.case(again.reference).status == "received"  # type: ignore[union-attr]


def test_the_same_file_forwarded_under_another_file_id_is_a_duplicate(
    store: Store, iv: Interview
) -> None:
    """Telegram gives each sending its own file_id; file_unique_id names the content."""
    from flows import Done, Skip, Toggle, Upload

    def file(user: str, file_id: str, unique: str) -> str:
        applied = converse(store, iv, user, Choose("agree"), Choose("person"), Toggle("talk"),
                           Done(), Toggle("time"), Done(), Skip(), Skip(),
                           Upload(file_id, "photo", unique_id=unique), Done(), Skip(), Skip(),
                           Submit(), now=DAY)  # fmt: skip
        assert applied.case is not None, applied.outcome
        return applied.case.reference

    first = file("u1", "AgAC-sent-by-u1", "AQADsame")
    forwarded = file("u2", "AgAC-forwarded-by-u2", "AQADsame")
    other = file("u3", "AgAC-sent-by-u1", "AQADother")  # a file_id alone no longer matches
    assert _status(store, forwarded)[:2] == ("duplicate", first)
    assert _status(store, other)[0] == "received"
