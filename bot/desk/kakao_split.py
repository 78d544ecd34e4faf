"""Kakao's published split of the 2022 reports, and ours in the same shape beside it.

Of 87,198 reports analysed (105,116 received), Kakao published: paid services 14,918
(17.1 %), money lost on free services 13,198 (15.1 %), non-monetary harm 59,082 (67.8 %);
general users 89.6 %, small businesses 10.2 %, larger firms 0.2 %. Our figures: a case is
"paid" when its ``paid`` answer is paid (or both), else "money on free services" when it
claims any money, else "non-monetary"; claimant types fold the flow's answers into Kakao's
three (drivers are small businesses; companies and organisations larger firms).
"""

from __future__ import annotations

from typing import Any

PUBLISHED_ANALYSED = 87_198
PUBLISHED_HARM = {"paid": 14_918, "money_on_free": 13_198, "non_monetary": 59_082}
PUBLISHED_CLAIMANTS = {"general": 0.896, "small_business": 0.102, "larger": 0.002}
HARM_LABELS = {
    "paid": "paid services",
    "money_on_free": "money lost on free services",
    "non_monetary": "non-monetary (questions, opinions, protests, time)",
}
CLAIMANT_LABELS = {"general": "general users", "small_business": "small businesses",
                   "larger": "larger firms and others"}  # fmt: skip
CLAIMANT_GROUPS = {"individual": "general", "small_business": "small_business",
                   "driver": "small_business", "other": "larger"}  # fmt: skip
PAID_VALUES = frozenset({"paid", "both"})


def money_split(money: dict[tuple[bool, str | None], int]) -> dict[str, Any] | None:
    """Our counted cases in Kakao's three harm groups; None without a ``paid`` question."""
    if not money or all(paid is None for _, paid in money):
        return None
    groups = dict.fromkeys(PUBLISHED_HARM, 0)
    for (claims_money, paid), n in money.items():
        if paid in PAID_VALUES:
            groups["paid"] += n
        elif claims_money:
            groups["money_on_free"] += n
        else:
            groups["non_monetary"] += n
    published = {k: v / PUBLISHED_ANALYSED for k, v in PUBLISHED_HARM.items()}
    return _rows(groups, HARM_LABELS, published)


def claimant_split(claimants: dict[str | None, int]) -> dict[str, Any] | None:
    """Our counted cases in Kakao's three claimant types; None without those answers."""
    if not claimants or not set(claimants) & set(CLAIMANT_GROUPS):
        return None
    groups = dict.fromkeys(PUBLISHED_CLAIMANTS, 0)
    for value, n in claimants.items():
        group = CLAIMANT_GROUPS.get(value or "")
        if group:
            groups[group] += n
    return _rows(groups, CLAIMANT_LABELS, PUBLISHED_CLAIMANTS)


def _rows(
    groups: dict[str, int], labels: dict[str, str], published: dict[str, float]
) -> dict[str, Any]:
    total = sum(groups.values())
    return {
        "total": total,
        "rows": [
            {
                "key": key,
                "label": labels[key],
                "cases": n,
                "share": round(n / total, 4) if total else None,
                "published_share": round(published[key], 4),
            }
            for key, n in groups.items()
        ],
    }
