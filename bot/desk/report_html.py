"""The report as one self-contained HTML file: tables and charts, no network needed.

The charts' JavaScript (Vega, Vega-Lite, Vega-Embed) is inlined from the vendored bundle, and
the figures as JSON, so the file opens offline on any machine; Hangul is drawn by the
browser's own fonts.
"""

from __future__ import annotations

import html
import json
from typing import Any

from bot.desk.assets import vega_bundle
from bot.desk.charts import chart_specs
from bot.desk.report_markdown import HIDDEN

STYLE = """
body{font-family:system-ui,"Noto Sans CJK KR","Malgun Gothic",sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .6rem}
td.n{text-align:right;font-variant-numeric:tabular-nums}.meta{color:#555;font-size:.9rem}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}.note{color:#555;font-size:.85rem}
.kpi{font-size:1.3rem}.kpi b{font-size:2rem}
"""


def _n(value: int | float | None) -> str:
    if value is None:
        return HIDDEN
    return f"{value:,}" if isinstance(value, int) else f"{value:.1%}"


def _e(text: object) -> str:
    return html.escape(str(text))


def render_html(doc: dict[str, Any]) -> str:
    specs = chart_specs(doc)
    parts = [
        "<!doctype html>",
        f'<html lang="{_e(doc["language"])}"><head><meta charset="utf-8">',
        f"<title>{_e(doc['flow']['title'])}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(doc['flow']['title'])}</h1>",
        f'<p class="meta">computed {_e(doc["computed_at"])} · input hash <code>{_e(doc["input_hash"][:16])}</code>'
        + (" · <b>public</b>: groups under 5 suppressed" if doc["public"] else "") + "</p>",
        _totals(doc),
        '<div class="charts">',
        *(f'<div id="chart-{_e(name)}"></div>' for name in specs),
        "</div>",
        *(_one_way(t) for t in doc["tables"]),
        *(_crossing(c) for c in doc["crossings"]),
        _amounts(doc["amounts"]),
        _split(doc.get("kakao_split")),
        _funnel(doc["funnel"]),
        _set_apart(doc["set_apart"]),
        f"<script>{vega_bundle()}</script>",
        "<script>const specs = " + json.dumps(specs, ensure_ascii=False).replace("</", "<\\/") + ";",
        "for (const [name, spec] of Object.entries(specs)) {",
        "  vegaEmbed('#chart-' + name, spec, {actions: false, renderer: 'svg'});",
        "}</script></body></html>",
    ]  # fmt: skip
    return "\n".join(parts)


def _totals(doc: dict[str, Any]) -> str:
    t = doc["totals"]
    statuses = ", ".join(f"{_e(k)} {_n(v)}" for k, v in t["by_status"].items())
    versions = ", ".join(
        f"<code>{_e(v['version'][:12])}</code> ({_n(v['cases'])})" for v in doc["flow_versions"]
    )
    return (f'<p class="kpi"><b>{_n(t["counted"])}</b> counted cases of {_n(t["filed"])} filed</p>'
            f"<p>{statuses}</p><p class=\"note\">flow versions: {versions}</p>")  # fmt: skip


def _one_way(table: dict[str, Any]) -> str:
    rows = "".join(f"<tr><td>{_e(label)}</td><td class=n>{_n(n)}</td></tr>"
                   for label, n in zip(table["labels"], table["cases"], strict=True))  # fmt: skip
    return (f"<h2>{_e(table['title'])}</h2><table><tr><th></th><th>cases</th></tr>{rows}"
            f"<tr><th>total</th><td class=n>{_n(table['total'])}</td></tr></table>"
            f"<p class=note>{_e(table['note'])}</p>")  # fmt: skip


def _crossing(cross: dict[str, Any]) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in cross["columns"])
    body = "".join(
        f"<tr><th>{_e(label)}</th>" + "".join(f"<td class=n>{_n(v)}</td>" for v in row)
        + f"<td class=n>{_n(total)}</td></tr>"
        for label, row, total in zip(cross["rows"], cross["cells"], cross["row_totals"], strict=True)
    )  # fmt: skip
    foot = "".join(f"<td class=n>{_n(v)}</td>" for v in cross["column_totals"])
    return (f"<h2>{_e(cross['title'])}</h2><table><tr><th></th>{head}<th>total</th></tr>{body}"
            f"<tr><th>total</th>{foot}<td class=n>{_n(cross['total'])}</td></tr></table>"
            f"<p class=note>{_e(cross['note'])}</p>")  # fmt: skip


def _amounts(amounts: list[dict[str, Any]]) -> str:
    if not amounts:
        return ""
    rows = "".join(
        f"<tr><td>{_e(a['label'])}</td><td>{_e(a['group_label'] + ': ' + a['value_label'] if a['group'] else 'all')}</td>"
        f"<td class=n>{_n(a['cases'])}</td><td class=n>{_n(a['sum'])}</td>"
        f"<td class=n>{_n(a['median'])}</td><td class=n>{_n(a['p90'])}</td></tr>"
        for a in amounts
    )  # fmt: skip
    return ("<h2>Amounts claimed (KRW)</h2><table><tr><th>amount</th><th>group</th><th>cases</th>"
            f"<th>sum</th><th>median</th><th>90th percentile</th></tr>{rows}</table>")  # fmt: skip


def _split(split: dict[str, Any] | None) -> str:
    if not split:
        return ""
    out = ["<h2>Kakao's published split (2022), and ours</h2>"]
    for name, part in split.items():
        if not part:
            continue
        rows = "".join(f"<tr><td>{_e(r['label'])}</td><td class=n>{_n(r['cases'])}</td>"
                       f"<td class=n>{_n(r['share'])}</td><td class=n>{r['published_share']:.1%}</td></tr>"
                       for r in part["rows"])  # fmt: skip
        out.append(
            f"<table><tr><th>{_e(name)}</th><th>cases</th><th>share</th><th>Kakao 2022</th></tr>{rows}</table>"
        )
    return "".join(out)


def _funnel(f: dict[str, Any]) -> str:
    rows = "".join(f"<tr><td>{_e(s['label'])}</td><td class=n>{_n(s['reached'])}</td>"
                   f"<td class=n>{_n(s['cancelled'])}</td><td class=n>{_n(s['abandoned'])}</td></tr>"
                   for s in f["steps"])  # fmt: skip
    return (f"<h2>Intake funnel</h2><p>started {_n(f['started'])} · consented {_n(f['consented'])} · "
            f"refused {_n(f['refused'])} · submitted {_n(f['submitted'])} · cancelled {_n(f['cancelled'])} · "
            f"abandoned {_n(f['abandoned'])} (idle over {f['abandoned_after_hours']:g} h) · in progress {_n(f['in_progress'])}</p>"
            f"<table><tr><th>step</th><th>reached</th><th>cancelled here</th><th>abandoned here</th></tr>{rows}</table>")  # fmt: skip


def _set_apart(items: list[dict[str, Any]]) -> str:
    if not items:
        return ""
    rows = "".join(f"<tr><td>{_e(s['status'])}</td><td>{_e(s['rule'])}</td><td class=n>{_n(s['cases'])}</td></tr>"
                   for s in items)  # fmt: skip
    return (
        "<h2>Set apart (not in the totals; similar ones still count)</h2>"
        f"<table><tr><th>status</th><th>rule</th><th>cases</th></tr>{rows}</table>"
    )
