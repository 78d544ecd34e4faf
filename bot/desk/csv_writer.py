"""Cases as CSV: UTF-8 with a byte order mark (Korean Excel), formula-proof cells.

Cells that Excel would take for a formula (starting with = + - @, a tab or a carriage return)
get a leading apostrophe, OWASP's advice against CSV injection: a claimant's free text must
never run on an operator's machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from flows.exporting import ExportColumn

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Tick = Callable[[int], None]


def safe_text(text: str) -> str:
    """Neutralise a text cell Excel would read as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> Any:
    kind = value.__class__  # the common kinds first, by exact type: called for every cell
    if kind is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if kind is int or kind is float:
        return value
    if kind is bool:
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return safe_text("; ".join(str(v) for v in value))
    if isinstance(value, int | float):
        return int(value) if isinstance(value, bool) else value
    return safe_text(str(value))


def write_csv(
    columns: list[ExportColumn], rows: Iterable[list[Any]], out: BinaryIO, tick: Tick
) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    count = 0
    try:
        writer = csv.writer(text)
        writer.writerow([safe_text(c.name) for c in columns])
        for row in rows:
            writer.writerow(map(csv_cell, row))
            count += 1
            tick(count)
        text.flush()
    finally:
        text.detach()
    return count
