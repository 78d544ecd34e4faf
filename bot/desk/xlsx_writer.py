"""Cases as an Excel workbook, written row by row (XlsxWriter's constant-memory mode).

Strings are never turned into formulas or links: a claimant's ``=HYPERLINK(...)`` stays text
in its cell. Amounts are numbers, days and times are Excel dates (local to the flow's zone,
Excel has none). A sheet holds 1,048,576 rows; more cases go on to a second sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import xlsxwriter

from flows.exporting import ExportColumn

SHEET_ROWS = 1_048_576
CELL_CHARS = 32_767


def write_xlsx(
    columns: list[ExportColumn],
    rows: Iterable[list[Any]],
    path: str,
    tick: Callable[[int], None],
) -> int:
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    bold = workbook.add_format({"bold": True})
    count = 0
    sheet = None
    line = 0
    try:
        for row in rows:
            if sheet is None or line >= SHEET_ROWS:
                sheet = workbook.add_worksheet(f"cases{'' if sheet is None else count + 1}")
                sheet.freeze_panes(1, 0)
                for col, column in enumerate(columns):
                    sheet.write_string(0, col, column.name, bold)
                line = 1
            for col, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(line, col, value, moment)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(line, col, value, day)
                elif isinstance(value, bool | int | float):
                    sheet.write_number(line, col, value)
                elif isinstance(value, list):
                    sheet.write_string(line, col, "; ".join(map(str, value))[:CELL_CHARS])
                else:
                    sheet.write_string(line, col, str(value)[:CELL_CHARS])
            line += 1
            count += 1
            tick(count)
        if sheet is None:
            sheet = workbook.add_worksheet("cases")
            for col, column in enumerate(columns):
                sheet.write_string(0, col, column.name, bold)
    finally:
        workbook.close()
    return count
