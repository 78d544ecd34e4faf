"""A claimant's own data as text (/mydata, PIPA art. 35), the same in every channel.

Shown in the claimant's language with the flow's own labels: each case with its answers and
files, the consent given (when, to which text version), how long it is kept, and how to
erase it. Only the caller's own records reach here (storage selects them by channel and key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flows import Flow, Interview
from flows.messages import MESSAGES, message
from storage.claimant_data import ClaimantData, ConsentGiven, StoredCase

InterviewOf = Callable[[str, str | None], Interview]


def word(key: str, language: str, **params: object) -> str:
    """The sentence ``mydata.<key>`` of the one message catalogue (flows.messages)."""
    return message(f"mydata.{key}", language, **params)


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
        lines = [word("open", language, when=_when(talk.updated_at, flow))]
        lines += _answers(flow, talk.answers, language)
        lines.append("  " + _consent(talk.consent, language, flow))
        parts.append("\n".join(lines))
    parts.append(erase)
    return parts


def _case(case: StoredCase, flow: Flow, language: str) -> str:
    code = f"status.{case.status}"
    status = word(code, language) if f"mydata.{code}" in MESSAGES else case.status
    day = _day(case.submitted_at, flow)
    lines = [word("case", language, ref=case.reference, day=day, status=status)]
    lines += _answers(flow, case.answers, language)
    for text in case.notes.values():
        lines.append(f"  - {word('notes', language)}: {text}")
    lines.append("  " + _consent(case.consent, language, flow))
    if case.on_hold:
        lines.append("  " + word("held", language))
    elif case.kept_until is not None:
        lines.append("  " + word("kept", language, day=_day(case.kept_until, flow)))
    return "\n".join(lines)


def _answers(flow: Flow, answers: dict[str, Any], language: str) -> list[str]:
    lines = []
    for _, step in flow.asking_steps():
        value = answers.get(step.field)
        if value is None or value == []:
            continue
        label = _localized(step.label or step.text, language)
        lines.append(f"  - {label}: {step.show_own(value, language)}")
    return lines


def _consent(consent: ConsentGiven | None, language: str, flow: Flow) -> str:
    if consent is None:
        return word("no_consent", language)
    code = f"mydata.language.{consent.language}"
    text = word(
        "consent",
        language,
        when=_when(consent.accepted_at, flow),
        shown_in=message(code, language) if code in MESSAGES else consent.language,
        version=f"{consent.flow_version}/{consent.text_hash[:8]}",
    )
    if consent.withdrawn_at is not None:
        text += " · " + word("withdrawn", language, when=_when(consent.withdrawn_at, flow))
    return text


def _localized(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or next(iter(texts.values()))


def _local(moment: dt.datetime, flow: Flow) -> dt.datetime:
    """A stored moment in the flow's own time zone."""
    if moment.tzinfo is None:  # storage keeps UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(flow.zone)


def _day(moment: dt.datetime, flow: Flow) -> str:
    return _local(moment, flow).date().isoformat()


def _when(moment: dt.datetime, flow: Flow) -> str:
    return _local(moment, flow).strftime("%Y-%m-%d %H:%M")
