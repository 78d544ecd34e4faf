"""Cases as a CSV file for operators: Excel-ready, personal data masked, formula-proof.

Korean Excel reads a CSV as UTF-8 only with a byte order mark, so the file starts with one.
Cells that Excel would take for a formula (starting with = + - @, a tab or a carriage return)
get a leading apostrophe (OWASP's advice against CSV injection): a claimant's free text must
never run on an operator's machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

import phonenumbers
from sqlalchemy import select

from flows import Flow
from flows.schema import AskingStep
from storage.store import Store
from storage.tables import CaseRow

CASES = CaseRow.__table__
SEOUL = ZoneInfo("Asia/Seoul")
MASKED = "[masked]"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 1000

FIXED_COLUMNS = (
    "reference",
    "submitted_at",
    "status",
    "duplicate_of",
    "flow_version",
    "channel",
    "incident_day",
    "amount_total",
)


def write_cases_csv(
    store: Store, flow: Flow, out: BinaryIO, *, mask: bool = True, language: str | None = None
) -> int:
    """Write every case of ``flow`` to ``out`` (bytes, UTF-8 with BOM); returns how many.

    One column per question of the flow, headed "label (field)"; choices as their labels in
    ``language`` (default: the flow's). With ``mask`` personal answers are masked (a phone
    keeps its first and last digits, free text becomes "[masked]", files only their count)
    and the claimant's user key is left out.
    """
    lang = language or flow.default_language
    steps = [step for _, step in flow.asking_steps()]
    personal = flow.personal_fields()
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        header = [*FIXED_COLUMNS, *(_heading(step, lang) for step in steps), "notes"]
        if not mask:
            header.insert(FIXED_COLUMNS.index("channel") + 1, "user_key")
        writer.writerow([safe_cell(cell) for cell in header])
        count = 0
        for row in _cases(store, flow.id):
            fixed = [
                row.reference,
                _seoul(row.submitted_at),
                row.status,
                row.duplicate_ref or "",
                row.flow_version,
                row.channel,
                row.incident_day.isoformat(),
                row.amount_total,
            ]
            if not mask:
                fixed.insert(FIXED_COLUMNS.index("channel") + 1, row.user_key)
            # Decrypted where encrypted at rest; a masked export works without the key.
            answers = store.open_answers(row.answers or {}, lenient=mask)
            cells = [
                _cell(step, answers.get(step.field), lang, mask and step.field in personal)
                for step in steps
            ]
            notes = "; ".join(f"{k}: {v}" for k, v in _notes(store, row, mask).items())
            writer.writerow(
                [safe_cell(cell) for cell in [*fixed, *cells, MASKED if mask and notes else notes]]
            )
            count += 1
        text.flush()
    finally:
        text.detach()
    return count


def _cases(store: Store, flow_id: str) -> Iterator[Any]:
    original = CASES.alias("original")
    query = (
        select(CASES, original.c.reference.label("duplicate_ref"))
        .outerjoin(original, CASES.c.duplicate_of == original.c.id)
        .where(CASES.c.flow_id == flow_id)
        .order_by(CASES.c.id)
        .execution_options(yield_per=BATCH)
    )
    with store.engine.connect() as conn:
        yield from conn.execute(query)


def _notes(store: Store, row: Any, mask: bool) -> dict[str, Any]:
    return {} if mask and not row.notes else store.open_notes(row.notes or {}, lenient=mask)


def _heading(step: AskingStep, language: str) -> str:
    label = step.label or step.text
    name = label.get(language) or next(iter(label.values()))
    return f"{name} ({step.field})"


def _seoul(moment: dt.datetime) -> str:
    if moment.tzinfo is None:  # stored as UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(SEOUL).isoformat(timespec="seconds")


def _cell(step: AskingStep, value: Any, language: str, masked: bool) -> Any:
    if value is None or value == []:
        return ""
    if step.kind == "file":
        return len(value) if isinstance(value, list) else 1
    if masked:
        return mask_value(step.kind, value)
    options = getattr(step, "options", None)
    if options is not None:
        labels = {o.value: o.label.get(language, o.value) for o in options}
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(v, str(v)) for v in values)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def mask_value(kind: str, value: Any) -> str:
    """A personal answer with just enough left to recognise it on the phone."""
    text = str(value)
    if kind == "phone":
        return mask_phone(text)
    if kind == "business_number":
        digits = "".join(ch for ch in text if ch.isdigit())
        return f"{digits[:3]}-**-*****" if len(digits) == 10 else MASKED
    if kind == "email" and "@" in text:
        local, domain = text.rsplit("@", 1)
        return f"{local[:1]}***@{domain}"
    return MASKED


def mask_phone(e164: str) -> str:
    """+821012345678 -> +82-10-****-5678: country, area or carrier code, and last four digits."""
    try:
        number = phonenumbers.parse(e164, None)
        spaced = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        digits = "".join(ch for ch in e164 if ch.isdigit())
        return "*" * max(len(digits) - 4, 0) + digits[-4:] if digits else MASKED
    groups = spaced.replace("-", " ").split()
    if len(groups) < 3:
        return groups[0] + "-" + "*" * 4 + "-" + e164[-4:]
    middle = ["*" * len(group) for group in groups[2:-1]]
    return "-".join([groups[0], groups[1], *middle, groups[-1]])


def safe_cell(value: Any) -> Any:
    """Neutralise a cell Excel would read as a formula; numbers stay numbers."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
