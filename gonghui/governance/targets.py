"""规划目标的算术 (pure functions, no database): progress, the pace needed to reach a target by its date, the
projection from the monthly trend, and the check that a split adds up (decision 0028)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal

PROJECTION_MONTHS = 6  # the projection is a straight line fitted to at most the last six months


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_left(today: dt.date, due_on: dt.date) -> int:
    """Whole months after this one up to the due date's month (0: due this month; negative: past due)."""
    return (due_on.year - today.year) * 12 + due_on.month - today.month


def progress(actual: Decimal, target: Decimal) -> Decimal:
    """完成进度: actual / target as a fraction (1 = reached; above 1 when exceeded). ``target`` > 0."""
    if target <= 0:
        raise ValueError("目标值必须大于 0。")
    return Decimal(actual) / Decimal(target)


def pace_needed(actual: Decimal, target: Decimal, today: dt.date, due_on: dt.date) -> Decimal | None:
    """还需每月增加: what must be added each month, this one included, to reach ``target`` by ``due_on``'s month,
    rounded up to a whole unit; 0 when reached; None when the date has passed."""
    left = months_left(today, due_on)
    if left < 0:
        return None
    missing = Decimal(target) - Decimal(actual)
    if missing <= 0:
        return Decimal(0)
    return (missing / (left + 1)).to_integral_value(rounding=ROUND_CEILING)


def slope_and_intercept(values: list[Decimal]) -> tuple[Decimal, Decimal]:
    """The least-squares line through (0, v0), (1, v1), …: per-month slope and the value at month 0."""
    n = len(values)
    xs = range(n)
    mean_x = Decimal(n - 1) / 2
    mean_y = sum((Decimal(v) for v in values), Decimal(0)) / n
    sxx = sum((Decimal(x) - mean_x) ** 2 for x in xs)
    sxy = sum((Decimal(x) - mean_x) * (Decimal(v) - mean_y) for x, v in zip(xs, values, strict=True))
    slope = sxy / sxx if sxx else Decimal(0)
    return slope, mean_y - slope * mean_x


def projection(series: list[tuple[dt.date, Decimal]], due_on: dt.date) -> Decimal | None:
    """按趋势预计: the value expected in ``due_on``'s month on the straight line fitted to the last months of
    ``series`` (consecutive months, oldest first); None with fewer than two months or a date already past."""
    recent = series[-PROJECTION_MONTHS:]
    if len(recent) < 2:
        return None
    last_month = recent[-1][0]
    ahead = months_left(last_month, due_on)
    if ahead < 0:
        return None
    slope, intercept = slope_and_intercept([value for _, value in recent])
    return (intercept + slope * (len(recent) - 1 + ahead)).quantize(Decimal("0.01"))


def split_shortfall(parent: Decimal, shares: list[Decimal]) -> Decimal:
    """How much the children's targets fall short of the parent's (0 when they add up to at least it)."""
    return max(Decimal(parent) - sum((Decimal(s) for s in shares), Decimal(0)), Decimal(0))
