"""The report as one plain document (dicts and lists): every figure with its labels, ready for
JSON, Markdown and HTML alike. The same data gives the same document but for ``computed_at``.

``public=True`` is what a company would publish or a regulator receive: no free text, no
personal data, no group under 5 cases, and complementary suppression so no hidden count can
be recovered from the totals (see bot.desk.suppression).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from bot.desk.kakao_split import claimant_split, money_split
from bot.desk.suppression import THRESHOLD, CountTable, suppress
from flows import Flow
from flows.schema import AskingStep
from storage import Report, Store
from storage.report_figures import AmountStats, Funnel, amount_stats, funnel, set_apart
from storage.tables import COUNTED_STATUSES

NOT_ANSWERED = {"ko": "(응답 없음)", "en": "(not answered)"}
STATUS_ORDER = ("received", "in_review", "reviewed", "duplicate", "unrelated", "rejected")


def build_report(
    store: Store,
    flow: Flow,
    *,
    language: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    public: bool = False,
    idle: dt.timedelta = dt.timedelta(hours=48),
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    lang = language or flow.default_language
    report = store.aggregate(flow.id, since=since, until=until)
    amounts = amount_stats(store.engine, flow.id, since, until)
    intake = funnel(store.engine, flow, idle)
    apart = set_apart(store.engine, flow.id)
    labels = _Labels(flow, lang)
    figures: dict[str, Any] = {
        "flow": {"id": flow.id, "title": _pick(flow.title, lang), "time_zone": flow.timezone},
        "window": {
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "days": "incident days (received-day figures: days received in the same window)",
        },
        "public": public,
        "language": lang,
        "flow_versions": [{"version": v, "cases": n} for v, n in report.versions.items()],
        "totals": _totals(report),
        "tables": _tables(report, flow, labels),
        "crossings": _crossings(report, flow, labels),
        "amounts": _amounts(amounts, flow, labels),
        "kakao_split": _split(report, flow, labels),
        "funnel": _funnel(intake, flow, labels),
        "set_apart": [
            {"status": status, "rule": rule, "cases": n} for (status, rule), n in apart.items()
        ],
    }
    if public:
        figures = _public(figures)
    digest = hashlib.sha256(
        json.dumps(figures, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    computed = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")
    return {"report": "complaintbot cases report", "computed_at": computed,
            "input_hash": digest, **figures}  # fmt: skip


class _Labels:
    def __init__(self, flow: Flow, language: str) -> None:
        self.flow, self.language = flow, language
        self.steps = {s.dimension: s for _, s in flow.asking_steps() if s.dimension}

    def dimension(self, name: str) -> str:
        step = self.steps.get(name)
        return _pick(step.label or step.text, self.language) if step else name

    def value(self, name: str, value: str | None) -> str:
        if value is None:
            return NOT_ANSWERED.get(self.language, NOT_ANSWERED["en"])
        step = self.steps.get(name)
        for option in getattr(step, "options", None) or []:
            if option.value == value:
                return _pick(option.label, self.language)
        return value

    def step(self, name: str) -> AskingStep | None:
        return self.steps.get(name)

    def order(self, name: str, values: list[str | None]) -> list[str | None]:
        step = self.steps.get(name)
        declared = [o.value for o in getattr(step, "options", None) or []]
        known = [v for v in declared if v in values]
        return (
            known
            + sorted(v for v in values if v not in declared and v is not None)
            + ([None] if None in values else [])
        )


def _totals(report: Report) -> dict[str, Any]:
    by_status = {s: report.by_status.get(s, 0) for s in STATUS_ORDER if report.by_status.get(s)}
    return {
        "filed": sum(report.by_status.values()),
        "counted": report.counted,
        "counted_statuses": list(COUNTED_STATUSES),
        "by_status": by_status,
    }


def _one_way(
    table_id: str, title: str, rows: list[tuple[str, str, int]], note: str
) -> dict[str, Any]:
    return {
        "id": table_id,
        "title": title,
        "keys": [key for key, _, _ in rows],
        "labels": [label for _, label, _ in rows],
        "cases": [n for _, _, n in rows],
        "total": sum(n for _, _, n in rows),
        "note": note,
    }


def _tables(report: Report, flow: Flow, labels: _Labels) -> list[dict[str, Any]]:
    tables = []
    for name in flow.dimensions():
        step = labels.step(name)
        counts = report.dimensions.get(name, {})
        if step is not None and step.offered_options:
            values = labels.order(name, list(counts))
            rows = [(v or "", labels.value(name, v), counts.get(v, 0)) for v in values]
            note = ("a case with several answers counts once for each" if step.collects
                    else "each counted case once")  # fmt: skip
            tables.append(_one_way(name, labels.dimension(name), rows, note))
        elif step is not None and step.report_kind == "day":
            days = sorted(v for v in counts if v)
            rows = [(d, d, counts[d]) for d in days]
            if None in counts:
                rows.append(("", labels.value(name, None), counts[None]))
            tables.append(_one_way(name, labels.dimension(name), rows, "day of the harm"))
    received = [(d.isoformat(), d.isoformat(), n) for d, n in report.by_day_received.items()]
    tables.append(_one_way("day_received", "received per day", received, "local day received"))
    incident = [(d.isoformat(), d.isoformat(), n) for d, n in report.by_day.items()]
    tables.append(_one_way("day_incident", "per incident day", incident, "counted cases"))
    return tables


def _crossings(report: Report, flow: Flow, labels: _Labels) -> list[dict[str, Any]]:
    tables = []
    for a, b in flow.crossings:
        cells: dict[tuple[str | None, str | None], int] = {}
        for count in report.crossings.get((a, b), []):
            key = (count.a_value, count.b_value)
            cells[key] = cells.get(key, 0) + count.cases
        rows = labels.order(a, list({k[0] for k in cells}))
        cols = labels.order(b, list({k[1] for k in cells}))
        grid = [[cells.get((r, c), 0) for c in cols] for r in rows]
        tables.append({
            "id": f"{a}_x_{b}",
            "title": f"{labels.dimension(a)} × {labels.dimension(b)}",
            "row_keys": [r or "" for r in rows],
            "rows": [labels.value(a, r) for r in rows],
            "column_keys": [c or "" for c in cols],
            "columns": [labels.value(b, c) for c in cols],
            "cells": grid,
            "row_totals": [sum(row) for row in grid],
            "column_totals": [sum(col) for col in zip(*grid, strict=True)] if grid else [],
            "total": sum(map(sum, grid)),
            "note": "pairs of answers; a case with several answers counts for each pair",
        })  # fmt: skip
    return tables


def _amounts(amounts: dict[tuple[str, str, str], AmountStats], flow: Flow,
             labels: _Labels) -> list[dict[str, Any]]:  # fmt: skip
    order = {name: i for i, name in enumerate(flow.dimensions())}
    found = []
    for (name, group, value), stats in sorted(
        amounts.items(), key=lambda kv: (order.get(kv[0][0], 99), order.get(kv[0][1], -1), kv[0])
    ):
        found.append({
            "amount": name,
            "label": labels.dimension(name),
            "group": group or None,
            "group_label": labels.dimension(group) if group else None,
            "value": value or None if group else None,
            "value_label": labels.value(group, value or None) if group else None,
            "cases": stats.cases,
            "sum": stats.total,
            "median": stats.median,
            "p90": stats.p90,
        })  # fmt: skip
    return found


def _split(report: Report, flow: Flow, labels: _Labels) -> dict[str, Any] | None:
    money = money_split(report.money)
    claimants = claimant_split(report.dimensions.get("claimant", {}))
    if money is None and claimants is None:
        return None
    return {"harm": money, "claimants": claimants}


def _funnel(intake: Funnel, flow: Flow, labels: _Labels) -> dict[str, Any]:
    steps = []
    for sid, step in flow.steps.items():
        if step.answer_field is None and not step.is_summary:  # end, info: nothing to stop at
            continue
        name = getattr(step, "label", None) or step.text
        stopped = intake.stopped_at.get(sid, {})
        steps.append({
            "step": sid,
            "label": _pick(name, labels.language),
            "reached": intake.reached.get(sid, 0),
            "cancelled": stopped.get("cancelled", 0),
            "abandoned": stopped.get("abandoned", 0),
            "in_progress": stopped.get("in_progress", 0),
        })  # fmt: skip
    return {
        "started": intake.started,
        "consented": intake.consented,
        "refused": intake.refused,
        "submitted": intake.submitted,
        "cancelled": intake.cancelled,
        "abandoned": intake.abandoned,
        "in_progress": intake.in_progress,
        "abandoned_after_hours": intake.idle_hours,
        "as_of": intake.as_of.isoformat(timespec="seconds") if intake.as_of else None,
        "steps": steps,
    }


def _public(figures: dict[str, Any]) -> dict[str, Any]:
    """Suppress every small group; drop what a public report does not carry."""
    out = dict(figures)
    out["tables"] = [_public_one_way(t) for t in figures["tables"]]
    out["crossings"] = [_public_crossing(t) for t in figures["crossings"]]
    out["amounts"] = [
        a
        | (
            {"sum": None, "median": None, "p90": None, "cases": None}
            if a["cases"] < THRESHOLD
            else {}
        )
        for a in figures["amounts"]
    ]
    split = figures["kakao_split"]
    if split:
        out["kakao_split"] = {k: (_public_split(v) if v else None) for k, v in split.items()}
    steps = figures["funnel"]["steps"]
    counts = (
        "started",
        "consented",
        "refused",
        "submitted",
        "cancelled",
        "abandoned",
        "in_progress",
    )
    out["funnel"] = (
        figures["funnel"]
        | {k: _small(figures["funnel"][k]) for k in counts}
        | {
            "steps": [
                s | {k: _small(s[k]) for k in ("reached", "cancelled", "abandoned", "in_progress")}
                for s in steps
            ]
        }
    )
    out["set_apart"] = _public_list(figures["set_apart"], "cases")
    out["flow_versions"] = _public_list(figures["flow_versions"], "cases")
    return out


def _small(n: int | None) -> int | None:
    return None if n is not None and 0 < n < THRESHOLD else n


def _public_one_way(table: dict[str, Any]) -> dict[str, Any]:
    # A one-way table is one column whose total is the grand total: cells add up to it.
    shown = suppress(
        CountTable([[n] for n in table["cases"]], None, [table["total"]], table["total"])
    )
    return table | {"cases": [row[0] for row in shown.cells], "total": shown.column_totals[0],
                    "suppressed": bool(shown.hidden)}  # fmt: skip


def _public_crossing(table: dict[str, Any]) -> dict[str, Any]:
    if not table["cells"]:
        return table | {"suppressed": False}
    shown = suppress(
        CountTable(
            [list(r) for r in table["cells"]],
            list(table["row_totals"]),
            list(table["column_totals"]),
            table["total"],
        )
    )
    return table | {
        "cells": shown.cells,
        "row_totals": shown.row_totals,
        "column_totals": shown.column_totals,
        "total": shown.total,
        "suppressed": bool(shown.hidden),
    }


def _public_split(part: dict[str, Any]) -> dict[str, Any]:
    rows = part["rows"]
    table = CountTable([[r["cases"]] for r in rows], None, [part["total"]], part["total"])
    shown = suppress(table)
    return part | {
        "total": shown.column_totals[0],
        "rows": [
            r | ({"cases": None, "share": None} if shown.cells[i][0] is None else {})
            for i, r in enumerate(rows)
        ],
    }


def _public_list(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    if not items:
        return items
    total = sum(i[key] for i in items)
    shown = suppress(CountTable([[i[key]] for i in items], None, [total], total))
    return [i | {key: shown.cells[n][0]} for n, i in enumerate(items)]


def _pick(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or next(iter(texts.values()))
