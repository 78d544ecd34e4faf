"""Cases as JSON Lines: one object per case, keys the column headings, dates in ISO 8601."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from flows.exporting import ExportColumn


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_jsonl(
    columns: list[ExportColumn],
    rows: Iterable[list[Any]],
    out: BinaryIO,
    tick: Callable[[int], None],
) -> int:
    names = [c.name for c in columns]
    dumps = json.JSONEncoder(ensure_ascii=False, default=_plain).encode
    count = 0
    for row in rows:
        record = dict(zip(names, (_plain(v) for v in row), strict=True))
        out.write(dumps(record).encode() + b"\n")
        count += 1
        tick(count)
    return count
