"""Small-cell suppression for the public report: no group under 5 cases shows, and no hidden
cell can be worked out from the totals that do show.

A count table is cells plus its row, column and grand totals; every row and column is one
equation (cells add up to the total). Primary suppression hides every count from 1 to 4.
Complementary suppression then hides more, smallest first, until no hidden entry is
determined by the equations that remain: checked by linear algebra (an entry is recoverable
exactly when its unit vector lies in the row space of the equations over the hidden
entries), not only by the line-by-line rule that catches the obvious single hidden cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

THRESHOLD = 5

Entry = tuple[str, int, int]
"""("cell", row, col), ("row", row, 0), ("col", 0, col) or ("total", 0, 0)."""


@dataclass
class CountTable:
    """A table of counts with the totals a reader sees; ``None`` marks a hidden entry."""

    cells: list[list[int | None]]
    row_totals: list[int | None] | None
    column_totals: list[int | None]
    total: int | None
    hidden: set[Entry] = field(default_factory=set)

    def value(self, entry: Entry) -> int:
        kind, i, j = entry
        if kind == "cell":
            v = self.cells[i][j]
        elif kind == "row":
            assert self.row_totals is not None
            v = self.row_totals[i]
        elif kind == "col":
            v = self.column_totals[j]
        else:
            v = self.total
        assert v is not None
        return v

    def entries(self) -> list[Entry]:
        rows, cols = len(self.cells), len(self.column_totals)
        found: list[Entry] = [("cell", i, j) for i in range(rows) for j in range(cols)]
        if self.row_totals is not None:
            found += [("row", i, 0) for i in range(rows)]
        found += [("col", 0, j) for j in range(cols)]
        return [*found, ("total", 0, 0)]

    def lines(self) -> list[list[Entry]]:
        """Each equation as its entries, the total last: sum(entries[:-1]) == entries[-1]."""
        rows, cols = len(self.cells), len(self.column_totals)
        found = []
        if self.row_totals is not None:
            found += [[*(("cell", i, j) for j in range(cols)), ("row", i, 0)] for i in range(rows)]
            found.append([*(("row", i, 0) for i in range(rows)), ("total", 0, 0)])
        found += [[*(("cell", i, j) for i in range(rows)), ("col", 0, j)] for j in range(cols)]
        found.append([*(("col", 0, j) for j in range(cols)), ("total", 0, 0)])
        return found


def suppress(table: CountTable, threshold: int = THRESHOLD) -> CountTable:
    """Hide small counts and enough others that none of them can be recovered."""
    hidden = {e for e in table.entries() if 0 < table.value(e) < threshold}
    _close_single_lines(table, hidden)
    while True:
        exposed = recoverable(table, hidden)
        if not exposed:
            break
        extra = _complement(table, hidden, next(iter(sorted(exposed))))
        if extra is None:  # nothing left to hide in its lines: hide the whole table
            hidden = set(table.entries())
            break
        hidden.add(extra)
    return _masked(table, hidden)


def _close_single_lines(table: CountTable, hidden: set[Entry]) -> None:
    """The cheap rule first: a line with exactly one hidden entry gives it away, so hide one
    more there; the linear-algebra check below then only has the subtle cases left."""
    lines = table.lines()
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines:
            inside = [e for e in line if e in hidden]
            visible = [e for e in line if e not in hidden]
            if len(inside) == 1 and visible:
                hidden.add(min(visible, key=lambda e: (e[0] != "cell", table.value(e), e)))
                changed = True


def _complement(table: CountTable, hidden: set[Entry], exposed: Entry) -> Entry | None:
    """The smallest visible entry sharing a line with ``exposed`` (cells before totals)."""
    candidates = [e for line in table.lines() if exposed in line for e in line if e not in hidden]
    if not candidates:
        return None
    return min(candidates, key=lambda e: (e[0] != "cell", table.value(e), e))


def recoverable(table: CountTable, hidden: set[Entry]) -> set[Entry]:
    """Hidden entries that the visible ones and the equations determine exactly."""
    unknowns = sorted(hidden)
    if not unknowns:
        return set()
    index = {e: k for k, e in enumerate(unknowns)}
    rows = []
    for line in table.lines():
        coefficients = [Fraction(0)] * len(unknowns)
        for position, entry in enumerate(line):
            if entry in index:
                coefficients[index[entry]] += 1 if position < len(line) - 1 else -1
        if any(coefficients):
            rows.append(coefficients)
    basis = _row_reduce(rows)
    found = set()
    for k, entry in enumerate(unknowns):
        unit = [Fraction(int(i == k)) for i in range(len(unknowns))]
        if _in_span(basis, unit):
            found.add(entry)
    return found


def _row_reduce(rows: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """Reduced row echelon form as (pivot column, row) pairs."""
    basis: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        row = _reduce(basis, row)
        pivot = next((i for i, v in enumerate(row) if v != 0), None)
        if pivot is None:
            continue
        row = [v / row[pivot] for v in row]
        basis = [(p, [a - b * r[pivot] for a, b in zip(r, row, strict=True)]) for p, r in basis]
        basis.append((pivot, row))
    return basis


def _reduce(basis: list[tuple[int, list[Fraction]]], row: list[Fraction]) -> list[Fraction]:
    row = list(row)
    for pivot, base in basis:
        if row[pivot] != 0:
            factor = row[pivot]
            row = [a - factor * b for a, b in zip(row, base, strict=True)]
    return row


def _in_span(basis: list[tuple[int, list[Fraction]]], vector: list[Fraction]) -> bool:
    return not any(_reduce(basis, vector))


def _masked(table: CountTable, hidden: set[Entry]) -> CountTable:
    cells = [
        [None if ("cell", i, j) in hidden else v for j, v in enumerate(row)]
        for i, row in enumerate(table.cells)
    ]
    rows = (
        [None if ("row", i, 0) in hidden else v for i, v in enumerate(table.row_totals)]
        if table.row_totals is not None
        else None
    )
    cols = [None if ("col", 0, j) in hidden else v for j, v in enumerate(table.column_totals)]
    total = None if ("total", 0, 0) in hidden else table.total
    return CountTable(cells, rows, cols, total, hidden)
