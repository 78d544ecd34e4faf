"""The numbers operators and the published report use, read from the running report counts.

Only counted cases count: a case marked duplicate, unrelated or rejected stays out of every
figure except the status totals. A multi-choice dimension counts a case once per option it
chose, so its values can add up to more than the number of cases; so can crossings.
``recount`` computes the same Report by scanning the case rows: slower, and the check that
the running counts are right.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select

from storage.rollup import (
    COUNTS,
    KEY,
    MONEY,
    NONE,
    RECEIVED,
    STATUS,
    VERSION,
    scan_cells,
    scan_received,
)
from storage.tables import COUNTED_STATUSES, CaseDimensionRow, CaseRow, table_of

CASES = table_of(CaseRow)
DIMENSIONS = table_of(CaseDimensionRow)

Value = str | None
Cell = Sequence[Any]
"""(a_name, a_value, b_name, b_value, day, cases, amount_cases, amount)"""


@dataclass(frozen=True)
class CrossingCount:
    a_value: Value
    b_value: Value
    day: dt.date
    cases: int


@dataclass(frozen=True)
class AmountSum:
    """An amount dimension (money or number): its total, how many cases gave it, per day."""

    total: int = 0
    cases: int = 0
    by_day: dict[dt.date, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    flow_id: str
    since: dt.date | None
    until: dt.date | None
    by_status: dict[str, int]
    by_day: dict[dt.date, int]
    dimensions: dict[str, dict[Value, int]]
    dimensions_by_day: dict[str, dict[tuple[Value, dt.date], int]]
    crossings: dict[tuple[str, str], list[CrossingCount]]
    amounts: dict[str, AmountSum]
    received: dict[tuple[str, dt.date], int] = field(default_factory=dict)
    """(status, local day received) -> cases: the intake's shape over time."""
    money: dict[tuple[bool, Value], int] = field(default_factory=dict)
    """(claims money, paid answer) -> counted cases: Kakao's published split."""
    versions: dict[str, int] = field(default_factory=dict)
    """Flow version -> cases filed with it (any status)."""

    @property
    def by_day_received(self) -> dict[dt.date, int]:
        days: dict[dt.date, int] = defaultdict(int)
        for (status, day), n in self.received.items():
            if status in COUNTED_STATUSES:
                days[day] += n
        return dict(sorted(days.items()))

    @property
    def counted(self) -> int:
        return sum(self.by_status.get(status, 0) for status in COUNTED_STATUSES)

    @property
    def duplicates(self) -> int:
        return self.by_status.get("duplicate", 0)

    @property
    def unrelated(self) -> int:
        return self.by_status.get("unrelated", 0)


def aggregate(
    engine: Engine, flow_id: str, *, since: dt.date | None = None, until: dt.date | None = None
) -> Report:
    """Every figure of ``flow_id`` for incident days in [since, until], from the counts."""
    c = COUNTS.c
    query = select(*(c[k] for k in KEY), c.cases, c.amount_cases, c.amount).where(
        c.flow_id == flow_id
    )
    if since is not None:
        query = query.where(c.day >= since)
    if until is not None:
        query = query.where(c.day <= until)
    with engine.connect() as conn:
        cells = conn.execute(query.order_by(*(c[k] for k in KEY))).all()
    return _assemble(flow_id, since, until, cells)


def recount(
    engine: Engine,
    flow_id: str,
    *,
    zone: dt.tzinfo,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Report:
    """The same Report counted from the case rows, in one snapshot."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            cells = [
                tuple(cell) for q in scan_cells(flow_id, since, until) for cell in conn.execute(q)
            ]
            cells += scan_received(conn, flow_id, zone, since, until)
    return _assemble(flow_id, since, until, sorted(cells, key=lambda cell: tuple(cell[:5])))


def _assemble(
    flow_id: str, since: dt.date | None, until: dt.date | None, cells: Iterable[Cell]
) -> Report:
    cells = [cell for cell in cells if cell[5] or cell[6]]  # cells that dropped back to zero
    amount_names = {cell[0] for cell in cells if cell[2] == NONE and cell[6]}
    by_status: dict[str, int] = defaultdict(int)
    by_day: dict[dt.date, int] = defaultdict(int)
    counts: dict[str, dict[Value, int]] = defaultdict(lambda: defaultdict(int))
    by_value_day: dict[str, dict[tuple[Value, dt.date], int]] = defaultdict(dict)
    crossings: dict[tuple[str, str], list[CrossingCount]] = defaultdict(list)
    amounts: dict[str, list[Any]] = defaultdict(lambda: [0, 0, {}])
    received: dict[tuple[str, dt.date], int] = defaultdict(int)
    money: dict[tuple[bool, Value], int] = defaultdict(int)
    versions: dict[str, int] = defaultdict(int)
    for a_name, a_value, b_name, b_value, day, cases, amount_cases, total_amount in cells:
        amount = int(total_amount)  # PostgreSQL sums a BIGINT column as NUMERIC
        if a_name == VERSION:
            versions[a_value] += cases
        elif a_name == RECEIVED:
            received[(a_value, day)] += cases
        elif a_name == MONEY:
            money[(a_value == "1", b_value or None)] += cases
        elif a_name == STATUS:
            by_status[a_value] += cases
            if a_value in COUNTED_STATUSES:
                by_day[day] += cases
        elif b_name != NONE:
            crossings[(a_name, b_name)].append(
                CrossingCount(a_value or None, b_value or None, day, cases)
            )
        elif a_name in amount_names:
            if amount_cases:
                total = amounts[a_name]
                total[0] += amount
                total[1] += amount_cases
                total[2][day] = total[2].get(day, 0) + amount
        else:
            counts[a_name][a_value or None] += cases
            by_value_day[a_name][(a_value or None, day)] = cases
    return Report(
        flow_id=flow_id,
        since=since,
        until=until,
        by_status=dict(by_status),
        by_day=dict(sorted(by_day.items())),
        dimensions={name: dict(values) for name, values in counts.items()},
        dimensions_by_day=dict(by_value_day),
        crossings=dict(crossings),
        amounts={
            name: AmountSum(t, n, dict(sorted(d.items()))) for name, (t, n, d) in amounts.items()
        },
        received={key: n for key, n in sorted(received.items()) if n},
        money={key: n for key, n in money.items() if n},
        versions={key: n for key, n in sorted(versions.items()) if n},
    )


@dataclass(frozen=True)
class ReceivedCounts:
    """Counted cases received since a moment, and their values per category dimension."""

    total: int
    dimensions: dict[str, dict[str | None, int]]


def received_since(engine: Engine, flow_id: str, since: dt.datetime) -> ReceivedCounts:
    """How many counted cases were *received* (not: happened) since ``since``, by dimension.

    ``aggregate`` filters on the day of the incident; an operator's "today" is the day cases
    came in. This reads the case rows, so keep ``since`` recent.
    """
    counted = CASES.c.status.in_(COUNTED_STATUSES)
    recent = (CASES.c.flow_id == flow_id, CASES.c.submitted_at >= since, counted)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(CASES).where(*recent)).scalar_one()
        rows = conn.execute(
            select(DIMENSIONS.c.name, DIMENSIONS.c.value, func.count())
            .join(CASES, CASES.c.id == DIMENSIONS.c.case_id)
            .where(*recent, DIMENSIONS.c.amount.is_(None))
            .group_by(DIMENSIONS.c.name, DIMENSIONS.c.value)
        ).all()
    dimensions: dict[str, dict[str | None, int]] = defaultdict(dict)
    for name, value, count in rows:
        dimensions[name][value] = count
    return ReceivedCounts(total=total, dimensions=dict(dimensions))
