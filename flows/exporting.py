"""What an export is made of: typed columns, and answers turned into their cells' values.

The step kinds (flows/kinds/) say which columns a question gets and what goes in them; the
writers (bot/desk/) keep each column's type (int64 KRW, dates, zoned times).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

ColumnType = Literal["text", "int", "float", "date", "datetime", "list", "flag"]


@dataclass(frozen=True)
class ExportColumn:
    """A column of an export: its heading and the type every writer keeps (int64 KRW...)."""

    name: str
    type: ColumnType


def local_moment(text: str, zone: ZoneInfo) -> dt.datetime:
    """An answer "2022-10-15T16:20+09:00" or "2022-10-15" as an aware time in ``zone``."""
    if len(text) <= 10:
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), zone)
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def pick(texts: dict[str, str], language: str) -> str:
    """Text in ``language``, else in the first language given."""
    return texts.get(language) or next(iter(texts.values()))
