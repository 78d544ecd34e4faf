"""The retention purge over 1,000,000 cases: Store.purge() against a bare rewrite of each case.

Run: ``python -m bench.purge [--quick] [--cases N] [--postgres URL] [--sqlite-only]``. Cases of
the default flow, filed four years ago (past its longest keeping of three years) with personal
answers (a description, a phone number, a business number), a finished conversation each and
an evidence photo for one in three, are bulk-loaded into a throwaway database (a seeding
helper of this benchmark, not a product path). Then the purge runs as the daily job runs it,
batch by batch with progress. Baseline in the same run: a bare Core ``UPDATE cases SET
answers = :kept WHERE id = :id`` over the same number of cases in the same batches, the least
any purge must write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, bindparam, insert, update

from bench.hotpath import ADMIN_URL, throwaway_postgres
from flows import LoadedFlow, load_flows
from storage import Store, upgrade
from storage.tables import AttachmentRow, CaseRow, ConversationRow

FLOW_ID = "kakao-outage-2022"
FILED = dt.datetime.now(dt.UTC) - dt.timedelta(days=4 * 366)
CHUNK = 20_000
CASES = CaseRow.__table__
CONVERSATIONS = ConversationRow.__table__
ATTACHMENTS = AttachmentRow.__table__


def seed(engine: Engine, loaded: LoadedFlow, count: int, seed_value: int = 16) -> None:
    """``count`` filed cases with conversations and attachments, by executemany in chunks."""
    rng = random.Random(seed_value)
    started = time.perf_counter()
    for first in range(1, count + 1, CHUNK):
        last = min(first + CHUNK, count + 1)
        talks, cases, files = _chunk(loaded, rng, range(first, last))
        with engine.begin() as conn:
            conn.execute(insert(CONVERSATIONS), talks)
            conn.execute(insert(CASES), cases)
            if files:
                conn.execute(insert(ATTACHMENTS), files)
        done = last - 1
        if done % (CHUNK * 10) == 0 or done == count:
            print(f"  seeded {done:,} cases ({time.perf_counter() - started:.0f} s)", flush=True)


def _chunk(
    loaded: LoadedFlow, rng: random.Random, ids: range
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    talks, cases, files = [], [], []
    state = json.dumps(
        {"flow_id": FLOW_ID, "flow_version": loaded.version, "language": "ko", "step": "done",
         "status": "finished", "submit": True}
    )  # fmt: skip
    for n in ids:
        user = str(100_000_000 + n)
        talks.append({"id": n, "channel": "telegram", "user_key": user, "flow_id": FLOW_ID,
                      "flow_version": loaded.version, "language": "ko", "status": "finished",
                      "step": "done", "state": state, "version": 20, "created_at": FILED,
                      "updated_at": FILED})  # fmt: skip
        answers = _answers(rng, n)
        cases.append({"id": n, "reference": f"KKO-{FILED:%y%m%d}-{n:06d}", "flow_id": FLOW_ID,
                      "flow_version": loaded.version, "channel": "telegram", "user_key": user,
                      "conversation_id": n, "submitted_at": FILED, "incident_day": FILED.date(),
                      "amount_total": answers["money_lost_amount"], "status": "received",
                      "answers": answers, "notes": {}})  # fmt: skip
        if n % 3 == 0:
            files.append({"case_id": n, "file_id": f"AgACAgUAAxkBAAI{n:012d}photo",
                          "kind": "photo", "size": 120_000, "mime_type": "image/jpeg"})  # fmt: skip
    return talks, cases, files


def _answers(rng: random.Random, n: int) -> dict[str, Any]:
    return {
        "language": "ko",
        "consent": "agree",
        "services": rng.sample(["kakaotalk", "kakao_t", "kakaopay", "kakao_map"], 2),
        "paid": rng.choice(["paid", "free"]),
        "claimant": "small_business",
        "business_number": "1248100998",
        "harms": ["money_lost"],
        "money_lost_amount": rng.randrange(10_000, 500_000, 1000),
        "started_at": "2022-10-15T16:00+09:00",
        "description": f"결제가 되지 않아 손님들이 돌아갔습니다. 사례 {n}",
        "contact_phone": f"+8210{n:08d}",
    }


def bare_rewrite(engine: Engine, count: int, batch: int) -> float:
    """Seconds to rewrite every case's answers once, batch by batch: the floor of a purge."""
    statement = (
        update(CASES).where(CASES.c.id == bindparam("case_id")).values(answers=bindparam("kept"))
    )
    kept = {"consent": "agree", "claimant": "small_business", "harms": ["money_lost"]}
    started = time.perf_counter()
    for first in range(1, count + 1, batch):
        rows = [{"case_id": i, "kept": kept} for i in range(first, min(first + batch, count + 1))]
        with engine.begin() as conn:
            conn.execute(statement, rows)
    return time.perf_counter() - started


def run(name: str, url: str, count: int) -> tuple[str, float, float, float]:
    upgrade(url)
    loaded = load_flows()[FLOW_ID]
    with Store(url) as store:
        store.publish_flow(loaded)
        started = time.perf_counter()
        seed(store.engine, loaded, count)
        seeded = time.perf_counter() - started
        baseline = bare_rewrite(store.engine, count, 1000)

        def progress(done: int, total: int) -> None:
            if done % (total // 10 or 1) < 1000 or done == total:
                print(f"  purged {done:,}/{total:,}", flush=True)

        started = time.perf_counter()
        report = store.run_daily_purge("bench", progress=progress)
        took = time.perf_counter() - started
        assert report is not None and report.cases == count, report
        assert report.attachments == count // 3 and report.interviews == 0
    return name, seeded, baseline, took


def _urls(args: argparse.Namespace, tmp: str) -> Iterator[tuple[str, str]]:
    yield "sqlite WAL FULL", f"sqlite:///{tmp}/purge.db"
    if args.sqlite_only:
        return
    with throwaway_postgres(args.postgres) as url:
        if url is not None:
            yield "postgresql", url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 cases")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=ADMIN_URL, help="server to create a database on")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    count = 10_000 if args.quick else args.cases
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in _urls(args, tmp):
            print(f"{name}: {count:,} cases", flush=True)
            rows.append(run(name, url, count))
    print(
        f"\n{'database':<18}{'seed s':>9}{'bare s':>9}{'purge s':>9}{'cases/s':>10}{'purge÷bare':>12}"
    )
    for name, seeded, baseline, took in rows:
        print(
            f"{name:<18}{seeded:>9.1f}{baseline:>9.1f}{took:>9.1f}{count / took:>10,.0f}"
            f"{took / baseline:>11.2f}x"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
