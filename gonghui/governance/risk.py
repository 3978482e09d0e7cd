"""劳动关系风险评分 (pure arithmetic, decisions 0028 and 0041): a region's score from its rollup values, as rates
per 1,000 members of its subtree (money per member), and an employer's from its own counts; each signal times a
weight an admin sets; the reasons are each signal's points, largest first. A score at or above the admin's
threshold raises an alert as a case (governance.alerts)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# signal (a figure key) -> (its name in a reason, default weight per unit of rate). Money signals are yuan per
# member; counts are per 1,000 members.
SIGNALS = {
    "cases_overdue": ("超期未办结事项", Decimal("3")),
    "hardship_open": ("在档困难职工", Decimal("1")),
    "finance_arrears": ("欠缴工会经费", Decimal("0.5")),
    "dues_arrears": ("欠缴会费", Decimal("0.5")),
    "rights_open": ("未办结职工诉求", Decimal("1")),
    "rights_overdue": ("超期未答复诉求", Decimal("3")),
    "rights_legal_open": ("在办法律援助案件", Decimal("2")),
    "contracts_lapsed": ("期满未续订集体合同", Decimal("2")),
}
PER_MEMBERS = {"cases_overdue": 1000, "hardship_open": 1000, "finance_arrears": 1, "dues_arrears": 1,
               "rights_open": 1000, "rights_overdue": 1000, "rights_legal_open": 1000,
               "contracts_lapsed": 1000}  # fmt: skip
# An employer's signals (its own counts, not rates: an employer has no member count of its own): name, default
# weight per unit. Stored weights are keyed "employer_<key>".
EMPLOYER_SIGNALS = {
    "requests": ("近 12 个月职工诉求", Decimal("1")),
    "group_requests": ("群体诉求", Decimal("5")),
    "overdue": ("超期未答复诉求", Decimal("2")),
    "wage_cases": ("在办欠薪案件", Decimal("5")),
    "funds_arrears": ("欠缴工会经费（每千元）", Decimal("1")),
    "dues_arrears": ("欠缴会费（每千元）", Decimal("1")),
}
EMPLOYER_PER = {"funds_arrears": 1000, "dues_arrears": 1000}  # money signals count per 1,000 yuan
# The score at which an alert is raised (stored as "threshold_<subject>"), when the admin set none.
THRESHOLDS = {"employer": ("用人单位风险预警阈值", Decimal("20")), "region": ("地区风险预警阈值", Decimal("30"))}


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


def employer_score(values: dict[str, Decimal], weights: dict[str, Decimal]) -> Risk:
    """An employer's score: each signal's count (money per 1,000 yuan) times its weight ("employer_<key>")."""
    reasons = []
    for key, (label, default) in EMPLOYER_SIGNALS.items():
        value = Decimal(values.get(key, 0))
        if value <= 0:
            continue
        r = value / EMPLOYER_PER.get(key, 1)
        points = (r * weights.get(f"employer_{key}", default)).quantize(Decimal("0.1"))
        if points > 0:
            reasons.append(Reason(key, label, r.quantize(Decimal("0.01")), points))
    reasons.sort(key=lambda reason: (-reason.points, reason.key))
    return Risk(sum((r.points for r in reasons), Decimal(0)), reasons)


def reasons_text(risk: Risk) -> str:
    """The reasons as one Chinese line: "群体诉求 2.00（10.0 分）；…"."""
    return "；".join(f"{r.label} {r.rate}（{r.points} 分）" for r in risk.reasons)


def weight_defaults() -> dict[str, tuple[str, Decimal]]:
    """Every tunable value with its label (as the weights page shows it) and default: the regions' signals, the
    employers' ("employer_<key>") and the thresholds ("threshold_<subject>")."""
    found = {key: (f"地区：{label}（每{'千名会员' if PER_MEMBERS[key] == 1000 else '名会员（元）'}）", default)
             for key, (label, default) in SIGNALS.items()}  # fmt: skip
    found |= {f"employer_{key}": (f"用人单位：{label}", default) for key, (label, default) in EMPLOYER_SIGNALS.items()}
    found |= {f"threshold_{key}": (label, default) for key, (label, default) in THRESHOLDS.items()}
    return found
