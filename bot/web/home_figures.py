"""The console home's figures: per flow, its cases counted now and what it asks; versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.intake import IntakeService
from flows import Flow
from storage.flow_listing import StoredVersion, stored_versions

TOP = 5
"""Their dimensions are sums (see ``amounts``), not values to rank."""


@dataclass(frozen=True)
class Text:
    """Text from a flow file, with the language it is really in (it may lack the page's)."""

    text: str
    lang: str


@dataclass(frozen=True)
class ValueCount:
    label: Text | None
    value: str | None
    cases: int


@dataclass(frozen=True)
class DimensionTop:
    name: str
    label: Text
    values: list[ValueCount]


@dataclass(frozen=True)
class AmountTotal:
    label: Text
    total: int
    cases: int


@dataclass(frozen=True)
class FlowFigures:
    flow_id: str
    title: Text
    default: bool
    live_version: str
    steps: int
    counted: int
    received_today: int
    duplicates: int
    unrelated: int
    tops: list[DimensionTop] = field(default_factory=list)
    amounts: list[AmountTotal] = field(default_factory=list)
    versions: list[StoredVersion] = field(default_factory=list)


def localized(texts: dict[str, str], language: str) -> Text:
    if language in texts:
        return Text(texts[language], language)
    code, text = next(iter(texts.items()))
    return Text(text, code)


def _amount_dimensions(flow: Flow) -> set[str]:
    return {
        s.dimension for _, s in flow.asking_steps() if s.dimension and s.report_kind == "amount"
    }


def _dimension_labels(flow: Flow, language: str) -> dict[str, tuple[Text, dict[str, Text]]]:
    labels: dict[str, tuple[Text, dict[str, Text]]] = {}
    for _, step in flow.asking_steps():
        if not step.dimension:
            continue
        options = {o.value: localized(o.label, language) for o in getattr(step, "options", [])}
        labels[step.dimension] = (localized(step.label or step.text, language), options)
    return labels


def flow_figures(
    intake: IntakeService, language: str, today_starts: dt.datetime
) -> list[FlowFigures]:
    """Every loaded flow, the default one first, with figures read from the running counts."""
    store = intake.store
    with store.engine.connect() as conn:
        versions = stored_versions(conn)
    order = sorted(intake.flow_ids, key=lambda fid: (fid != intake.default_flow, fid))
    figures = []
    for flow_id in order:
        interview = intake.interview(flow_id)
        flow = interview.flow
        report = store.aggregate(flow_id)
        received = store.received_since(flow_id, today_starts)
        labels = _dimension_labels(flow, language)
        tops = []
        amount_dimensions = _amount_dimensions(flow)
        for name, counts in report.dimensions.items():
            if name in amount_dimensions:
                continue
            label, options = labels.get(name, (Text(name, "en"), {}))
            ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[:TOP]
            tops.append(
                DimensionTop(
                    name,
                    label,
                    [ValueCount(options.get(v) if v else None, v, n) for v, n in ranked],
                )
            )
        amounts = [
            AmountTotal(labels.get(name, (Text(name, "en"), {}))[0], total.total, total.cases)
            for name, total in report.amounts.items()
        ]
        figures.append(
            FlowFigures(
                flow_id=flow_id,
                title=localized(flow.title, language),
                default=flow_id == intake.default_flow,
                live_version=interview.version,
                steps=len(flow.steps),
                counted=report.counted,
                received_today=received.total,
                duplicates=report.duplicates,
                unrelated=report.unrelated,
                tops=tops,
                amounts=amounts,
                versions=[v for v in versions if v.flow_id == flow_id],
            )
        )
    return figures
