"""The report: numbers checked against counts computed here from the seeded cases themselves;
public output hides every group under 5 and no hidden cell can be recovered; same data, same
JSON but for computed_at."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.desk.charts import chart_specs, write_pngs
from bot.desk.report_document import build_report
from bot.desk.report_html import render_html
from bot.desk.report_markdown import render_markdown
from bot.desk.seeding import seed
from bot.desk.suppression import CountTable, suppress
from flows import Choose, Interview, LoadedFlow, Text, Toggle, load_flows
from storage import Store
from storage.tables import CaseRow
from tests.storage.sample_flows import say, survey

FLOW = "kakao-outage-2022"
COUNTED = {"received", "in_review", "reviewed"}


@pytest.fixture
def seeded(store: Store) -> tuple[Store, LoadedFlow]:
    loaded = load_flows()[FLOW]
    store.publish_flow(loaded)
    seed(store, loaded, 150, rng_seed=7)
    return store, loaded


def _cases(store: Store) -> list[Any]:
    c = CaseRow.__table__.c
    with store.engine.connect() as conn:
        return conn.execute(select(c.status, c.answers, c.submitted_at, c.duplicate_rule)).all()


def _nearest_rank(values: list[int], p: float) -> int:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p * len(ordered))) - 1]


def test_report_numbers_match_counts_made_from_the_cases(seeded: tuple[Store, LoadedFlow]) -> None:
    store, loaded = seeded
    doc = build_report(store, loaded.flow, language="en")
    cases = _cases(store)
    counted = [c for c in cases if c.status in COUNTED]
    assert doc["totals"]["filed"] == len(cases) == 150
    assert doc["totals"]["counted"] == len(counted)
    assert doc["totals"]["by_status"].get("duplicate", 0) == sum(
        c.status == "duplicate" for c in cases
    )

    tables = {t["id"]: t for t in doc["tables"]}
    services = Counter(s for c in counted for s in c.answers["services"])
    assert dict(zip(tables["service"]["keys"], tables["service"]["cases"], strict=True)) == {
        k: services.get(k, 0) for k in tables["service"]["keys"]
    }
    claimants = Counter(c.answers["claimant"] for c in counted)
    assert (
        dict(zip(tables["claimant"]["keys"], tables["claimant"]["cases"], strict=True)) == claimants
    )
    zone = loaded.flow.zone
    received = Counter(
        (c.submitted_at if c.submitted_at.tzinfo else c.submitted_at.replace(tzinfo=dt.UTC))
        .astimezone(zone)
        .date()
        .isoformat()
        for c in counted
    )
    day_table = tables["day_received"]
    assert dict(zip(day_table["keys"], day_table["cases"], strict=True)) == received

    by_harm: dict[str, list[int]] = defaultdict(list)
    everyone: list[int] = []
    for c in counted:
        amount = c.answers.get("money_lost_amount")
        if amount is not None:
            everyone.append(int(amount))
            for harm in c.answers["harms"]:
                by_harm[harm].append(int(amount))
    amounts = {(a["amount"], a["group"], a["value"]): a for a in doc["amounts"]}
    overall = amounts[("amount_money_lost", None, None)]
    assert (overall["cases"], overall["sum"]) == (len(everyone), sum(everyone))
    assert overall["median"] == _nearest_rank(everyone, 0.5)
    assert overall["p90"] == _nearest_rank(everyone, 0.9)
    for harm, values in by_harm.items():
        row = amounts[("amount_money_lost", "harm", harm)]
        assert (row["cases"], row["median"], row["p90"]) == (
            len(values), _nearest_rank(values, 0.5), _nearest_rank(values, 0.9))  # fmt: skip

    split = {r["key"]: r["cases"] for r in doc["kakao_split"]["harm"]["rows"]}
    paid = sum(c.answers["paid"] in {"paid", "both"} for c in counted)
    money = sum(c.answers["paid"] == "free" and bool(c.answers.get("money_lost_amount")
                or c.answers.get("income_lost_amount")) for c in counted)  # fmt: skip
    assert split == {
        "paid": paid,
        "money_on_free": money,
        "non_monetary": len(counted) - paid - money,
    }
    apart = {(s["status"], s["rule"]): s["cases"] for s in doc["set_apart"]}
    rules = Counter(c.duplicate_rule for c in cases if c.status == "duplicate")
    assert {rule: n for (status, rule), n in apart.items() if status == "duplicate"} == rules
    assert doc["flow_versions"] == [{"version": loaded.version, "cases": 150}]


def test_the_same_data_gives_the_same_json_but_for_computed_at(
    seeded: tuple[Store, LoadedFlow],
) -> None:
    store, loaded = seeded
    first = build_report(store, loaded.flow, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    second = build_report(store, loaded.flow, now=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    assert first["computed_at"] != second["computed_at"]
    first.pop("computed_at")
    second.pop("computed_at")
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)
    ref = _cases(store)[0]
    del ref
    c = CaseRow.__table__.c
    with store.engine.connect() as conn:
        reference = conn.execute(
            select(c.reference).where(c.status == "received").limit(1)
        ).scalar_one()
    store.set_case_status(reference, "unrelated", actor="op", reason="not the outage")
    third = build_report(store, loaded.flow)
    assert third["input_hash"] != first["input_hash"]


def _visible_counts(doc: dict[str, Any]) -> list[int]:
    found = []
    for table in doc["tables"]:
        found += [*table["cases"], table["total"]]
    for cross in doc["crossings"]:
        found += [v for row in cross["cells"] for v in row]
        found += [*cross["row_totals"], *cross["column_totals"], cross["total"]]
    for part in (doc["kakao_split"] or {}).values():
        found += [r["cases"] for r in part["rows"]] if part else []
    found += [a["cases"] for a in doc["amounts"]]
    found += [s["cases"] for s in doc["set_apart"]]
    return [v for v in found if v is not None]


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rank, col, width = 0, 0, len(rows[0]) if rows else 0
    while rank < len(rows) and col < width:
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            col += 1
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                f = rows[i][col] / rows[rank][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank, col = rank + 1, col + 1
    return rank


def _recoverable(original: dict[str, Any], public: dict[str, Any]) -> list[str]:
    """Hidden entries of a crossing that its equations (rows, columns, totals) pin down."""
    cells, shown = original["cells"], public["cells"]
    rows, cols = len(cells), len(cells[0])
    names = [("c", i, j) for i in range(rows) for j in range(cols)] + [
        ("r", i, 0) for i in range(rows)
    ]
    names += [("k", 0, j) for j in range(cols)] + [("t", 0, 0)]
    hidden = [n for n in names if _get(public, n) is None]
    if not hidden:
        return []
    equations = [[("c", i, j) for j in range(cols)] + [("r", i, 0)] for i in range(rows)]
    equations += [[("c", i, j) for i in range(rows)] + [("k", 0, j)] for j in range(cols)]
    equations += [[("r", i, 0) for i in range(rows)] + [("t", 0, 0)]]
    equations += [[("k", 0, j) for j in range(cols)] + [("t", 0, 0)]]
    matrix = [[Fraction(0 if h not in eq else (-1 if h == eq[-1] else 1)) for h in hidden]
              for eq in equations]  # fmt: skip
    base = _rank(matrix)
    exposed = []
    for k, name in enumerate(hidden):
        unit = [Fraction(int(i == k)) for i in range(len(hidden))]
        if _rank([*matrix, unit]) == base:
            exposed.append(f"{original['id']}{name}")
    del shown
    return exposed


def _get(table: dict[str, Any], name: tuple[str, int, int]) -> int | None:
    kind, i, j = name
    return {"c": lambda: table["cells"][i][j], "r": lambda: table["row_totals"][i],
            "k": lambda: table["column_totals"][j], "t": lambda: table["total"]}[kind]()  # fmt: skip


def test_public_report_hides_small_groups_and_none_can_be_recovered(
    seeded: tuple[Store, LoadedFlow],
) -> None:
    store, loaded = seeded
    full = build_report(store, loaded.flow)
    public = build_report(store, loaded.flow, public=True)
    visible = _visible_counts(public)
    assert visible and all(v == 0 or v >= 5 for v in visible)
    assert any(0 < v < 5 for v in _visible_counts(full)), "the data has small groups to hide"
    crossings = {c["id"]: c for c in full["crossings"]}
    assert any(c["suppressed"] for c in public["crossings"])
    for cross in public["crossings"]:
        assert _recoverable(crossings[cross["id"]], cross) == []
    for table, shown in zip(full["tables"], public["tables"], strict=True):
        hidden = [v for v, s in zip(table["cases"], shown["cases"], strict=True) if s is None]
        assert len(hidden) != 1 or shown["total"] is None, table["id"]
    text = json.dumps(public, ensure_ascii=False)
    assert "seed-" not in text and "010-" not in text


def test_suppression_of_a_small_table_by_hand() -> None:
    table = CountTable([[20, 3], [10, 12]], [23, 22], [30, 15], 45)
    shown = suppress(table)
    assert shown.cells[0][1] is None  # the 3
    hidden_in_first_row = [v for v in shown.cells[0] if v is None] + (
        [None] if shown.row_totals and shown.row_totals[0] is None else [])  # fmt: skip
    assert len(hidden_in_first_row) >= 2
    assert shown.cells[1][1] is None or shown.column_totals[1] is None


def test_the_funnel_counts_refusals_cancels_and_idle_interviews(store: Store) -> None:
    loaded = survey()
    store.publish_flow(loaded)
    iv = Interview(loaded)
    early = dt.datetime(2022, 10, 16, 1, 0, tzinfo=dt.UTC)
    late = early + dt.timedelta(days=3)
    say(store, iv, "refuser", None, now=late)
    say(store, iv, "refuser", Choose("refuse"), now=late)
    say(store, iv, "idle", None, now=early)
    say(store, iv, "idle", Choose("agree"), now=early)
    say(store, iv, "busy", None, now=late)
    say(store, iv, "busy", Choose("agree"), now=late)
    say(store, iv, "busy", Choose("person"), now=late)
    say(store, iv, "quitter", None, now=late)
    say(store, iv, "quitter", Choose("agree"), now=late)
    say(store, iv, "quitter", Text("그만하기"), now=late)
    say(store, iv, "quitter", Toggle("talk"), now=late)
    doc = build_report(store, loaded.flow, idle=dt.timedelta(hours=48))
    f = doc["funnel"]
    assert f["started"] == 4 and f["refused"] == 1 and f["consented"] == 3
    assert f["abandoned"] == 1 and f["submitted"] == 0
    assert f["cancelled"] + f["in_progress"] == 2
    steps = {s["step"]: s for s in f["steps"]}
    assert steps["claimant"]["abandoned"] == 1


def test_markdown_and_html_carry_the_figures(seeded: tuple[Store, LoadedFlow]) -> None:
    store, loaded = seeded
    doc = build_report(store, loaded.flow)
    md = render_markdown(doc)
    page = render_html(doc)
    counted = f"{doc['totals']['counted']:,}"
    assert f"**{counted}** counted cases" in md and "피해 서비스" in md
    assert f"<b>{counted}</b> counted cases" in page
    assert "vegaEmbed" in page and "https://cdn" not in page and "<script src=" not in page


def test_charts_are_written_as_png_with_their_data(
    seeded: tuple[Store, LoadedFlow], tmp_path: Path
) -> None:
    store, loaded = seeded
    doc = build_report(store, loaded.flow)
    specs = chart_specs(doc)
    assert set(specs) == {"by_service", "by_harm", "timeline", "amounts"}
    services = specs["by_service"]["data"]["values"]
    assert {row["label"] for row in services} >= {"카카오톡"}
    written = write_pngs(specs, tmp_path)
    assert [p.name for p in written] == [f"{name}.png" for name in specs]
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
