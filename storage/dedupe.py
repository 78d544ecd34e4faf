"""`complaintbot cases dedupe`: the duplicate and similarity checks of filing, over the cases
already stored (oldest first, each compared only with earlier ones, as filing would have)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Engine, exists, select

from flows import Flow
from storage import duplicates, review
from storage.encryption import Keyring
from storage.filing import dimension_kinds
from storage.tables import CaseKeyRow, CaseLinkRow, CaseRow, table_of

CASES = table_of(CaseRow)
KEYS = table_of(CaseKeyRow)
LINKS = table_of(CaseLinkRow)
BATCH = 500


@dataclass
class DedupeResult:
    checked: int = 0
    duplicates: Counter[str] = field(default_factory=Counter)
    """New duplicates found, by rule."""
    similar: int = 0


def dedupe_flow(
    writer: Engine,
    flow_id: str,
    flows: dict[str, Flow],
    *,
    actor: str,
    now: dt.datetime,
    keys: Keyring | None = None,
) -> DedupeResult:
    """``keys`` open answers encrypted at rest; with a key the stored duplicate keys are
    keyed hashes, as at filing."""
    keys = keys or Keyring()
    lookups = keys.lookup_secrets()
    result = DedupeResult()
    c = CASES.c
    after = 0
    while True:
        with writer.begin() as conn:
            rows = conn.execute(
                select(
                    c.id, c.reference, c.channel, c.user_key, c.answers, c.status, c.flow_version
                )
                .where(c.flow_id == flow_id, c.id > after)
                .order_by(c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                return result
            for row in rows:
                flow = flows[row.flow_version]
                answers = keys.lenient_answers(row.answers or {})
                about = duplicates.topic(flow, answers)
                identity = duplicates.identity_keys(
                    flow, row.channel, row.user_key, answers, lookups[0]
                )
                wanted = duplicates.lookup_keys(flow, row.channel, row.user_key, answers, lookups)
                text = duplicates.free_text(flow, answers)
                bands = duplicates.text_bands(text)
                known = conn.execute(select(exists().where(KEYS.c.case_id == row.id))).scalar()
                if not known:
                    duplicates.remember_keys(conn, row.id, flow_id, identity, about)
                    duplicates.remember_bands(conn, row.id, flow_id, bands)
                repeat = duplicates.find_repeat(conn, flow_id, wanted, about, before=row.id)
                if repeat and row.status == "received":
                    original = conn.execute(
                        select(c.reference).where(c.id == repeat.case_id)
                    ).scalar_one()
                    review.set_status(
                        conn,
                        row.reference,
                        "duplicate",
                        actor=actor,
                        reason=f"rule {repeat.rule}: repeats {original}",
                        duplicate_of=original,
                        now=now,
                        kinds=dimension_kinds(flow),
                        zone=flow.zone,
                        rule=repeat.rule,
                    )
                    duplicates.link(conn, row.id, repeat, "duplicate", now)
                    result.duplicates[repeat.rule] += 1
                linked = conn.execute(
                    select(exists().where(LINKS.c.case_id == row.id, LINKS.c.kind == "similar"))
                ).scalar()
                if not linked:
                    claimant = (row.channel, row.user_key)
                    similar = duplicates.find_similar(
                        conn, flow, text, bands, claimant, row.id, keys.lenient_answers
                    )
                    if similar:
                        duplicates.link(conn, row.id, similar, "similar", now)
                        review.add_event(
                            conn,
                            row.id,
                            now,
                            actor,
                            "similar",
                            f"rule {similar.rule}",
                            similar.evidence,
                        )
                        result.similar += 1
                result.checked += 1
            after = rows[-1].id
