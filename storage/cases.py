"""Filed cases: writing one with its report rows, listing a user's, reading one whole."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict
from urllib.parse import urlparse
from urllib.request import url2pathname

from sqlalchemy import Connection, insert, select, update

from flows import Conversation, LoadedFlow
from storage import duplicates, lifecycle, rollup
from storage.encryption import Keyring
from storage.filing import case_reference, dimension_kinds, file_case, local_day
from storage.records import AttachmentRecord, CaseRecord, CaseRef, CaseSummary
from storage.tables import (
    AttachmentRow,
    CaseCrossingRow,
    CaseDimensionRow,
    CaseEventRow,
    CaseRow,
    table_of,
)

CASES = table_of(CaseRow)
DIMENSIONS = table_of(CaseDimensionRow)
CROSSINGS = table_of(CaseCrossingRow)
ATTACHMENTS = table_of(AttachmentRow)
EVENTS = table_of(CaseEventRow)
SYSTEM = "complaintbot"
"""The actor of what the bot itself decides (a duplicate found at filing)."""

_INSERT_CASE = insert(CASES).returning(CASES.c.id)
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
    conversation_id: int | None,
    now: dt.datetime,
    counts: rollup.Pending | None = None,
    keys: Keyring | None = None,
) -> CaseRef:
    """File ``state`` as a case, in the caller's transaction, with its report rows.

    A case repeating an earlier one (same claimant, phone, business number or evidence file,
    about the same thing) is filed as its ``duplicate`` and does not count; near-identical
    free text from someone else is linked as ``similar`` and still counts.

    With ``keys`` holding a key, personal answers, notes and file ids are stored encrypted,
    and the duplicate keys are keyed hashes (HMAC): the checks read the plain answers first.
    """
    flow = loaded.flow
    keys = keys or Keyring()
    filing = file_case(flow, state, now)
    case_id = conn.execute(
        _INSERT_CASE,
        {
            # Unique placeholder until the id is known; the final reference is set below.
            "reference": f"~{secrets.token_hex(12)}",
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
            "estimates": sorted(state.estimates),
        },
    ).scalar_one()
    reference = case_reference(flow.case_prefix, now, case_id, flow.zone)
    about = duplicates.topic(flow, state.answers)
    lookups = keys.lookup_secrets()
    identity = duplicates.identity_keys(flow, channel, user_key, state.answers, lookups[0])
    wanted = duplicates.lookup_keys(flow, channel, user_key, state.answers, lookups)
    repeat = duplicates.find_repeat(conn, flow.id, wanted, about)
    text = duplicates.free_text(flow, state.answers)
    bands = duplicates.text_bands(text)
    similar = duplicates.find_similar(
        conn, flow, text, bands, (channel, user_key), opened=keys.lenient_answers
    )
    status = "duplicate" if repeat else "received"
    values: dict[str, object] = {"reference": reference}
    if repeat:
        values |= {"status": status, "duplicate_of": repeat.case_id, "duplicate_rule": repeat.rule}
    conn.execute(update(CASES).where(CASES.c.id == case_id).values(**values))
    if repeat:  # filed as a duplicate: its review is over, the retention clock starts
        lifecycle.close_case(conn, case_id, now)
    common = {
        "case_id": case_id,
        "flow_id": flow.id,
        "day": filing.incident_day,
        "counted": repeat is None,
    }
    if filing.dimensions:
        conn.execute(_INSERT_DIMENSIONS, [common | asdict(d) for d in filing.dimensions])
    if filing.crossings:
        conn.execute(_INSERT_CROSSINGS, [common | asdict(c) for c in filing.crossings])
    if filing.attachments:
        files = [keys.seal_attachment(_attachment(case_id, a)) for a in filing.attachments]
        conn.execute(_INSERT_ATTACHMENTS, files)
    duplicates.remember_keys(conn, case_id, flow.id, identity, about)
    duplicates.remember_bands(conn, case_id, flow.id, bands)
    events: list[dict[str, object]] = [
        {"action": "filed", "to_status": "received", "reason": None, "detail": {}}
    ]
    if repeat:
        duplicates.link(conn, case_id, repeat, "duplicate", now)
        events.append(_found_event("duplicate", repeat, "received", "duplicate"))
    if similar:
        duplicates.link(conn, case_id, similar, "similar", now)
        events.append(_found_event("similar", similar, None, None))
    conn.execute(
        insert(EVENTS),
        [{"case_id": case_id, "at": now, "actor": SYSTEM, "from_status": None} | e for e in events],
    )
    deltas, amounts = rollup.case_deltas(
        dimension_kinds(flow),
        filing.incident_day,
        local_day(now, flow.zone),
        filing.dimensions,
        filing.crossings,
        None,
        status,
    )
    deltas[(rollup.VERSION, loaded.version, rollup.NONE, rollup.NONE, filing.incident_day)][0] += 1
    if counts is None:
        rollup.add(conn, flow.id, deltas, amounts)
    else:  # a batch: its caller adds every case's deltas at once
        counts.merge(deltas, amounts)
    return CaseRef(reference=reference, id=case_id)


def _found_event(
    kind: str, match: duplicates.Match, old: str | None, new: str | None
) -> dict[str, object]:
    return {
        "action": kind,
        "from_status": old,
        "to_status": new,
        "reason": f"rule {match.rule}",
        "detail": match.evidence | {"of_case": match.case_id},
    }


def _attachment(case_id: int, item: dict[str, object]) -> dict[str, object]:
    file_id = str(item["file_id"])
    # a file this server keeps (the web chat's uploads): erasure and the purge delete it
    stored = url2pathname(urlparse(file_id).path) if file_id.startswith("file:") else None
    return {
        "case_id": case_id,
        "file_id": item["file_id"],
        "kind": item["kind"],
        "size": item.get("size"),
        "name": item.get("name"),
        "mime_type": item.get("mime_type"),
        "stored_path": stored,
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
        estimates=list(row.estimates or []),
    )
