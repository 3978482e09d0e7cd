"""The dues arithmetic, free of the database: months, the counted wage, the monthly amount, and a member's
month-by-month ledger. Services and selectors load the rows; these functions decide what is owed."""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from gonghui.core.errors import field_error
from gonghui.dues.policy import DuesPolicy

MONTH = re.compile(r"^\s*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*月?\s*$")
ZERO = Decimal("0.00")


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from ``first`` to ``last``, both included (empty if ``last`` is earlier)."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(first, i) for i in range(max(count, 0))]


def parse_month(value: str, field: str = "month") -> dt.date:
    """ "2026-03", "2026/3" or "2026年3月" → 2026-03-01; anything else is a Chinese error on ``field``."""
    match = MONTH.match(value or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1950:
        raise field_error(field, "月份格式应为 YYYY-MM，例如 2026-03。")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def parse_amount(value, field: str, *, maximum: Decimal, allow_zero: bool = False) -> Decimal:
    """A sum of money in yuan with at most two decimals, not negative (or zero), not above ``maximum``."""
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise field_error(field, "请输入金额（元），例如 6500 或 6500.50。") from None
    if not amount.is_finite():
        raise field_error(field, "请输入金额（元），例如 6500 或 6500.50。")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise field_error(field, "金额必须大于 0。" if not allow_zero else "金额不能为负数。")
    if amount != amount.quantize(Decimal("0.01"), rounding=ROUND_FLOOR):
        raise field_error(field, "金额最多保留两位小数（到分）。")
    if amount > maximum:
        raise field_error(field, f"金额不能超过 {maximum:,.2f} 元，请检查是否多输了数字。")
    return amount.quantize(Decimal("0.01"))


def percent(rate: Decimal) -> str:
    """0.005 → "0.5" (per cent, no trailing zeros)."""
    return f"{(rate * 100).normalize():f}"


def counted_base(base: Decimal, policy: DuesPolicy) -> Decimal:
    """The wage that counts: whole multiples of 10 yuan (the part under 10 yuan is not counted)."""
    if base <= 0:
        return Decimal(0)
    return (base / policy.base_unit).to_integral_value(rounding=ROUND_FLOOR) * policy.base_unit


def monthly_dues(base: Decimal, rate: Decimal, policy: DuesPolicy) -> Decimal:
    """One month's dues: the counted wage × the rate, to the fen, halves up."""
    return (counted_base(base, policy) * rate).quantize(policy.amount_quantum, rounding=policy.amount_rounding)


@dataclass(frozen=True)
class Span:
    """One membership as dues see it: the months it covers, whether it is a retiree's, its province; for the
    rollup, the union that held it and the day it began holding the member (``held_from``: the joining date,
    or the day the member's previous membership ended if later, as after a transfer, which keeps the joining
    date)."""

    joined_on: dt.date
    ended_on: dt.date | None
    is_retired: bool
    province: str
    org_id: int | None = None
    held_from: dt.date | None = None

    def covers(self, month: dt.date) -> bool:
        next_month = add_months(month, 1)
        return self.joined_on < next_month and (self.ended_on is None or self.ended_on > month)

    def holds(self, month: dt.date) -> bool:
        """Whether the union held the member in some part of ``month`` (from ``held_from`` to the end)."""
        start = self.held_from or self.joined_on
        return start < add_months(month, 1) and (self.ended_on is None or self.ended_on > month)


def holder(spans: list[Span], month: dt.date) -> Span | None:
    """The membership a member month is attributed to (decision 0046): of the memberships holding the member
    in the month, the last one (``spans`` in the order their unions held the member), so a month in which a
    member moved belongs to the union they moved to. None when no membership covers the month (not a member
    month). With inconsistent dates (a covering membership, none holding) the last covering one."""
    covering = [s for s in spans if s.covers(month)]
    holding = [s for s in covering if s.holds(month)]
    return (holding or covering or [None])[-1]


class Status:
    NOT_MEMBER = "not_member"
    RETIRED = "retired"
    NOT_TRACKED = "not_tracked"
    UNASSESSED = "unassessed"
    DUE = "due"
    FUTURE = "future"

    LABELS = {
        NOT_MEMBER: "非会员月份", RETIRED: "退休会员免缴", NOT_TRACKED: "未开始计缴",
        UNASSESSED: "未核定缴费基数", DUE: "应缴", FUTURE: "—",
    }  # fmt: skip


@dataclass(frozen=True)
class MonthLine:
    month: dt.date
    status: str
    due: Decimal | None  # None: not known (未核定缴费基数)
    paid: Decimal
    owed: Decimal  # unpaid dues of a month that has passed (欠缴)

    @property
    def status_label(self) -> str:
        if self.status == Status.DUE:
            return "已缴" if self.paid >= (self.due or 0) else ("部分缴纳" if self.paid > 0 else "未缴")
        return Status.LABELS[self.status]


def tracking_start(policy: DuesPolicy, base_months: Iterable[dt.date]) -> dt.date | None:
    """The first month dues are tracked for a member: the policy's date, else their first wage base."""
    if policy.tracking_start is not None:
        return month_of(policy.tracking_start)
    return min(base_months, default=None)


def ledger(
    *,
    spans: list[Span],
    bases: list[tuple[dt.date, Decimal]],
    paid: dict[dt.date, Decimal],
    rate_for: Callable[[str, dt.date], Decimal],
    months: list[dt.date],
    current_month: dt.date,
    policy: DuesPolicy,
) -> list[MonthLine]:
    """What a member owed and paid in each of ``months``. A month owes only once it has passed. ``spans``
    come in the order their unions held the member (the first covering span sets the province's rate)."""
    bases = sorted(bases)
    start = tracking_start(policy, (m for m, _ in bases))
    lines = []
    for month in months:
        got = paid.get(month, ZERO)
        covering = [s for s in spans if s.covers(month)]
        base = next((b for m, b in reversed(bases) if m <= month), None)
        due: Decimal | None = ZERO
        if month > current_month:
            status = Status.FUTURE
        elif not covering:
            status = Status.NOT_MEMBER
        elif any(s.is_retired for s in covering):
            status = Status.RETIRED
        elif start is not None and month < start:
            status = Status.NOT_TRACKED
        elif base is None:
            status, due = Status.UNASSESSED, None
        else:
            status, due = Status.DUE, monthly_dues(base, rate_for(covering[0].province, month), policy)
        owed = max(due - got, ZERO) if status == Status.DUE and month < current_month else ZERO
        lines.append(MonthLine(month, status, due, got, owed))
    return lines


@dataclass(frozen=True)
class Arrears:
    """欠缴: unpaid months up to last month, and whether some month has no wage base to compute from."""

    months: list[dt.date]
    amount: Decimal
    unassessed: bool

    @classmethod
    def of(cls, lines: list[MonthLine]) -> "Arrears":
        owing = [line for line in lines if line.owed > 0]
        return cls(
            [line.month for line in owing],
            sum((line.owed for line in owing), ZERO),
            any(line.status == Status.UNASSESSED for line in lines),
        )
