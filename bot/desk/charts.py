"""The report's charts as Vega-Lite specs (built with Altair), and as PNG for slides.

Labels are Korean by default: PNGs are drawn with a CJK font (Debian ``fonts-noto-cjk``, which
``./dev`` installs), the HTML leaves the font to the browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import altair as alt

CJK_FONT = "Noto Sans CJK KR"
WIDTH = 560


def chart_specs(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """name -> Vega-Lite spec: by service, by harm type, daily timeline, amounts."""
    specs: dict[str, dict[str, Any]] = {}
    tables = {t["id"]: t for t in document["tables"]}
    for name in ("service", "harm"):
        if name in tables:
            specs[f"by_{name}"] = _bars(tables[name])
    if "day_received" in tables:
        specs["timeline"] = _timeline(tables["day_received"])
    amounts = [a for a in document["amounts"] if a["group"] is None and a["median"] is not None]
    if amounts:
        specs["amounts"] = _amounts(amounts)
    return specs


def _config(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.configure(font=CJK_FONT).configure_view(stroke=None).to_dict()


def _bars(table: dict[str, Any]) -> dict[str, Any]:
    rows = [{"label": label, "cases": n} for label, n in zip(table["labels"], table["cases"], strict=True)
            if n is not None]  # fmt: skip
    chart = (
        alt.Chart(alt.Data(values=rows), title=table["title"], width=WIDTH)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort="-x", title=None),
            x=alt.X("cases:Q", title="cases"),
            tooltip=["label:N", "cases:Q"],
        )
    )
    return _config(chart)


def _timeline(table: dict[str, Any]) -> dict[str, Any]:
    rows = [{"day": day, "cases": n} for day, n in zip(table["keys"], table["cases"], strict=True)
            if n is not None]  # fmt: skip
    chart = (
        alt.Chart(alt.Data(values=rows), title=table["title"], width=WIDTH)
        .mark_bar()
        .encode(
            x=alt.X("day:T", title=None, timeUnit="yearmonthdate"),
            y=alt.Y("cases:Q", title="cases"),
            tooltip=["day:T", "cases:Q"],
        )
    )
    return _config(chart)


def _amounts(amounts: list[dict[str, Any]]) -> dict[str, Any]:
    rows = []
    for a in amounts:
        rows.append({"amount": a["label"], "measure": "median", "KRW": a["median"]})
        rows.append({"amount": a["label"], "measure": "90th percentile", "KRW": a["p90"]})
    chart = (
        alt.Chart(alt.Data(values=rows), title="amounts claimed (KRW)", width=WIDTH)
        .mark_bar()
        .encode(
            y=alt.Y("amount:N", title=None),
            yOffset="measure:N",
            x=alt.X("KRW:Q", title="KRW", axis=alt.Axis(format=",")),
            color=alt.Color("measure:N", title=None),
            tooltip=["amount:N", "measure:N", alt.Tooltip("KRW:Q", format=",")],
        )
    )
    return _config(chart)


def write_pngs(specs: dict[str, dict[str, Any]], folder: Path, scale: float = 2) -> list[Path]:
    """One PNG per chart into ``folder``: for slides."""
    import vl_convert

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, spec in specs.items():
        path = folder / f"{name}.png"
        path.write_bytes(vl_convert.vegalite_to_png(spec, scale=scale))
        written.append(path)
    return written
