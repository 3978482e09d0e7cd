"""The numbers of membership dues (docs/architecture.md rule 5): defaults from the rules, overridable.

``settings.GONGHUI_DUES`` (a dict) overrides any field, e.g. ``{"tracking_start": datetime.date(2025, 1, 1)}``.
A province changes its own rate through ``DuesRate`` rows (the province policy page), not here."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings


@dataclass(frozen=True)
class DuesPolicy:
    # 工发[1978]101号《关于会员交纳会费的规定》 and 中国工会章程: 0.5% of the monthly wage income.
    rate: Decimal = Decimal("0.005")
    # 工发[1978]101号: "工资收入不足十元的部分不计交会费" — the wage counts in whole multiples of 10 yuan.
    base_unit: Decimal = Decimal("10")
    # Money is kept to the fen (分); halves round up (四舍五入), as in 会计基础工作规范 and common practice.
    amount_quantum: Decimal = Decimal("0.01")
    amount_rounding: str = ROUND_HALF_UP
    # The first month the platform tracks dues for everyone; None: a member's first wage base starts it.
    tracking_start: dt.date | None = None
    # Our own bounds, against typing errors: a province's rate above 5% or a wage above a million is refused.
    max_rate: Decimal = Decimal("0.05")
    max_base: Decimal = Decimal("1000000")
    # The per-org monthly rollup is kept for this many months back (the org page's month picker).
    rollup_months: int = 24
    # Rollup recomputation works through this many members at a time (bounded memory).
    batch_size: int = 2000


def dues_policy() -> DuesPolicy:
    return DuesPolicy(**getattr(settings, "GONGHUI_DUES", {}))
