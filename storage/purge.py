"""The retention purge (PIPA art. 21): cases past their declared period lose their person.

What goes: personal answers, notes, attachments (file ids), the conversation, and the user
key (replaced by a pseudonym, one per claimant and run). What stays: the case, its status,
day, amount and non-personal answers, its report rows and the running counts, so every figure
already published stays true. Interviews left unfinished (and closed ones that filed nothing)
go whole after the flow's shorter ``abandoned_interviews`` period. Held cases and cases under
review are skipped and named in the result. The access log is never touched.

Each batch is its own transaction: a purge of a million cases holds no lock for long, and one
stopped half-way is finished by the next run (a purged case is never selected again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    delete,
    func,
    not_,
    or_,
    select,
)

from flows.retention import span
from storage.audit import record_event
from storage.erasure import ANONYMISED_COLUMNS, anonymise_cases, pseudonym
from storage.published import FlowVersions
from storage.tables import (
    REVIEWING_STATUSES,
    AttachmentRow,
    CaseRow,
    ConversationRow,
    FlowVersionRow,
    table_of,
)

CASES = table_of(CaseRow)
CONVERSATIONS = table_of(ConversationRow)
ATTACHMENTS = table_of(AttachmentRow)
FLOW_VERSIONS = table_of(FlowVersionRow)
BATCH = 1000

Progress = Callable[[int, int], None]
"""Called after each batch with (cases done, cases to do); may raise PurgeStopped."""


class PurgeStopped(Exception):
    """Raised by a progress callback to stop between batches; what was done stays done."""


@dataclass(frozen=True)
class PurgeReport:
    """What a purge did (or, dry, would do) as of a day; no personal data in it."""

    as_of: dt.datetime
    dry_run: bool
    cases: int = 0
    attachments: int = 0
    interviews: int = 0
    held: list[str] = field(default_factory=list)
    under_review: list[str] = field(default_factory=list)
    undeclared: list[str] = field(default_factory=list)
    stored_paths: list[str] = field(default_factory=list)

    def detail(self) -> dict[str, Any]:
        """The audit entry's numbers."""
        return {
            "as_of": self.as_of.date().isoformat(),
            "cases": self.cases,
            "attachments": self.attachments,
            "interviews": self.interviews,
            "held": len(self.held),
            "under_review": len(self.under_review),
            "undeclared": self.undeclared,
        }


@dataclass(frozen=True)
class _Plan:
    """One flow version's rules as of the purge day."""

    due: ColumnElement[bool]
    abandoned: ColumnElement[bool]


def purge_cases(
    writer: Engine,
    flows: FlowVersions,
    *,
    as_of: dt.datetime,
    now: dt.datetime,
    actor: str,
    dry_run: bool = False,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> PurgeReport:
    """Anonymise every case past its period as it stands at ``as_of``; audited unless dry."""
    with writer.connect() as conn:
        plans, undeclared = _plans(conn, flows, as_of)
        if not plans:
            return PurgeReport(as_of, dry_run, undeclared=undeclared)
        due = or_(*(plan.due for plan in plans))
        held = _references(conn, and_(due, CASES.c.hold_reason.is_not(None)))
        reviewing = _references(conn, and_(due, _open_to_purge(), _under_review()))
        purgeable = and_(due, _open_to_purge(), not_(_under_review()))
        total = conn.execute(select(func.count()).where(purgeable)).scalar_one()
        stale = or_(*(plan.abandoned for plan in plans))
        if dry_run:
            files = conn.execute(
                select(func.count())
                .select_from(ATTACHMENTS)
                .where(ATTACHMENTS.c.case_id.in_(select(CASES.c.id).where(purgeable)))
            ).scalar_one()
            interviews = conn.execute(select(func.count()).where(stale)).scalar_one()
            return PurgeReport(as_of, True, total, files, interviews, held, reviewing, undeclared)
    done, files, paths = _purge_cases(writer, flows, purgeable, total, now, batch, progress)
    with writer.begin() as conn:
        interviews = conn.execute(delete(CONVERSATIONS).where(stale)).rowcount
        report = PurgeReport(
            as_of, False, done, files, interviews, held, reviewing, undeclared, paths
        )
        record_event(conn, now, actor, "purge", f"as of {as_of.date()}", report.detail())
    return report


def _purge_cases(
    writer: Engine,
    flows: FlowVersions,
    purgeable: ColumnElement[bool],
    total: int,
    now: dt.datetime,
    batch: int,
    progress: Progress | None,
) -> tuple[int, int, list[str]]:
    aliases: dict[tuple[str, str], str] = {}

    def alias(case: Any) -> str:
        key = (case.channel, case.user_key)
        if key not in aliases:
            aliases[key] = pseudonym(*key)
        return aliases[key]

    done = files = 0
    paths: list[str] = []
    with writer.connect() as conn:
        highest = conn.execute(select(func.max(CASES.c.id))).scalar() or 0
    # Windows of the primary key, not "WHERE ... ORDER BY id LIMIT n": with a filter on
    # flow_id a planner may pick the report index and sort every due case for each batch.
    for low in range(0, highest, batch):
        with writer.begin() as conn:
            rows = conn.execute(
                select(*ANONYMISED_COLUMNS)
                .where(purgeable, CASES.c.id > low, CASES.c.id <= low + batch)
                .order_by(CASES.c.id)
            ).all()
            if not rows:
                continue
            gone, stored = anonymise_cases(conn, flows, rows, alias, "purged_at", now)
        done, files = done + len(rows), files + gone
        paths.extend(stored)
        if progress is not None:
            progress(done, total)
    return done, files, paths


def _plans(
    conn: Connection, flows: FlowVersions, as_of: dt.datetime
) -> tuple[list[_Plan], list[str]]:
    plans, undeclared = [], []
    c, v = CASES.c, CONVERSATIONS.c
    for flow_id, version in conn.execute(select(FLOW_VERSIONS.c.flow_id, FLOW_VERSIONS.c.version)):
        retention = flows.get(conn, flow_id, version).flow.retention
        if retention is None:
            undeclared.append(f"{flow_id}@{version}")
            continue
        closed_before = span(retention.after_closing).before(as_of)
        filed_before = span(retention.longest_after_filing).before(as_of)
        idle_before = span(retention.abandoned_interviews).before(as_of)
        due = and_(
            c.flow_id == flow_id,
            c.flow_version == version,
            or_(c.closed_at <= closed_before, c.submitted_at <= filed_before),
        )
        abandoned = and_(
            v.flow_id == flow_id,
            v.flow_version == version,
            v.updated_at <= idle_before,
            # a conversation that filed a case lives as long as the case (purged with it)
            not_(v.id.in_(select(c.conversation_id).where(c.conversation_id.is_not(None)))),
        )
        plans.append(_Plan(due, abandoned))
    return plans, undeclared


def _open_to_purge() -> ColumnElement[bool]:
    c = CASES.c
    return and_(c.purged_at.is_(None), c.erased_at.is_(None), c.hold_reason.is_(None))


def _under_review() -> ColumnElement[bool]:
    return CASES.c.status.in_(REVIEWING_STATUSES)


def _references(conn: Connection, where: ColumnElement[bool]) -> list[str]:
    query = select(CASES.c.reference).where(
        where, CASES.c.purged_at.is_(None), CASES.c.erased_at.is_(None)
    )
    return list(conn.execute(query.order_by(CASES.c.id)).scalars())
