"""The report's other numbers: amount medians and percentiles, the intake funnel, the cases set
apart by rule. All read from running counts or indexed columns, never by scanning answers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Row, bindparam, case, func, select

from flows import Flow
from storage.rollup import AMOUNTS
from storage.tables import CaseLinkRow, CaseRow, ConsentRow, ConversationRow, table_of

CASES = table_of(CaseRow)
CONVERSATIONS = table_of(ConversationRow)
CONSENTS = table_of(ConsentRow)
LINKS = table_of(CaseLinkRow)

AmountGroup = tuple[str, str, str]
"""(amount dimension, group dimension or "", group value or "")."""


@dataclass(frozen=True)
class AmountStats:
    cases: int
    total: int
    median: int
    p90: int


def quantile(histogram: list[tuple[int, int]], p: float) -> int:
    """Nearest-rank quantile of (amount, how many) sorted by amount: always a claimed amount."""
    n = sum(count for _, count in histogram)
    rank = max(1, math.ceil(p * n))
    seen = 0
    for amount, count in histogram:
        seen += count
        if seen >= rank:
            return amount
    return histogram[-1][0] if histogram else 0


def amount_stats(
    engine: Engine, flow_id: str, since: dt.date | None = None, until: dt.date | None = None
) -> dict[AmountGroup, AmountStats]:
    a = AMOUNTS.c
    query = (
        select(a.amount_name, a.group_name, a.group_value, a.amount, func.sum(a.cases))
        .where(a.flow_id == flow_id, a.cases != 0)
        .group_by(a.amount_name, a.group_name, a.group_value, a.amount)
        .order_by(a.amount_name, a.group_name, a.group_value, a.amount)
    )
    if since is not None:
        query = query.where(a.day >= since)
    if until is not None:
        query = query.where(a.day <= until)
    histograms: dict[AmountGroup, list[tuple[int, int]]] = defaultdict(list)
    with engine.connect() as conn:
        for name, group, value, amount, cases in conn.execute(query):
            if int(cases):
                histograms[(name, group, value)].append((int(amount), int(cases)))
    return {
        key: AmountStats(
            cases=sum(n for _, n in h),
            total=sum(amount * n for amount, n in h),
            median=quantile(h, 0.5),
            p90=quantile(h, 0.9),
        )
        for key, h in histograms.items()
    }


@dataclass(frozen=True)
class Funnel:
    """Interviews of a flow from start to filing, and where the others stopped."""

    started: int
    consented: int
    refused: int
    """Ended at an end that files nothing without consent (the claimant said no)."""
    submitted: int
    cancelled: int
    abandoned: int
    in_progress: int
    stopped_at: dict[str, dict[str, int]] = field(default_factory=dict)
    """Step id -> {"cancelled": n, "abandoned": n, "in_progress": n}."""
    reached: dict[str, int] = field(default_factory=dict)
    """Step id -> interviews that reached or passed it (in the flow's order)."""
    idle_hours: float = 0.0
    as_of: dt.datetime | None = None


def funnel(engine: Engine, flow: Flow, idle: dt.timedelta) -> Funnel:
    """The funnel as of the newest activity in the data (so the same data, same funnel):
    an open interview idle for ``idle`` before that moment counts as abandoned."""
    c = CONVERSATIONS.c
    with engine.connect() as conn:
        newest = conn.execute(select(func.max(c.updated_at)).where(c.flow_id == flow.id)).scalar()
        newest = _aware(newest) if newest else None
        cutoff = newest - idle if newest else None
        rows: Sequence[Row[*tuple[Any, ...]]] = []
        if cutoff is not None:
            idle_flag = case((c.updated_at < bindparam("cutoff", cutoff), 1), else_=0).label("idle")
            rows = conn.execute(
                select(c.status, c.step, idle_flag, func.count())
                .where(c.flow_id == flow.id)
                .group_by(c.status, c.step, "idle")
            ).all()
        consented = conn.execute(
            select(func.count(func.distinct(CONSENTS.c.conversation_id))).where(
                CONSENTS.c.flow_id == flow.id, CONSENTS.c.conversation_id.is_not(None)
            )
        ).scalar_one()
    ends = {sid: s for sid, s in flow.steps.items() if s.is_end}
    counts: defaultdict[str, int] = defaultdict(int)
    stopped: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for status, step, is_idle, n in rows:
        if status == "finished":
            end = ends.get(step)
            counts["submitted" if end is not None and end.files_case else "ended"] += n
            continue
        how = {"cancelled": "cancelled", "abandoned": "abandoned"}.get(status)
        if how is None:
            how = "abandoned" if is_idle else "in_progress"
        counts[how] += n
        stopped[step][how] += n
    started = sum(n for *_, n in rows)
    order = list(flow.steps)
    reached = {}
    gone = 0
    for sid in order:
        reached[sid] = started - gone
        gone += sum(stopped.get(sid, {}).values())
    return Funnel(
        started=started,
        consented=int(consented),
        refused=counts["ended"],
        submitted=counts["submitted"],
        cancelled=counts["cancelled"],
        abandoned=counts["abandoned"],
        in_progress=counts["in_progress"],
        stopped_at={
            k: dict(v)
            for k, v in sorted(
                stopped.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)
            )
        },
        reached=reached,
        idle_hours=idle.total_seconds() / 3600,
        as_of=newest,
    )


def set_apart(engine: Engine, flow_id: str) -> dict[tuple[str, str], int]:
    """(status, rule) -> cases left out of the totals: duplicates by the rule that found them,
    unrelated and rejected ones (an operator's decision); and ("similar", "text") flags."""
    c = CASES.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(c.status, c.duplicate_rule, func.count())
            .where(c.flow_id == flow_id, c.status.in_(("duplicate", "unrelated", "rejected")))
            .group_by(c.status, c.duplicate_rule)
        ).all()
        similar = conn.execute(
            select(func.count(func.distinct(LINKS.c.case_id)))
            .select_from(LINKS.join(CASES, CASES.c.id == LINKS.c.case_id))
            .where(LINKS.c.kind == "similar", c.flow_id == flow_id)
        ).scalar_one()
    found = {(status, rule or "operator"): int(n) for status, rule, n in rows}
    if similar:
        found[("similar", "text")] = int(similar)
    return dict(sorted(found.items()))


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
