"""One case as an operator reads it: answers by label, masked unless asked, links, history."""

from __future__ import annotations

import datetime as dt

from bot.desk.desk import Desk
from flows import message
from flows.answers import display
from storage import UnknownCase
from storage.encryption import UNREADABLE

NEEDS_KEY = (
    "(personal answers are encrypted at rest and PII_ENCRYPTION_KEY is not set here: "
    "set it to the key they were encrypted with to see them with --include-pii)"
)


def show_case(
    desk: Desk,
    reference: str,
    *,
    include_pii: bool,
    actor: str,
    language: str | None,
    reason: str | None = None,
) -> str:
    """A case as text; seeing personal data in clear needs a ``reason`` and is logged in the
    access log under ``actor``."""
    if include_pii:
        case = desk.store.case(reference, actor=actor, reason=reason)
    else:  # masked anyway: a value under a key this process lacks is no error here
        case = desk.store.case(reference, lenient=True)
    if case is None:
        raise UnknownCase(f"no case {reference}")
    flow = desk.ops.flows_get(case.flow_id, case.flow_version)
    lang = language or flow.default_language
    personal = flow.personal_fields()
    zone = flow.zone
    submitted = _aware(case.submitted_at).astimezone(zone)
    lines = [
        f"{case.reference}  {case.status}"
        + (f" (duplicate of {case.duplicate_of})" if case.duplicate_of else ""),
        f"filed {submitted:%Y-%m-%d %H:%M %Z} via {case.channel}, flow {case.flow_id} version {case.flow_version[:12]}",
        f"incident day {case.incident_day}, amount claimed {case.amount_total:,} KRW",
        "",
    ]
    for _, step in flow.asking_steps():
        value = case.answers.get(step.field)
        if value is None:
            continue
        label = (step.label or step.text).get(lang) or next(
            iter((step.label or step.text).values())
        )
        if value == UNREADABLE:
            shown = UNREADABLE
        elif step.field in personal and not include_pii:
            shown = step.show_masked(value, lang)
        else:
            shown = display(step, value, lang)
        if step.field in case.estimates:
            shown += " " + message("answer.estimate", lang)
        lines.append(f"  {label}: {shown}")
    links = desk.ops.links(reference)
    if links:
        lines += ["", "links:"]
        for link in links:
            arrow = "->" if link.direction == "to" else "<-"
            lines.append(f"  {link.kind} {arrow} {link.other} (rule {link.rule})")
    lines += ["", "history:"]
    for event in desk.ops.history(reference):
        moves = f" {event.from_status or ''}->{event.to_status}" if event.to_status else ""
        reason = (
            ""
            if event.action == "note" and not include_pii
            else (f": {event.reason}" if event.reason else "")
        )
        lines.append(
            f"  {_aware(event.at):%Y-%m-%d %H:%M}Z {event.actor} {event.action}{moves}{reason}"
        )
    if not include_pii:
        lines += ["", "(personal data masked; --include-pii shows it, and is audited)"]
        if UNREADABLE in case.answers.values():
            lines.append(NEEDS_KEY)
    return "\n".join(lines)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
