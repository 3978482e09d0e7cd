"""The numbers of union finance (docs/architecture.md rule 5): defaults from the rules, overridable.

``settings.GONGHUI_FINANCE`` (a dict) overrides any field, e.g. ``{"budget_warn_bp": 8000}``."""

from dataclasses import dataclass, field

from django.conf import settings


@dataclass(frozen=True)
class FinancePolicy:
    # 工会法 art. 43: employers pay 2% of the monthly total payroll (basis points).
    funds_rate_bp: int = 200
    # 工财字〔2004〕42号: the grassroots union keeps not less than 40% (also a database constraint).
    grassroots_floor_bp: int = 4000
    # Budget vs actual: warn when spending on an account reaches this share of its budget (our choice: 90%).
    budget_warn_bp: int = 9000
    # 工会会计制度: fixed assets from 1,000 yuan (general equipment) or 1,500 yuan (special equipment), in fen.
    asset_threshold_fen: int = 100_000
    special_asset_threshold_fen: int = 150_000
    # Minimum lives in months (docs/domain.md 3.3: buildings 30-50 years, computers 6, vehicles 8); our defaults.
    asset_life_months: dict = field(default_factory=lambda: {"general": 72, "special": 120, "vehicle": 96,
                                                             "building": 360})  # fmt: skip
    # A declared monthly payroll above this many yuan is refused as a likely typing error (our sanity bound).
    max_payroll_yuan: int = 10_000_000_000


def finance_policy() -> FinancePolicy:
    return FinancePolicy(**getattr(settings, "GONGHUI_FINANCE", {}))
