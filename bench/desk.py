"""The operators' desk over many cases: exports, the report and case-list pages.

Run: ``python -m bench.desk [--quick] [--cases N] [--postgres URL]``. 2,000 distinct claimants'
interviews are answered through the real engine (``bot.desk.seeding``), then N cases cycling
through those answers are bulk-loaded (as ``bench.aggregate`` does: COPY / executemany; not a
product path) with their report rows, and the running counts rebuilt. Then, each in its own
subprocess so that its peak RSS is its own: a bare streaming SELECT of the exported rows (the
baseline), CSV, Parquet, JSON Lines and XLSX exports; the report as JSON and as HTML; one
filtered ``cases list`` page.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.hotpath import ADMIN_URL, throwaway_postgres
from flows import Interview, LoadedFlow, load_flows

FLOW_ID = "kakao-outage-2022"
DISTINCT = 2_000
CHUNK = 20_000


def _answers(loaded: LoadedFlow, rng_seed: int = 2022) -> list[Any]:
    from bot.desk.seeding import CaseDrawer, converse

    interview = Interview(loaded)
    drawer = CaseDrawer(rng_seed)
    rng = random.Random(rng_seed)
    states = []
    for n in range(DISTINCT):
        user, plan, _ = drawer.plan(n)
        plan["user"] = user
        states.append(converse(interview, plan, rng, "ko"))
    return states


def load(url: str, loaded: LoadedFlow, total: int) -> float:
    """Bulk-load ``total`` cases; returns seconds (load + rebuilding the running counts)."""
    from storage import Store, upgrade
    from storage.filing import file_case

    upgrade(url)
    started = time.perf_counter()
    states = _answers(loaded)
    rng = random.Random(7)
    statuses = ["received"] * 95 + ["reviewed"] * 2 + ["duplicate"] * 2 + ["unrelated"]
    case_cols = ("id", "reference", "flow_id", "flow_version", "channel", "user_key",
                 "submitted_at", "incident_day", "amount_total", "status", "answers", "notes")  # fmt: skip
    dim_cols = ("case_id", "flow_id", "name", "value", "amount", "day", "counted")
    cross_cols = ("case_id", "flow_id", "a_name", "a_value", "b_name", "b_value", "day", "counted")
    first = dt.datetime(2022, 10, 19, tzinfo=dt.UTC)
    filings: dict[int, Any] = {}  # per distinct state, when the submission time does not matter

    def filing_of(index: int, at: dt.datetime) -> Any:
        cached = filings.get(index)
        if cached is not None:
            return cached
        filing = file_case(loaded.flow, states[index], at)
        if filing == file_case(loaded.flow, states[index], at + dt.timedelta(days=3)):
            filings[index] = filing
        return filing

    with Store(url, sqlite_synchronous="NORMAL") as store:
        store.publish_flow(loaded)
        raw = store.engine.raw_connection()
        sqlite = store.engine.dialect.name == "sqlite"
        try:
            cursor = raw.cursor()
            if sqlite:
                cursor.execute("PRAGMA foreign_keys=OFF")
            else:
                cursor.execute("SET session_replication_role = replica")
            for start in range(1, total + 1, CHUNK):
                cases, dims, crosses = [], [], []
                for case_id in range(start, min(start + CHUNK, total + 1)):
                    state = states[case_id % DISTINCT]
                    at = first + dt.timedelta(seconds=int(19 * 86400 * rng.random() ** 2))
                    filing = filing_of(case_id % DISTINCT, at)
                    status = rng.choice(statuses)
                    counted = status in {"received", "reviewed"}
                    day = filing.incident_day
                    ref = f"KKO-{at:%y%m%d}-{case_id:06d}"
                    cases.append((case_id, ref, FLOW_ID, loaded.version, "bench", f"u{case_id}",
                                  at, day, filing.amount_total, status,
                                  json.dumps(state.answers, ensure_ascii=False), "{}"))  # fmt: skip
                    dims += [(case_id, FLOW_ID, d.name, d.value, d.amount, day, counted)
                             for d in filing.dimensions]  # fmt: skip
                    crosses += [(case_id, FLOW_ID, c.a_name, c.a_value, c.b_name, c.b_value, day,
                                 counted) for c in filing.crossings]  # fmt: skip
                for table, cols, rows in (("cases", case_cols, cases),
                                          ("case_dimensions", dim_cols, dims),
                                          ("case_crossings", cross_cols, crosses)):  # fmt: skip
                    if sqlite:
                        marks = ", ".join("?" * len(cols))
                        plain = [tuple(_sqlite_value(v) for v in row) for row in rows]
                        cursor.executemany(
                            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", plain
                        )
                    else:
                        with cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                            for row in rows:
                                copy.write_row(row)
                raw.commit()
            if not sqlite:
                cursor.execute(f"SELECT setval('cases_id_seq', {total})")
                raw.commit()
        finally:
            raw.close()
        store.rebuild_report(FLOW_ID, actor="bench")
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            from sqlalchemy import text

            conn.execute(text("ANALYZE" if sqlite else "VACUUM ANALYZE"))
    return time.perf_counter() - started


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(" ").split("+")[0]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# -- one measurement, in a subprocess of its own -------------------------------------------


def measure_one(url: str, what: str, out: str) -> dict[str, Any]:
    from bot.desk import Desk
    from storage import Store
    from storage.export_rows import ExportQuery, select_cases

    loaded = load_flows()[FLOW_ID]
    flows = {FLOW_ID: loaded.flow}
    rows = 0
    with Store(url) as store:  # opening checks the schema: not part of what is measured
        started = time.perf_counter()
        if what == "select":
            with store.engine.connect() as conn:
                result = conn.execution_options(stream_results=True, yield_per=2000).execute(
                    select_cases(ExportQuery(FLOW_ID))
                )
                for _ in result:
                    rows += 1
        elif what in {"csv", "parquet", "jsonl", "xlsx"}:
            desk = Desk(store, flows, Path(out).parent)
            job = desk.export_now(ExportQuery(FLOW_ID), format=what, path=Path(out), masked=True,
                                  actor="bench")  # fmt: skip
            rows = job.rows_done
        elif what in {"report-json", "report-html"}:
            from bot.desk.report_document import build_report
            from bot.desk.report_html import render_html

            doc = build_report(store, loaded.flow)
            text = (
                json.dumps(doc, ensure_ascii=False) if what == "report-json" else render_html(doc)
            )
            Path(out).write_text(text, encoding="utf-8")
            rows = doc["totals"]["filed"]
        elif what == "cases-list":
            from storage.case_lists import CaseFilter

            where = CaseFilter(FLOW_ID, ("received",), values=(("service", "kakaotalk"),))
            times = []
            after = None
            for _ in range(10):
                t = time.perf_counter()
                page = store.operators.list_cases(where, after=after, limit=50)
                times.append(time.perf_counter() - t)
                after = page.next_after
            rows = 50
            return {"seconds": statistics.median(times), "rows": rows, "rss_mb": _rss()}
    if what == "cases-page":
        return _cases_page(url)
    return {"seconds": time.perf_counter() - started, "rows": rows, "rss_mb": _rss()}


CASES_PAGES = {
    "first page": "/cases",
    "filtered: received, KakaoTalk": "/cases?status=received&service=kakaotalk",
    "filtered: 3 days, harm, status": (
        "/cases?status=received&harm=money_lost&since=2022-10-20&until=2022-10-22"
    ),
    "deep: after case 900,000": "/cases?after=900000",
    "one reference searched": "/cases?q={reference}",
}


def _cases_page(url: str) -> dict[str, Any]:
    """The console's cases page as an operator gets it: the app in process, signed in."""
    from storage.accounts import AccountExists
    from storage.case_lists import CASES
    from tests.web.conftest import PASSWORD, client_for, make_console, sign_in

    console = make_console(url)
    try:
        with contextlib.suppress(AccountExists):  # a kept database (--keep) from an earlier run
            console.accounts.add("bench-operator", "operator", PASSWORD, actor="bench")
        client = client_for(console)
        assert sign_in(client, "bench-operator").status_code == 303
        with console.store.engine.connect() as conn:
            from sqlalchemy import func, select

            deep = conn.execute(select(func.max(CASES.c.id))).scalar() or 1
            reference = conn.execute(
                select(CASES.c.reference).where(CASES.c.id == max(deep - 1000, 1))
            ).scalar()
        pages: dict[str, Any] = {}
        for name, path in CASES_PAGES.items():
            path = path.format(reference=reference)
            times = []
            for _ in range(7):
                t = time.perf_counter()
                got = client.get(path)
                times.append(time.perf_counter() - t)
                assert got.status_code == 200, (path, got.status_code)
            rows = got.text.count('<a href="/cases/')
            pages[name] = {"ms": statistics.median(times) * 1000, "rows": rows}
    finally:
        console.store.close()
    return {"pages": pages, "rss_mb": _rss()}


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_subprocess(url: str, what: str, out: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.desk", "--one", what, "--url", url, "--out", str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _loaded_already(url: str, total: int) -> bool:
    from sqlalchemy import create_engine, func, select

    from storage.case_lists import CASES

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(select(func.count()).select_from(CASES)).scalar() == total)
    except Exception:  # no such table yet: a new database
        return False
    finally:
        engine.dispose()


def measure(
    name: str, url: str, loaded: LoadedFlow, total: int, folder: Path, skip: set[str]
) -> None:
    if _loaded_already(url, total):
        print(f"\n{name}: {total:,} cases already loaded (--keep), not loaded again", flush=True)
    else:
        seconds = load(url, loaded, total)
        print(f"\n{name}: {total:,} cases bulk-loaded (2,000 engine-answered interviews, cycled) "
              f"and counted in {seconds:.0f} s", flush=True)  # fmt: skip
    base = in_subprocess(url, "select", folder / "none")
    print(f"  baseline streaming SELECT: {base['rows'] / base['seconds']:,.0f} rows/s "
          f"({base['seconds']:.1f} s, peak RSS {base['rss_mb']:.0f} MB)", flush=True)  # fmt: skip
    for what, suffix in (
        ("csv", "csv"),
        ("parquet", "parquet"),
        ("jsonl", "jsonl"),
        ("xlsx", "xlsx"),
    ):
        if what in skip:
            continue
        got = in_subprocess(url, what, folder / f"cases.{suffix}")
        rate = got["rows"] / got["seconds"]
        ratio = got["seconds"] / base["seconds"]
        size = (folder / f"cases.{suffix}").stat().st_size / 1e6
        print(f"  {what:8s} {got['seconds']:7.1f} s  {rate:9,.0f} rows/s  {ratio:4.1f}x the SELECT  "
              f"peak RSS {got['rss_mb']:.0f} MB  file {size:,.0f} MB", flush=True)  # fmt: skip
    for what in ("report-json", "report-html"):
        if what in skip:
            continue
        got = in_subprocess(url, what, folder / f"{what}.out")
        print(
            f"  {what:12s} {got['seconds'] * 1000:,.0f} ms (peak RSS {got['rss_mb']:.0f} MB)",
            flush=True,
        )
    got = in_subprocess(url, "cases-list", folder / "none")
    print(f"  cases list page (received, service=kakaotalk, 50 a page): median "
          f"{got['seconds'] * 1000:,.1f} ms", flush=True)  # fmt: skip
    got = in_subprocess(url, "cases-page", folder / "none")
    for name, page in got["pages"].items():
        print(f"  console /cases, {name}: median {page['ms']:,.1f} ms ({page['rows']} rows)",
              flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run (20,000 cases)")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=ADMIN_URL, help="server to create a database on")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument(
        "--keep",
        metavar="FOLDER",
        help="keep the loaded databases (SQLite in FOLDER, PostgreSQL as complaintbot_desk_N) "
        "and reuse them on the next run instead of loading again",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="measurements to leave out, comma-separated: csv,parquet,jsonl,xlsx,report-json,"
        "report-html",
    )
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.url, args.one, args.out)))
        return
    total = 20_000 if args.quick else args.cases
    loaded = load_flows()[FLOW_ID]
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        kept = Path(args.keep) if args.keep else folder
        kept.mkdir(parents=True, exist_ok=True)
        if args.only in (None, "sqlite"):
            measure("sqlite", f"sqlite:///{kept}/desk-{total}.db", loaded, total, folder, skip)
        if args.only in (None, "postgresql"):
            if args.keep:
                url = kept_postgres(args.postgres, f"complaintbot_desk_{total}")
                if url is not None:
                    measure("postgresql", url, loaded, total, folder, skip)
            else:
                with throwaway_postgres(args.postgres) as url:
                    if url is not None:
                        measure("postgresql", url, loaded, total, folder, skip)


def kept_postgres(admin_url: str, name: str) -> str | None:
    """A PostgreSQL database kept between runs (created when missing); None if unreachable."""
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if found.scalar() is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: say so and measure SQLite only
        print(f"PostgreSQL skipped: {exc!s:.120}")
        return None
    finally:
        admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


if __name__ == "__main__":
    main()
