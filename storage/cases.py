"""Filed cases: writing one with its report rows, listing a user's, reading one whole."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from sqlalchemy import Connection, bindparam, insert, select, update

from flows import Conversation, LoadedFlow
from storage import rollup
from storage.encryption import Keyring
from storage.filing import case_reference, file_case
from storage.records import AttachmentRecord, CaseRecord, CaseRef, CaseSummary
from storage.tables import AttachmentRow, CaseCrossingRow, CaseDimensionRow, CaseRow

CASES = CaseRow.__table__
DIMENSIONS = CaseDimensionRow.__table__
CROSSINGS = CaseCrossingRow.__table__
ATTACHMENTS = AttachmentRow.__table__

_INSERT_CASE = insert(CASES).returning(CASES.c.id)
_SET_REFERENCE = (
    update(CASES).where(CASES.c.id == bindparam("case_id")).values(reference=bindparam("ref"))
)
_INSERT_DIMENSIONS = insert(DIMENSIONS)
_INSERT_CROSSINGS = insert(CROSSINGS)
_INSERT_ATTACHMENTS = insert(ATTACHMENTS)


def write_case(
    conn: Connection,
    loaded: LoadedFlow,
    state: Conversation,
    *,
    channel: str,
    user_key: str,
    conversation_id: int,
    now: dt.datetime,
    keys: Keyring | None = None,
) -> CaseRef:
    """File ``state`` as a case, in the caller's transaction, with its report rows.

    With ``keys`` holding a key, personal answers, notes and file ids are stored encrypted.
    """
    flow = loaded.flow
    keys = keys or Keyring()
    filing = file_case(flow, state, now)
    case_id = conn.execute(
        _INSERT_CASE,
        {
            # Unique placeholder until the id is known; the final reference is set below.
            "reference": f"~{conversation_id}",
            "flow_id": flow.id,
            "flow_version": loaded.version,
            "channel": channel,
            "user_key": user_key,
            "conversation_id": conversation_id,
            "submitted_at": now,
            "incident_day": filing.incident_day,
            "amount_total": filing.amount_total,
            "status": "received",
            "answers": keys.seal_answers(state.answers, flow.personal_fields()),
            "notes": keys.seal_notes(state.notes),
        },
    ).scalar_one()
    reference = case_reference(flow.case_prefix, now, case_id)
    conn.execute(_SET_REFERENCE, {"case_id": case_id, "ref": reference})
    common = {"case_id": case_id, "flow_id": flow.id, "day": filing.incident_day, "counted": True}
    if filing.dimensions:
        conn.execute(_INSERT_DIMENSIONS, [common | asdict(d) for d in filing.dimensions])
    if filing.crossings:
        conn.execute(_INSERT_CROSSINGS, [common | asdict(c) for c in filing.crossings])
    if filing.attachments:
        files = [keys.seal_attachment(_attachment(case_id, a)) for a in filing.attachments]
        conn.execute(_INSERT_ATTACHMENTS, files)
    deltas = rollup.status_deltas(filing.incident_day, None, "received")
    rollup.row_deltas(filing.incident_day, filing.dimensions, filing.crossings, +1, deltas)
    rollup.add(conn, flow.id, deltas)
    return CaseRef(reference=reference, id=case_id)


def _attachment(case_id: int, item: dict[str, object]) -> dict[str, object]:
    return {
        "case_id": case_id,
        "file_id": item["file_id"],
        "kind": item["kind"],
        "size": item.get("size"),
        "name": item.get("name"),
        "mime_type": item.get("mime_type"),
        "stored_path": None,
    }


def cases_of(conn: Connection, channel: str, user_key: str) -> list[CaseSummary]:
    rows = conn.execute(
        select(CASES.c.reference, CASES.c.flow_id, CASES.c.submitted_at, CASES.c.status)
        .where(CASES.c.channel == channel, CASES.c.user_key == user_key)
        .order_by(CASES.c.submitted_at, CASES.c.id)
    )
    return [CaseSummary(r.reference, r.flow_id, r.submitted_at, r.status) for r in rows]


def read_case(conn: Connection, reference: str) -> CaseRecord | None:
    original = CASES.alias("original")
    row = conn.execute(
        select(CASES, original.c.reference.label("duplicate_ref"))
        .outerjoin(original, CASES.c.duplicate_of == original.c.id)
        .where(CASES.c.reference == reference)
    ).first()
    if row is None:
        return None
    files = conn.execute(
        select(ATTACHMENTS).where(ATTACHMENTS.c.case_id == row.id).order_by(ATTACHMENTS.c.id)
    )
    return CaseRecord(
        id=row.id,
        reference=row.reference,
        flow_id=row.flow_id,
        flow_version=row.flow_version,
        channel=row.channel,
        user_key=row.user_key,
        conversation_id=row.conversation_id,
        submitted_at=row.submitted_at,
        incident_day=row.incident_day,
        amount_total=row.amount_total,
        status=row.status,
        duplicate_of=row.duplicate_ref,
        answers=row.answers,
        notes=row.notes,
        erased_at=row.erased_at,
        attachments=[
            AttachmentRecord(f.file_id, f.kind, f.size, f.name, f.mime_type, f.stored_path)
            for f in files
        ],
    )
