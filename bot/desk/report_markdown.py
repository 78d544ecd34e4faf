"""The report as Markdown, for pasting into an e-mail, a ticket or a wiki."""

from __future__ import annotations

from typing import Any

HIDDEN = "<5"


def _n(value: int | float | None) -> str:
    if value is None:
        return HIDDEN
    return f"{value:,}" if isinstance(value, int) else f"{value:.1%}"


def render_markdown(doc: dict[str, Any]) -> str:
    out = [f"# {doc['flow']['title']}", ""]
    totals = doc["totals"]
    out += [
        f"Computed {doc['computed_at']} · input hash `{doc['input_hash'][:16]}`"
        + (" · **public** (groups under 5 suppressed)" if doc["public"] else ""),
        "",
        f"**{_n(totals['counted'])}** counted cases of {_n(totals['filed'])} filed; "
        + ", ".join(f"{k} {_n(v)}" for k, v in totals["by_status"].items()),
        "",
        "Flow versions: "
        + ", ".join(f"`{v['version'][:12]}` ({_n(v['cases'])})" for v in doc["flow_versions"]),
        "",
    ]
    for table in doc["tables"]:
        out += [f"## {table['title']}", "", "| | cases |", "|---|---:|"]
        out += [
            f"| {label} | {_n(n)} |"
            for label, n in zip(table["labels"], table["cases"], strict=True)
        ]
        out += [f"| **total** | {_n(table['total'])} |", "", f"_{table['note']}_", ""]
    for cross in doc["crossings"]:
        out += [f"## {cross['title']}", "", "| | " + " | ".join(cross["columns"]) + " | total |",
                "|---|" + "---:|" * (len(cross["columns"]) + 1)]  # fmt: skip
        for label, row, total in zip(
            cross["rows"], cross["cells"], cross["row_totals"], strict=True
        ):
            out.append(f"| {label} | " + " | ".join(_n(v) for v in row) + f" | {_n(total)} |")
        out += ["| **total** | " + " | ".join(_n(v) for v in cross["column_totals"])
                + f" | {_n(cross['total'])} |", ""]  # fmt: skip
    if doc["amounts"]:
        out += ["## Amounts claimed (KRW)", "", "| amount | group | cases | sum | median | 90th pct |",
                "|---|---|---:|---:|---:|---:|"]  # fmt: skip
        for a in doc["amounts"]:
            group = f"{a['group_label']}: {a['value_label']}" if a["group"] else "all"
            out.append(f"| {a['label']} | {group} | {_n(a['cases'])} | {_n(a['sum'])} | "
                       f"{_n(a['median'])} | {_n(a['p90'])} |")  # fmt: skip
        out.append("")
    split = doc.get("kakao_split")
    if split:
        out += ["## Kakao's published split, and ours", ""]
        for name, part in split.items():
            if not part:
                continue
            out += [f"| {name} | cases | share | Kakao 2022 |", "|---|---:|---:|---:|"]
            out += [f"| {r['label']} | {_n(r['cases'])} | {_n(r['share'])} | {r['published_share']:.1%} |"
                    for r in part["rows"]]  # fmt: skip
            out.append("")
    f = doc["funnel"]
    out += ["## Intake funnel", "",
            f"started {_n(f['started'])} · consented {_n(f['consented'])} · refused {_n(f['refused'])} · "
            f"submitted {_n(f['submitted'])} · cancelled {_n(f['cancelled'])} · abandoned {_n(f['abandoned'])} "
            f"(idle over {f['abandoned_after_hours']:g} h) · in progress {_n(f['in_progress'])}", "",
            "| step | reached | cancelled | abandoned |", "|---|---:|---:|---:|"]  # fmt: skip
    for s in f["steps"]:
        out.append(
            f"| {s['label']} | {_n(s['reached'])} | {_n(s.get('cancelled'))} | {_n(s.get('abandoned'))} |"
        )
    out.append("")
    if doc["set_apart"]:
        out += [
            "## Set apart (not in the totals; similar ones still count)",
            "",
            "| status | rule | cases |",
            "|---|---|---:|",
        ]
        out += [f"| {s['status']} | {s['rule']} | {_n(s['cases'])} |" for s in doc["set_apart"]]
        out.append("")
    return "\n".join(out)
