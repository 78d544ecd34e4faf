"""A claimant's own data as text (/mydata, PIPA art. 35), the same in every channel.

Shown in the claimant's language with the flow's own labels: each case with its answers and
files, the consent given (when, to which text version), how long it is kept, and how to
erase it. Only the caller's own records reach here (storage selects them by channel and key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from flows import Flow, Interview
from storage.claimant_data import ClaimantData, ConsentGiven, StoredCase

SEOUL = ZoneInfo("Asia/Seoul")

WORDS: dict[str, dict[str, str]] = {
    "header": {
        "ko": "내 정보: 이 채널에 저장된 내용을 모두 보여 드립니다.",
        "en": "My data: everything stored about you on this channel.",
    },
    "none": {
        "ko": "이 채널에 저장된 내 정보가 없습니다.",
        "en": "Nothing is stored about you on this channel.",
    },
    "case": {"ko": "■ 접수 {ref} · {day} · {status}", "en": "■ Case {ref} · {day} · {status}"},
    "open": {
        "ko": "■ 진행 중인 접수 (마지막 답변 {when})",
        "en": "■ Report in progress (last answer {when})",
    },
    "files": {"ko": "증빙 파일 {count}개", "en": "{count} evidence file(s)"},
    "notes": {"ko": "직접 적으신 메모", "en": "Notes in your words"},
    "consent": {
        "ko": "동의: {when} ({shown_in}, 동의문 버전 {version})",
        "en": "Consent: given {when} (in {shown_in}, text version {version})",
    },
    "withdrawn": {"ko": "동의 철회: {when}", "en": "Consent withdrawn: {when}"},
    "no_consent": {"ko": "동의 기록 없음", "en": "No consent on record"},
    "kept": {
        "ko": "보관: 늦어도 {day}까지 보관한 뒤 개인정보를 파기합니다.",
        "en": "Kept until {day} at the latest; then the personal data is destroyed.",
    },
    "held": {
        "ko": "법적 보존 조치 중: 조치가 풀릴 때까지 파기하지 않습니다.",
        "en": "On legal hold: kept until the hold is lifted.",
    },
    "erase_telegram": {
        "ko": "모두 지우려면 /delete 를 보내 주세요. 접수 건수 통계만 남고 개인정보는 삭제됩니다.",
        "en": "To erase it all, send /delete. Only anonymous counts stay.",
    },
    "erase_other": {
        "ko": "모두 지우려면 개인정보 보호책임자에게 삭제를 요청해 주세요.",
        "en": "To erase it all, ask the privacy officer for erasure.",
    },
}
STATUS_WORDS = {
    "received": {"ko": "접수됨", "en": "received"},
    "in_review": {"ko": "검토 중", "en": "in review"},
    "reviewed": {"ko": "검토 완료", "en": "reviewed"},
    "duplicate": {"ko": "중복 접수", "en": "duplicate"},
    "unrelated": {"ko": "관련 없음", "en": "unrelated"},
    "rejected": {"ko": "반려", "en": "rejected"},
}
LANGUAGE_NAMES = {"ko": {"ko": "한국어", "en": "Korean"}, "en": {"ko": "영어", "en": "English"}}

InterviewOf = Callable[[str, str | None], Interview]


def word(key: str, language: str, **params: object) -> str:
    texts = WORDS[key]
    return (texts.get(language) or texts["en"]).format(**params)


def render_my_data(data: ClaimantData, interview_of: InterviewOf, language: str) -> list[str]:
    """Paragraphs: a header, one per case (and the open interview), how to erase."""
    erase = word("erase_telegram" if data.channel == "telegram" else "erase_other", language)
    if data.empty:
        return [word("none", language)]
    parts = [word("header", language)]
    for case in data.cases:
        parts.append(_case(case, interview_of(case.flow_id, case.flow_version).flow, language))
    if data.interview is not None:
        talk = data.interview
        flow = interview_of(talk.flow_id, talk.flow_version).flow
        lines = [word("open", language, when=_when(talk.updated_at))]
        lines += _answers(flow, talk.answers, language)
        lines.append("  " + _consent(talk.consent, language))
        parts.append("\n".join(lines))
    parts.append(erase)
    return parts


def _case(case: StoredCase, flow: Flow, language: str) -> str:
    status = STATUS_WORDS.get(case.status, {}).get(language, case.status)
    lines = [word("case", language, ref=case.reference, day=_day(case.submitted_at), status=status)]
    lines += _answers(flow, case.answers, language)
    for text in case.notes.values():
        lines.append(f"  - {word('notes', language)}: {text}")
    lines.append("  " + _consent(case.consent, language))
    if case.on_hold:
        lines.append("  " + word("held", language))
    elif case.kept_until is not None:
        lines.append("  " + word("kept", language, day=_day(case.kept_until)))
    return "\n".join(lines)


def _answers(flow: Flow, answers: dict[str, Any], language: str) -> list[str]:
    lines = []
    for _, step in flow.asking_steps():
        value = answers.get(step.field)
        if value is None or value == []:
            continue
        label = _localized(step.label or step.text, language)
        lines.append(f"  - {label}: {_shown(step, value, language)}")
    return lines


def _shown(step: Any, value: Any, language: str) -> str:
    if step.kind == "file":
        names = ", ".join(str(f["name"]) for f in value if isinstance(f, dict) and f.get("name"))
        return word("files", language, count=len(value)) + (f" ({names})" if names else "")
    options = getattr(step, "options", None)
    if options is not None:
        labels = {o.value: _localized(o.label, language) for o in options}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)
    if step.kind == "money":
        amount = f"{round(float(value)):,}"
        return f"{amount}원" if language == "ko" else f"KRW {amount}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _consent(consent: ConsentGiven | None, language: str) -> str:
    if consent is None:
        return word("no_consent", language)
    names = LANGUAGE_NAMES.get(consent.language, {})
    text = word(
        "consent",
        language,
        when=_when(consent.accepted_at),
        shown_in=names.get(language, consent.language),
        version=f"{consent.flow_version}/{consent.text_hash[:8]}",
    )
    if consent.withdrawn_at is not None:
        text += " · " + word("withdrawn", language, when=_when(consent.withdrawn_at))
    return text


def _localized(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or next(iter(texts.values()))


def _seoul(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:  # storage keeps UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(SEOUL)


def _day(moment: dt.datetime) -> str:
    return _seoul(moment).date().isoformat()


def _when(moment: dt.datetime) -> str:
    return _seoul(moment).strftime("%Y-%m-%d %H:%M")
