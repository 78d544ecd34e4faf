"""Surge: whole interviews through the real bot under load, against two baselines, one run.

Run: ``./dev bench surge`` or ``python -m bench surge [--quick] [--kakao N [--kakao-only]
[--kakao-concurrency C]]``.

Simulated claimants (``bot.rehearsal.claimants``, shared with ``complaintbot rehearse``)
complete the default interview through the real python-telegram-bot ``Application`` built by
``bot.telegram.build_application``, behind the real webhook endpoint over HTTP (and
separately straight into ``process_fully`` / ``process_update``), the Bot API answered in
process (``bot.rehearsal.bot_api``), on SQLite and on PostgreSQL; closed loop at two
concurrencies, and open loop at a fixed offered rate. The same claimants run against (a) the
framework floor, a PTB app that only replies "ok", and (b) a hand-written ``ConversationHandler`` + ``PicklePersistence`` bot (``surge_baselines``), and
against the project with PTB's ``AIORateLimiter`` defaults (what the bot used before: every
call naming a chat queued behind 30 calls/s). Each run is a fresh process (``surge_run``).
After each run, every completed interview must have exactly one case holding the claimant's
own answers. ``--kakao N`` replays N claimants through the webhook on both databases and
the hand-written bot, and extrapolates to the 105,116 reports of the 2022 outage.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict
from typing import Any

from bench.surge_run import Spec

ADMIN_URL = os.environ.get(
    "COMPLAINTBOT_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
KAKAO_REPORTS = 105_116
Row = dict[str, Any]


def run(spec: Spec) -> Row:
    """One run in a fresh process; its figures."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.surge_run", json.dumps(asdict(spec))],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"run failed: {spec}\n{out.stderr[-3000:]}")
    row = json.loads(out.stdout.strip().splitlines()[-1])
    label = (
        f"{spec.bot:<13} {spec.db if spec.bot.startswith('project') else '-':<10} {spec.path:<8}"
    )
    load = f"open 1/{spec.every}s" if spec.every else f"c={spec.concurrency}"
    print(
        f"{label} {load:<11} {row['updates_per_s']:8.1f} upd/s {row['interviews_per_s']:7.2f} int/s "
        f"p50 {row['p50_ms']:7.1f} p99 {row['p99_ms']:8.1f} ms  cpu {row['cpu_ms_per_update']:5.2f} "
        f"ms/upd  calls/int {row['chat_calls_per_interview']:4.1f} "
        f"req/int {row['requests_per_interview']:4.1f}  rss {row['peak_rss_mb']:5.0f} MB  "
        f"{row['check']}",
        flush=True,
    )
    return row


def postgres_reachable(admin_url: str) -> bool:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin_url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # no server here: SQLite only
        return False
    finally:
        engine.dispose()


def matrix(quick: bool, databases: list[str], admin_url: str) -> list[Row]:
    concurrencies = (2,) if quick else (64, 512)
    rows: list[Row] = []

    def claimants(concurrency: int) -> int:
        """One round: every claimant starts at once (512: 7,168 updates)."""
        return concurrency

    for concurrency in concurrencies:
        for path in ("webhook", "direct"):
            n = claimants(concurrency)
            for bot in ("floor", "handwritten"):
                rows.append(run(Spec(bot, "-", path, n, concurrency)))
            for db in databases:
                rows.append(run(Spec("project", db, path, n, concurrency, admin_url=admin_url)))
    before_concurrency = concurrencies[0]
    for db in databases:
        n = claimants(before_concurrency)
        rows.append(
            run(Spec("project-aiorl", db, "webhook", n, before_concurrency, admin_url=admin_url))
        )
    # Open loop: a new claimant every 0.7 s, 1 s between a reply and the next update:
    # about 20 updates/s offered, well below capacity.
    count, every = (3, 0.1) if quick else (60, 0.7)
    for db in databases:
        rows.append(
            run(Spec("project", db, "webhook", count, every=every, think=1.0, admin_url=admin_url))
        )
    return rows


def _find(rows: list[Row], **want: Any) -> Row | None:
    for row in rows:
        spec = row["spec"]
        if all(spec.get(k) == v for k, v in want.items()):
            return row
    return None


def ratios(rows: list[Row]) -> list[str]:
    lines = ["", "ratios (project / baseline, same path and concurrency, same run):"]
    for row in rows:
        spec = row["spec"]
        if spec["bot"] != "project" or spec["every"] is not None:
            continue
        same = {"path": spec["path"], "concurrency": spec["concurrency"], "every": None}
        floor = _find(rows, bot="floor", **same)
        hand = _find(rows, bot="handwritten", **same)
        if floor is None or hand is None:
            continue
        lines.append(
            f"  {spec['db']:<10} {spec['path']:<8} c={spec['concurrency']:<4} "
            f"updates/s {row['updates_per_s'] / floor['updates_per_s']:.2f}x floor (target >= 0.5), "
            f"interviews/s {row['interviews_per_s'] / hand['interviews_per_s']:.2f}x hand-written "
            f"(target >= 1.0), p99 {row['p99_ms'] / floor['p99_ms']:.2f}x floor (target <= 2)"
        )
    for row in rows:
        spec = row["spec"]
        if spec["bot"] == "project-aiorl":
            after = _find(
                rows,
                bot="project",
                db=spec["db"],
                path="webhook",
                concurrency=spec["concurrency"],
                every=None,
            )
            if after:
                lines.append(
                    f"  before/after the pacer ({spec['db']}, webhook, c={spec['concurrency']}): "
                    f"{row['interviews_per_s']:.2f} -> {after['interviews_per_s']:.2f} interviews/s "
                    f"({after['interviews_per_s'] / row['interviews_per_s']:.1f}x), p50 "
                    f"{row['p50_ms']:.0f} -> {after['p50_ms']:.0f} ms"
                )
        if spec["every"] is not None:
            lines.append(
                f"  open loop {spec['db']}: offered {row['updates_per_s']:.1f} updates/s, p99 "
                f"{row['p99_ms']:.1f} ms (target < 100 ms)"
            )
    return lines


def kakao(
    n: int, databases: list[str], admin_url: str, concurrency: int = 64
) -> tuple[list[str], list[Row]]:
    rows: list[Row] = []
    lines = ["", f"Kakao replay: {n} claimants through the webhook, {concurrency} at once:"]
    # The hand-written bot between the two databases, so that a change of load over the
    # hours of a replay falls on both sides of the comparison.
    order = [("project", databases[0]), ("handwritten", "-")]
    order += [("project", db) for db in databases[1:]]
    for bot, db in order:
        row = run(Spec(bot, db, "webhook", n, concurrency, admin_url=admin_url))
        rows.append(row)
        hours = KAKAO_REPORTS * row["seconds"] / max(row["interviews"], 1) / 3600
        lines.append(
            f"  {bot:<12} {db:<10} {row['interviews']} interviews in {row['seconds']:.0f} s; "
            f"all {KAKAO_REPORTS:,}: {hours:.1f} h; {row['check']}"
        )
    return lines, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--kakao", type=int, default=0, help="also replay N claimants")
    parser.add_argument(
        "--kakao-concurrency", type=int, default=64, help="claimants at once in the replay"
    )
    parser.add_argument(
        "--kakao-only", action="store_true", help="the replay alone, without the matrix"
    )
    parser.add_argument("--postgres", default=ADMIN_URL, help="server to create databases on")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    databases = ["sqlite"]
    if not args.sqlite_only and postgres_reachable(args.postgres):
        databases.append("postgresql")
    print(f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}")
    rows = [] if args.kakao_only else matrix(args.quick, databases, args.postgres)
    if rows:
        print("\n".join(ratios(rows)), flush=True)
    if args.kakao:
        lines, replayed = kakao(args.kakao, databases, args.postgres, args.kakao_concurrency)
        print("\n".join(lines), flush=True)
        rows += replayed  # a replay that fails its check fails the run too
    failed = [row for row in rows if not row["check"].startswith("ok")]
    if failed:
        raise SystemExit(f"{len(failed)} run(s) failed their check")


if __name__ == "__main__":
    main()
