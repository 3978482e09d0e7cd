"""劳动关系风险评分 (pure arithmetic, decision 0028): a node's score from the signals the platform has, as rates
per 1,000 members of its subtree, each times a weight an admin sets; the reasons are each signal's share of
the score, largest first. The rights area's signals (requests, group requests, wage arrears, layoffs) join as
they are declared."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# signal (a figure key) -> (its name in a reason, default weight per unit of rate). Money signals are yuan per
# member; counts are per 1,000 members.
SIGNALS = {
    "cases_overdue": ("超期未办结事项", Decimal("3")),
    "hardship_open": ("在档困难职工", Decimal("1")),
    "finance_arrears": ("欠缴工会经费", Decimal("0.5")),
}
PER_MEMBERS = {"cases_overdue": 1000, "hardship_open": 1000, "finance_arrears": 1}


@dataclass(frozen=True)
class Reason:
    key: str
    label: str
    rate: Decimal
    points: Decimal


@dataclass(frozen=True)
class Risk:
    score: Decimal
    reasons: list[Reason]


def rate(key: str, value: Decimal, members: int) -> Decimal:
    """The signal per 1,000 members (a count) or per member (money); with no members, the value itself."""
    if members <= 0:
        return Decimal(value)
    return Decimal(value) * PER_MEMBERS[key] / members


def score(values: dict[str, Decimal], members: int, weights: dict[str, Decimal]) -> Risk:
    reasons = []
    for key, (label, default) in SIGNALS.items():
        value = Decimal(values.get(key, 0))
        if value <= 0:
            continue
        r = rate(key, value, members)
        points = (r * weights.get(key, default)).quantize(Decimal("0.1"))
        if points > 0:
            reasons.append(Reason(key, label, r.quantize(Decimal("0.01")), points))
    reasons.sort(key=lambda reason: (-reason.points, reason.key))
    return Risk(sum((r.points for r in reasons), Decimal(0)), reasons)
