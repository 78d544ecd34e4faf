"""Flows written for the storage tests, and a way to walk them through Store.apply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flows import Conversation, Interview, LoadedFlow, Outcome, UserInput, load_flow, parse_flow
from storage import Applied, Store

MINI = Path(__file__).parents[1] / "flows" / "data" / "mini.yaml"

SURVEY_SOURCE = """\
id: survey
title: {ko: 피해 설문, en: Damage survey}
languages: [ko, en]
default_language: ko
case_prefix: SV
crossings: [[service, harm], [claimant, harm]]
start: consent
steps:
  consent:
    kind: choice
    field: consent
    consent_value: agree
    text: {ko: 개인정보 수집에 동의하십니까?, en: Do you consent?}
    help: {ko: 목적 보상 검토 항목 연락처 보유 1년, en: Purpose review; kept one year}
    options:
      - {value: agree, label: {ko: 동의, en: Agree}}
      - {value: refuse, label: {ko: 거부, en: Refuse}}
    next:
      - {when: {field: consent, equals: refuse}, goto: refused}
      - {goto: claimant}
  claimant:
    kind: choice
    field: claimant
    dimension: claimant
    text: {ko: 누구신가요?, en: Who are you?}
    options:
      - {value: person, label: {ko: 개인, en: Person}}
      - {value: business, label: {ko: 사업자, en: Business}}
    next: services
  services:
    kind: multi_choice
    field: services
    dimension: service
    text: {ko: 어떤 서비스?, en: Which services?}
    options:
      - {value: talk, label: {ko: 톡, en: Talk}}
      - {value: pay, label: {ko: 페이, en: Pay}}
      - {value: taxi, label: {ko: 택시, en: Taxi}}
    next: harm
  harm:
    kind: multi_choice
    field: harm
    dimension: harm
    text: {ko: 어떤 피해?, en: What harm?}
    options:
      - {value: money, label: {ko: 금전, en: Money}}
      - {value: time, label: {ko: 시간, en: Time}}
    next: loss
  loss:
    kind: money
    field: loss
    dimension: loss
    required: false
    text: {ko: 손해액?, en: Loss?}
    next: hours
  hours:
    kind: number
    field: hours
    dimension: hours
    required: false
    text: {ko: 몇 시간?, en: How many hours?}
    next: evidence
  evidence:
    kind: file
    field: evidence
    required: false
    text: {ko: 증빙 사진, en: Evidence}
    next: story
  story:
    kind: text
    field: story
    required: false
    text: {ko: 사연, en: Your story}
    next: phone
  phone:
    kind: phone
    field: phone
    required: false
    text: {ko: 전화번호, en: Phone}
    next: confirm
  confirm:
    kind: confirm
    text: {ko: 확인, en: Check}
    next: done
  done:
    kind: end
    submit: true
    text: {ko: 접수, en: Filed}
  refused:
    kind: end
    submit: false
    text: {ko: 미접수, en: Not filed}
"""

COUNTER_SOURCE = """\
id: counter
title: {ko: 카운터}
languages: [ko]
default_language: ko
start: count
steps:
  count:
    kind: number
    field: count
    text: {ko: 숫자}
    next:
      - {when: {field: count, equals: 0}, goto: done}
      - {goto: count}
  done:
    kind: end
    submit: false
    text: {ko: 끝}
"""
"""A question that asks itself again until 0: every answer is one more turn."""


def mini() -> LoadedFlow:
    return load_flow(MINI)


def survey() -> LoadedFlow:
    return parse_flow(SURVEY_SOURCE, "survey.yaml")


def counter() -> LoadedFlow:
    return parse_flow(COUNTER_SOURCE, "counter.yaml")


def say(
    store: Store,
    interview: Interview,
    user: str,
    given: UserInput | None,
    *,
    channel: str = "test",
    update_key: str | None = None,
    now: dt.datetime | None = None,
) -> Applied:
    """One message from ``user``: None opens an interview (if none is open), else answers."""

    def turn(state: Conversation | None) -> Outcome | None:
        if state is None:
            return interview.start("ko")
        return None if given is None else interview.answer(state, given)

    return store.apply(channel, user, turn, update_key=update_key, now=now)


def converse(
    store: Store,
    interview: Interview,
    user: str,
    *inputs: UserInput,
    channel: str = "test",
    now: dt.datetime | None = None,
) -> Applied:
    """Open an interview for ``user`` and give every input; returns the last Applied."""
    applied = say(store, interview, user, None, channel=channel, now=now)
    for given in inputs:
        applied = say(store, interview, user, given, channel=channel, now=now)
    return applied
