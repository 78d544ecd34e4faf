"""Hot path: Store.apply answers/s against a bare Core ``UPDATE one row; COMMIT`` loop.

Run: ``python -m bench.hotpath [--quick] [--postgres URL]``. Each database is measured in a
throwaway file or database: SQLite WAL with synchronous FULL and NORMAL, and PostgreSQL.
``apply`` is the whole transaction a channel runs per message (processed-update insert, load,
engine step, versioned update, reminder upsert, commit); the engine step here is trivial so
the figure is storage's own cost. Target: apply within 3x of the bare loop.

Encryption at rest: the same apply with three personal answers in the state (a 200-character
story, a phone number, an uploaded file), without a key and with PII_ENCRYPTION_KEY, on the
same database; the ratio is the cost of AES-GCM on the hot path.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import count

from sqlalchemy import Engine, bindparam, create_engine, text, update
from sqlalchemy.engine import make_url

from flows import Conversation, Outcome, TypedText, parse_flow
from storage import Store, upgrade
from storage.tables import ConversationRow

ADMIN_URL = os.environ.get(
    "COMPLAINTBOT_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
USERS = 200
THREADS = 8

FLOW = parse_flow(
    """\
id: bench
title: {ko: 벤치}
languages: [ko]
default_language: ko
start: ask
steps:
  ask:
    kind: number
    field: n
    text: {ko: 숫자}
    next:
      - {when: {field: n, equals: 0}, goto: story}
      - {goto: ask}
  story:
    kind: text
    field: story
    text: {ko: 사연}
    next: phone
  phone:
    kind: phone
    field: phone
    text: {ko: 전화}
    next: evidence
  evidence:
    kind: file
    field: evidence
    text: {ko: 증빙}
    next: done
  done:
    kind: end
    submit: false
    text: {ko: 끝}
""",
    "bench.yaml",
)
PROMPT = TypedText(step="ask", kind="number", text="숫자", language="ko", turn=0)


def trivial_step(state: Conversation | None) -> Outcome:
    """The cheapest engine step that changes the state: one more turn."""
    if state is None:
        state = Conversation(flow_id="bench", flow_version=FLOW.version, language="ko", step="ask")
    changed = state.model_copy(update={"turn": state.turn + 1, "answers": {"n": state.turn}})
    return Outcome(state=changed, prompt=PROMPT, result="next")


PERSONAL = {
    "story": "카카오톡이 멈춰서 예약 손님 연락을 받지 못했고 그날 매출이 크게 줄었습니다. " * 4,
    "phone": "+821012345678",
    "evidence": [
        {"file_id": "AgACAgUAAxkBAAIBZ2VhY2xhc3NpY2ZpbGVpZGxvb2tzbGlrZXRoaXM", "kind": "photo"}
    ],
}


def personal_step(state: Conversation | None) -> Outcome:
    """The trivial step with three personal answers in the state, as late in an interview."""
    outcome = trivial_step(state)
    answers = outcome.state.answers | PERSONAL
    return Outcome(
        state=outcome.state.model_copy(update={"answers": answers}), prompt=PROMPT, result="next"
    )


@contextlib.contextmanager
def throwaway_postgres(admin_url: str = ADMIN_URL) -> Iterator[str | None]:
    """A new empty PostgreSQL database for the run, dropped afterwards; None if unreachable."""
    name = f"complaintbot_bench_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: say so and measure SQLite only
        print(f"PostgreSQL skipped: {exc!s:.120}")
        admin.dispose()
        yield None
        return
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def rate(run: Callable[[int], None], n: int, repeats: int) -> float:
    """Operations per second: the median of ``repeats`` timed runs of ``n`` operations."""
    run(max(n // 10, 10))  # warm up pools, caches and prepared statements
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        run(n)
        rates.append(n / (time.perf_counter() - started))
    return statistics.median(rates)


def bare_loop(engine: Engine, ids: list[int]) -> Callable[[int], None]:
    table = ConversationRow.__table__
    stmt = update(table).where(table.c.id == bindparam("cid")).values(version=table.c.version + 1)

    def run(n: int) -> None:
        for i in range(n):
            with engine.begin() as conn:
                conn.execute(stmt, {"cid": ids[i % len(ids)]})

    return run


def apply_loop(store: Store, keys: count[int] | None) -> Callable[[int], None]:
    def run(n: int) -> None:
        for i in range(n):
            key = None if keys is None else str(next(keys))
            store.apply("bench", f"user{i % USERS}", trivial_step, update_key=key)

    return run


def apply_threads(store: Store, keys: count[int]) -> Callable[[int], None]:
    """THREADS threads, each with its own users, as a webhook server would run them."""

    def run(n: int) -> None:
        def work(thread: int) -> None:
            for i in range(n // THREADS):
                user = f"user{(i * THREADS + thread) % USERS}"
                store.apply("bench", user, trivial_step, update_key=str(next(keys)))

        threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    return run


def personal_loop(store: Store, prefix: str) -> Callable[[int], None]:
    def run(n: int) -> None:
        for i in range(n):
            store.apply("bench", f"{prefix}{i % USERS}", personal_step)

    return run


def measure_encryption(
    name: str, url: str, n: int, repeats: int, **store_args: object
) -> tuple[str, float, float]:
    """apply/s with three personal answers: plain, then encrypted, on the same database."""
    from storage.encryption import new_key

    rates = []
    for prefix, key in (("plain", None), ("sealed", new_key())):
        with Store(url, pii_key=key, **store_args) as store:  # type: ignore[arg-type]
            store.publish_flow(FLOW)
            rates.append(rate(personal_loop(store, prefix), n, repeats))
    return name, rates[0], rates[1]


@dataclass
class Figures:
    name: str
    bare: float
    apply: float
    apply_keyed: float
    apply_threads: float


def measure(name: str, url: str, n: int, repeats: int, **store_args: object) -> Figures:
    upgrade(url)
    with Store(url, **store_args) as store:  # type: ignore[arg-type]
        store.publish_flow(FLOW)
        for user in range(USERS):
            store.apply("bench", f"user{user}", trivial_step)
        ids = list(range(1, USERS + 1))
        keys = count()
        return Figures(
            name,
            bare=rate(bare_loop(store.engine, ids), n, repeats),
            apply=rate(apply_loop(store, None), n, repeats),
            apply_keyed=rate(apply_loop(store, keys), n, repeats),
            apply_threads=rate(apply_threads(store, keys), n, repeats),
        )


def report(rows: list[Figures]) -> None:
    head = (
        f"{'database':<18}{'bare/s':>9}{'apply/s':>9}{'+key/s':>9}"
        f"{'bare÷apply':>11}{'bare÷+key':>10}{f'{THREADS} thr/s':>10}"
    )
    print(head)
    for f in rows:
        print(
            f"{f.name:<18}{f.bare:>9,.0f}{f.apply:>9,.0f}{f.apply_keyed:>9,.0f}"
            f"{f.bare / f.apply:>10.2f}x{f.bare / f.apply_keyed:>9.2f}x{f.apply_threads:>10,.0f}"
        )


def crypto_cost(n: int = 3000) -> tuple[float, float]:
    """µs per stored state: JSON round trip alone, and with sealing and opening its personal
    answers (AES-GCM), i.e. what a key adds to every answer besides the database's work."""
    from storage.encryption import Keyring, new_key

    keys = Keyring(new_key())
    state = personal_step(None).state

    def plain() -> None:
        Conversation.from_json(state.to_json())

    def sealed() -> None:
        keys.open_state(Conversation.from_json(keys.seal_state(state, FLOW.flow).to_json()))

    figures = []
    for work in (plain, sealed):
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(n):
                work()
            runs.append((time.perf_counter() - started) / n * 1e6)
        figures.append(statistics.median(runs))
    return figures[0], figures[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--postgres", default=ADMIN_URL, help="server to create a database on")
    args = parser.parse_args()
    n, repeats = (200, 1) if args.quick else (3000, 3)
    rows = []
    sealed = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("FULL", "NORMAL"):
            url = f"sqlite:///{tmp}/bench-{mode.lower()}.db"
            rows.append(measure(f"sqlite WAL {mode}", url, n, repeats, sqlite_synchronous=mode))
            sealed.append(
                measure_encryption(f"sqlite WAL {mode}", url, n, repeats, sqlite_synchronous=mode)
            )
    with throwaway_postgres(args.postgres) as url:
        if url is not None:
            rows.append(measure("postgresql", url, n, repeats))
            sealed.append(measure_encryption("postgresql", url, n, repeats))
    print(f"{n} operations per run, median of {repeats}; {USERS} users round robin")
    report(rows)
    plain_us, sealed_us = crypto_cost()
    print(
        f"\nper stored state: JSON round trip {plain_us:.1f} µs, with AES-GCM "
        f"{sealed_us:.1f} µs (+{sealed_us - plain_us:.1f} µs, {sealed_us / plain_us:.2f}x)"
    )
    print("\nwith three personal answers in the state: no key against PII_ENCRYPTION_KEY")
    print(f"{'database':<18}{'plain/s':>9}{'sealed/s':>10}{'plain÷sealed':>14}")
    for name, plain, keyed in sealed:
        print(f"{name:<18}{plain:>9,.0f}{keyed:>10,.0f}{plain / keyed:>13.2f}x")


if __name__ == "__main__":
    main()
