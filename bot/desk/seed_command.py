"""`complaintbot seed --cases N`: synthetic cases for demos, tests and benchmarks."""

from __future__ import annotations

from typing import Annotated

import typer


def seed(
    cases: Annotated[int, typer.Option("--cases", min=1, help="How many cases to file.")],
    flow: Annotated[str | None, typer.Option(help="Flow id (default: DEFAULT_FLOW).")] = None,
    random_seed: Annotated[int, typer.Option(help="Same seed, same cases.")] = 2022,
) -> None:
    """File N realistic synthetic cases through the engine (Kakao's published shares, the
    19-day intake shape, some duplicates by each rule). Never on a live intake's database."""
    from bot.desk.opening import open_desk
    from bot.desk.seeding import seed as seed_cases
    from flows import load_flows

    desk, flow_id = open_desk(flow)
    loaded = {**load_flows()}.get(flow_id)
    if loaded is None:
        typer.echo(f"flow {flow_id!r} is not a shipped flow", err=True)
        raise typer.Exit(2)
    shown = {"last": 0}

    def progress(done: int, total: int) -> None:
        if done - shown["last"] >= max(total // 20, 1) or done == total:
            shown["last"] = done
            typer.echo(f"  {done:,} / {total:,}", err=True)

    try:
        result = seed_cases(desk.store, loaded, cases, rng_seed=random_seed, progress=progress)
    finally:
        desk.store.close()
    repeats = ", ".join(f"{rule} {n}" for rule, n in result.repeats.items())
    typer.echo(
        f"filed {result.cases:,} cases in {result.seconds:.1f} s "
        f"({result.cases / max(result.seconds, 1e-9):,.0f}/s); repeats drawn: {repeats}"
    )
