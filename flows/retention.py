"""Retention periods: reading them, adding them to a date, and checking them against the consent.

PIPA art. 15(2) makes the retention period part of what a claimant agrees to, so the period the
purge enforces (``retention:`` in the flow) and the one the consent text states must be the
same. The check reads the periods stated on the consent's retention line (the line naming
보유/보관 or retention/kept) in each language and compares them with the declaration.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from flows.graph import GraphProblem
from flows.schema import Flow

_PERIOD = re.compile(r"^P(\d+)([YMWD])$")


@dataclass(frozen=True, order=True)
class Span:
    """A period as months and days, so that P1Y and 12개월 compare equal."""

    months: int
    days: int

    def after(self, moment: dt.datetime) -> dt.datetime:
        return moment + relativedelta(months=self.months, days=self.days)

    def before(self, moment: dt.datetime) -> dt.datetime:
        """The moment ``self`` earlier: a case filed then is exactly at the end of its period."""
        return moment - relativedelta(months=self.months, days=self.days)


def span(period: str) -> Span:
    """``P1Y`` -> 12 months; ``P30D`` -> 30 days (the schema allows one unit per period)."""
    found = _PERIOD.match(period)
    if found is None:
        raise ValueError(f"not a one-unit ISO 8601 period: {period!r}")
    count, unit = int(found.group(1)), found.group(2)
    return {
        "Y": Span(12 * count, 0),
        "M": Span(count, 0),
        "W": Span(0, 7 * count),
        "D": Span(0, count),
    }[unit]


_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
_STATED = {
    "ko": (
        re.compile(r"(보유|보관)"),
        re.compile(r"(\d+)\s*(년|개월|달|주|일)"),
        {
            "년": Span(12, 0),
            "개월": Span(1, 0),
            "달": Span(1, 0),
            "주": Span(0, 7),
            "일": Span(0, 1),
        },
    ),
    "en": (
        re.compile(r"(?i)(retention|retain|kept|keep|stored)"),
        re.compile(r"(?i)\b(\d+|one|two|three|four|five|six|ten)\s*(year|month|week|day)s?\b"),
        {"year": Span(12, 0), "month": Span(1, 0), "week": Span(0, 7), "day": Span(0, 1)},
    ),
}
"""Per language: what marks the retention line, how a period is written, and its units."""


def stated_periods(text: str, language: str) -> list[tuple[str, Span]] | None:
    """The periods stated on the text's retention lines, as written and as spans.

    None when the language has no vocabulary here (only ko and en do): nothing to compare.
    """
    if language not in _STATED:
        return None
    marker, period, units = _STATED[language]
    found = []
    for line in text.splitlines():
        if not marker.search(line):
            continue
        for match in period.finditer(line):
            number, unit = match.group(1).lower(), match.group(2).lower()
            count = int(number) if number.isdigit() else _WORDS[number]
            unit_span = units[unit]
            found.append((match.group(0), Span(unit_span.months * count, unit_span.days * count)))
    return found


def check_retention(flow: Flow) -> Iterator[GraphProblem]:
    """The consent text states exactly the declared periods, in every language it has."""
    if flow.retention is None:
        return
    declared = {
        "after_closing": span(flow.retention.after_closing),
        "longest_after_filing": span(flow.retention.longest_after_filing),
    }
    if declared["longest_after_filing"] < declared["after_closing"]:
        yield GraphProblem(
            ["retention", "longest_after_filing"],
            f"longest_after_filing ({flow.retention.longest_after_filing}) is shorter than "
            f"after_closing ({flow.retention.after_closing})",
        )
    found = flow.consent_step()
    if found is None:
        return
    step_id, step = found
    for language in flow.languages:
        text = "\n".join(t for t in (step.text.get(language), (step.help or {}).get(language)) if t)
        stated = stated_periods(text, language)
        if stated is None:
            continue
        yield from _compare(flow, step_id, language, stated, declared)


def _compare(
    flow: Flow,
    step_id: str,
    language: str,
    stated: list[tuple[str, Span]],
    declared: dict[str, Span],
) -> Iterator[GraphProblem]:
    assert flow.retention is not None
    where = ["steps", step_id, "text", language]
    closing = flow.retention.after_closing
    if not any(s == declared["after_closing"] for _, s in stated):
        said = ", ".join(repr(w) for w, _ in stated) or "no period"
        yield GraphProblem(
            where,
            f"the consent text ({language}) states {said} on its retention line, but "
            f"retention.after_closing declares {closing}: make them say the same",
            step_id,
        )
        return
    allowed = set(declared.values())
    for written, stated_span in stated:
        if stated_span not in allowed:
            yield GraphProblem(
                where,
                f"the consent text ({language}) states {written!r}, which is neither "
                f"retention.after_closing ({closing}) nor retention.longest_after_filing "
                f"({flow.retention.longest_after_filing})",
                step_id,
            )
