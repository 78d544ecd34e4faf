"""Typed export rows: the cases a query selects, one list of cells per case, streamed.

Every writer (CSV, XLSX, JSON Lines, Parquet) consumes these; none of them touches the
database. Rows come from a streaming cursor in batches, so memory stays flat whatever the
number of cases. Personal answers are masked unless ``masked=False`` (which the caller audits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Engine, Select, exists, func, select

from flows import Flow
from flows.exporting import ExportColumn
from flows.steps import MASKED
from storage.encryption import Keyring
from storage.tables import CaseDimensionRow, CaseRow, table_of

CASES = table_of(CaseRow)
DIMENSIONS = table_of(CaseDimensionRow)
BATCH = 2000


@dataclass(frozen=True)
class ExportQuery:
    """Which cases: one flow, submitted in [since, until), some statuses, some dimension values.

    ``values`` holds (dimension, value) pairs, e.g. ("service", "kakaotalk"): a case matches
    when it has every named dimension with one of the values given for it.
    """

    flow_id: str
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    statuses: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["since"] = self.since.isoformat() if self.since else None
        data["until"] = self.until.isoformat() if self.until else None
        data["values"] = [list(pair) for pair in self.values]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExportQuery:
        return cls(
            flow_id=data["flow_id"],
            since=dt.datetime.fromisoformat(data["since"]) if data.get("since") else None,
            until=dt.datetime.fromisoformat(data["until"]) if data.get("until") else None,
            statuses=tuple(data.get("statuses") or ()),
            values=tuple((a, b) for a, b in data.get("values") or ()),
        )


@dataclass(frozen=True)
class ExportLayout:
    """The columns of an export of one flow, and how each case's answers fill them."""

    flow: Flow
    language: str
    masked: bool
    columns: list[ExportColumn] = field(default_factory=list)

    @classmethod
    def of(cls, flow: Flow, language: str | None, masked: bool) -> ExportLayout:
        lang = language or flow.default_language
        columns = [
            ExportColumn("reference", "text"),
            ExportColumn("submitted_at", "datetime"),
            ExportColumn("status", "text"),
            ExportColumn("duplicate_of", "text"),
            ExportColumn("duplicate_rule", "text"),
            ExportColumn("flow_version", "text"),
            ExportColumn("channel", "text"),
        ]
        if not masked:
            columns.append(ExportColumn("user_key", "text"))
        columns += [ExportColumn("incident_day", "date"), ExportColumn("amount_total", "int")]
        for _, step in flow.asking_steps():
            columns += step.export_columns(lang)
        columns.append(ExportColumn("notes", "text"))
        columns.append(ExportColumn("estimates", "text"))
        return cls(flow, lang, masked, columns)


def select_cases(query: ExportQuery) -> Select[Any]:
    c = CASES.c
    original = CASES.alias("original")
    stmt = (
        select(
            c.reference,
            c.submitted_at,
            c.status,
            original.c.reference.label("duplicate_ref"),
            c.duplicate_rule,
            c.flow_version,
            c.channel,
            c.user_key,
            c.incident_day,
            c.amount_total,
            c.answers,
            c.notes,
            c.estimates,
        )
        .outerjoin(original, c.duplicate_of == original.c.id)
        .order_by(c.id)
    )
    return _filtered(stmt, query)


def _filtered(stmt: Select[Any], query: ExportQuery) -> Select[Any]:
    c = CASES.c
    stmt = stmt.where(c.flow_id == query.flow_id)
    if query.since is not None:
        stmt = stmt.where(c.submitted_at >= query.since)
    if query.until is not None:
        stmt = stmt.where(c.submitted_at < query.until)
    if query.statuses:
        stmt = stmt.where(c.status.in_(query.statuses))
    wanted: dict[str, list[str]] = {}
    for name, value in query.values:
        wanted.setdefault(name, []).append(value)
    d = DIMENSIONS.c
    for name, values in wanted.items():
        stmt = stmt.where(exists().where(d.case_id == c.id, d.name == name, d.value.in_(values)))
    return stmt


def count_cases(engine: Engine, query: ExportQuery) -> int:
    """How many cases ``query`` selects (for progress and the job's ``rows_total``)."""
    stmt = _filtered(select(func.count()).select_from(CASES), query)
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def export_rows(
    engine: Engine, layout: ExportLayout, query: ExportQuery, keys: Keyring | None = None
) -> Iterator[list[Any]]:
    """One list of typed cells per case, in filing order, in ``layout``'s columns.

    Answers encrypted at rest are opened with ``keys``: strictly for an unmasked export (a
    wrong or missing key fails it), leniently for a masked one (it needs no key).
    """
    keys = keys or Keyring()
    flow, lang, masked = layout.flow, layout.language, layout.masked
    zone = flow.zone
    personal = flow.personal_fields()
    makers = [
        (step.field, step.export_cells(lang, masked and step.field in personal, zone))
        for _, step in flow.asking_steps()
    ]
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
            select_cases(query)
        )
        for row in result:
            submitted = row.submitted_at
            if submitted.tzinfo is None:  # SQLite hands back UTC without a zone
                submitted = submitted.replace(tzinfo=dt.UTC)
            cells: list[Any] = [
                row.reference,
                submitted.astimezone(zone),
                row.status,
                row.duplicate_ref,
                row.duplicate_rule,
                row.flow_version,
                row.channel,
            ]
            if not masked:
                cells.append(row.user_key)
            cells += [row.incident_day, int(row.amount_total)]
            answers = keys.open_answers(row.answers or {}, lenient=masked)
            for field_name, make in makers:
                cells += make(answers.get(field_name))
            if masked:  # whether there are notes is all a masked export says of them
                cells.append(MASKED if row.notes else None)
            else:
                opened = keys.open_notes(row.notes or {})
                cells.append("; ".join(f"{k}: {v}" for k, v in opened.items()) or None)
            cells.append(", ".join(row.estimates or []) or None)
            yield cells
