"""The report over 1,000,000 cases: Store.aggregate() timed against a bare COUNT(*).

Run: ``python -m bench.aggregate [--quick] [--cases N] [--postgres URL]``. Cases and their
report rows are drawn at random (fixed seed) from the default flow's declared dimensions
and crossings, bulk-loaded into a throwaway SQLite file and PostgreSQL database (the report
indexes are built after the load, as any bulk load would), then ``aggregate()`` (status
totals, counts per day, per dimension value and day, every crossing per day, sums of
amounts) is timed: from the running counts (what operators get) and by a full recount of
the rows (``recount()``). Target: under 1 s on both databases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Index, text

from bench.hotpath import ADMIN_URL, throwaway_postgres
from flows import LoadedFlow, load_flows
from storage import Store, upgrade
from storage.tables import CaseCrossingRow, CaseDimensionRow, CaseRow

FLOW_ID = "kakao-outage-2022"
FIRST_DAY = dt.date(2022, 10, 15)
DAYS = [FIRST_DAY + dt.timedelta(days=n) for n in range(23)]
DAY_WEIGHTS = [1 / (1 + n / 3) for n in range(len(DAYS))]  # most reports in the first days
STATUSES = ["received"] * 96 + ["reviewed"] + ["duplicate"] * 2 + ["unrelated"]
CHUNK = 50_000
BULK_INDEXES = ("ix_case_dimensions_report", "ix_case_crossings_report", "ix_cases_report")

CASE_COLUMNS = (
    "id, reference, flow_id, flow_version, channel, user_key, submitted_at, incident_day, "
    "amount_total, status, answers, notes"
)
DIM_COLUMNS = "case_id, flow_id, name, value, amount, day, counted"
CROSS_COLUMNS = "case_id, flow_id, a_name, a_value, b_name, b_value, day, counted"


@dataclass
class Batch:
    cases: list[tuple[Any, ...]]
    dimensions: list[tuple[Any, ...]]
    crossings: list[tuple[Any, ...]]


def _holds(step: Any) -> str:
    """What a dimension's step holds, as its kind declares: "one" or "many" options, "money",
    another "amount", or a "day"."""
    if step.report_kind == "category" and step.offered_options:
        return "many" if step.widget == "choose_many" else "one"
    if step.report_kind == "amount":
        return "money" if step.counts_as_money else "amount"
    return "day"


class CaseDrawer:
    """Random cases shaped by a flow's declarations: its options, amounts and crossings."""

    def __init__(self, loaded: LoadedFlow, seed: int = 2022) -> None:
        self.flow, self.version = loaded.flow, loaded.version
        self.rng = random.Random(seed)
        self.dims: list[tuple[str, str, list[str]]] = []  # (name, what it holds, options)
        for name, field in self.flow.dimensions().items():
            step = self.flow.step(self.flow.step_of_field(field))
            self.dims.append((name, _holds(step), [o.value for o in step.offered_options]))

    def _values(self, holds: str, options: list[str], day: dt.date) -> list[tuple[Any, Any]]:
        """(value, amount) rows of one dimension of one case."""
        rng = self.rng
        if holds == "one":
            return [(rng.choice(options), None)]
        if holds == "many":
            k = rng.choices((1, 2, 3), (60, 30, 10))[0]
            return [(v, None) for v in rng.sample(options, min(k, len(options)))]
        if holds in {"money", "amount"}:
            return [(None, rng.randrange(1_000, 2_000_000, 1_000) if rng.random() < 0.3 else None)]
        return [(day.isoformat(), None)]

    def batch(self, first_id: int, count: int) -> Batch:
        out = Batch([], [], [])
        flow_id, rng = self.flow.id, self.rng
        for case_id in range(first_id, first_id + count):
            day = rng.choices(DAYS, DAY_WEIGHTS)[0]
            status = rng.choice(STATUSES)
            counted = status in {"received", "reviewed"}
            values = {name: self._values(holds, opts, day) for name, holds, opts in self.dims}
            money = sum(
                a or 0 for name, holds, _ in self.dims if holds == "money" for _, a in values[name]
            )
            submitted = dt.datetime.combine(day, dt.time(12), dt.UTC)
            ref = f"{self.flow.case_prefix}-{day:%y%m%d}-{case_id:06d}"
            out.cases.append((case_id, ref, flow_id, self.version, "bench", f"u{case_id}",
                              submitted, day, money, status, "{}", "{}"))  # fmt: skip
            for name, rows in values.items():
                out.dimensions += [(case_id, flow_id, name, v, a, day, counted) for v, a in rows]
            for a, b in self.flow.crossings:
                for (av, _), (bv, _) in itertools.product(values[a], values[b]):
                    out.crossings.append((case_id, flow_id, a, av, b, bv, day, counted))
        return out


def batches(drawer: CaseDrawer, total: int) -> Iterator[Batch]:
    for first in range(1, total + 1, CHUNK):
        yield drawer.batch(first, min(CHUNK, total + 1 - first))


def _report_indexes() -> list[Index]:
    tables = (CaseRow.__table__, CaseDimensionRow.__table__, CaseCrossingRow.__table__)
    return [ix for t in tables for ix in t.indexes if ix.name in BULK_INDEXES]


def seed_sqlite(engine: Engine, drawer: CaseDrawer, total: int) -> None:
    def sql(table: str, columns: str) -> str:
        marks = ", ".join("?" * len(columns.split(",")))
        return f"INSERT INTO {table} ({columns}) VALUES ({marks})"

    def plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            v.isoformat(" ").split("+")[0] if isinstance(v, dt.datetime)
            else v.isoformat() if isinstance(v, dt.date) else v
            for v in row
        )  # fmt: skip

    raw = engine.raw_connection()
    try:
        raw.execute("PRAGMA foreign_keys=OFF")  # rows are consistent by construction
        raw.execute("PRAGMA cache_size=-500000")
        for batch in batches(drawer, total):
            raw.execute("BEGIN")
            raw.executemany(sql("cases", CASE_COLUMNS), map(plain, batch.cases))
            raw.executemany(sql("case_dimensions", DIM_COLUMNS), map(plain, batch.dimensions))
            raw.executemany(sql("case_crossings", CROSS_COLUMNS), map(plain, batch.crossings))
            raw.execute("COMMIT")
    finally:
        raw.close()


def seed_postgres(engine: Engine, drawer: CaseDrawer, total: int) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET session_replication_role = replica")  # no FK triggers in bulk
        for batch in batches(drawer, total):
            for table, columns, rows in (
                ("cases", CASE_COLUMNS, batch.cases),
                ("case_dimensions", DIM_COLUMNS, batch.dimensions),
                ("case_crossings", CROSS_COLUMNS, batch.crossings),
            ):
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            raw.commit()
        cursor.execute(f"SELECT setval('cases_id_seq', {total})")
        raw.commit()
    finally:
        raw.close()


def load(url: str, loaded: LoadedFlow, total: int) -> tuple[float, float]:
    """Create the schema, bulk-load ``total`` cases, build the report indexes, then count the
    cells from the rows; returns the seconds each took."""
    upgrade(url)
    started = time.perf_counter()
    with Store(url, sqlite_synchronous="NORMAL") as store:
        store.publish_flow(loaded)
        engine = store.engine
        with engine.begin() as conn:
            for index in _report_indexes():
                index.drop(conn)
        drawer = CaseDrawer(loaded)
        if engine.dialect.name == "sqlite":
            seed_sqlite(engine, drawer, total)
        else:
            seed_postgres(engine, drawer, total)
        with engine.begin() as conn:
            for index in _report_indexes():
                index.create(conn)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(
                text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
            )
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        store.rebuild_report(FLOW_ID, actor="bench")
    return seeded, time.perf_counter() - started


def timed(action: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:,.1f} ms (min {min(seconds) * 1000:,.1f})"


def measure(name: str, url: str, loaded: LoadedFlow, total: int, repeats: int) -> None:
    seeded, rebuilt = load(url, loaded, total)
    with Store(url) as store:
        report = store.aggregate(FLOW_ID)
        assert report == store.recount(FLOW_ID), "running counts differ from the rows"
        with store.engine.connect() as conn:
            rows = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                    for t in ("cases", "case_dimensions", "case_crossings")}  # fmt: skip

        def count_all(table: str) -> None:
            with store.engine.connect() as conn:
                conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()

        agg = timed(lambda: store.aggregate(FLOW_ID), repeats)
        scan = timed(lambda: store.recount(FLOW_ID), max(repeats // 2, 1))
        bare = {t: statistics.median(timed(lambda t=t: count_all(t), repeats)) for t in rows}
    cells = sum(len(v) for v in report.crossings.values())
    print(f"\n{name}: {', '.join(f'{t} {n:,}' for t, n in rows.items())} rows")
    print(
        f"  bulk load {seeded:.0f} s, then counting the report cells from the rows {rebuilt:.1f} s"
    )
    print(f"  aggregate() from the running counts: {ms(agg)}")
    print(f"  recount() scanning every case row:   {ms(scan)}")
    print("  baseline COUNT(*): " + ", ".join(f"{t} {s * 1000:,.0f} ms" for t, s in bare.items()))
    print(
        f"  ({report.counted:,} counted cases, {cells:,} crossing cells, by_status {report.by_status})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run (20,000 cases)")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=ADMIN_URL, help="server to create a database on")
    args = parser.parse_args()
    total, repeats = (20_000, 2) if args.quick else (args.cases, 5)
    loaded = load_flows()[FLOW_ID]
    with tempfile.TemporaryDirectory() as tmp:
        measure("sqlite", f"sqlite:///{tmp}/aggregate.db", loaded, total, repeats)
    with throwaway_postgres(args.postgres) as url:
        if url is not None:
            measure("postgresql", url, loaded, total, repeats)


if __name__ == "__main__":
    main()
