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
    # Spending above this many yuan is approved as a case before it is posted (our default; 基层工会经费收支管理办法
    # leaves the amounts to the union's own rules). A province sets its own, keyed by its region code's first
    # two digits, e.g. {"33": 3000}.
    approval_yuan: int = 5000
    approval_yuan_by_province: dict = field(default_factory=dict)
    # Gifts to members per member and calendar year, in yuan (总工办发〔2017〕32号 leaves the caps to the provinces;
    # the defaults are Fujian's, docs/domain.md 3.3). {"33": {"festival": 1800, "birthday": 300}} per province.
    gift_caps_yuan: dict = field(default_factory=lambda: {"festival": 1300, "birthday": 300})
    gift_caps_by_province: dict = field(default_factory=dict)

    # 资产调拨和处置 approved by level, by the asset's original value (原值) in yuan (our defaults; docs/domain.md:
    # "disposals approved by level", the national federation approving a provincial disposal of 10 million or
    # more, unverified): up to ``own`` the union itself, up to ``upper`` the union directly above it, up to
    # ``province`` the provincial federation, above that the national federation. Per province:
    # {"33": {"own": 20000}}.
    asset_approval_yuan: dict = field(default_factory=lambda: {"own": 50_000, "upper": 1_000_000,
                                                               "province": 10_000_000})  # fmt: skip
    asset_approval_by_province: dict = field(default_factory=dict)
    # 欠缴提醒: a declared month still owed this many days after it ended is reminded to the collecting union's
    # admins, at most once a calendar month per union (our choice: the 15th of the next month is the usual
    # payment day, a fortnight's grace after it).
    arrears_remind_after_days: int = 30
    # 收缴导入 (our choices): rows per batch (one transaction and one audit event each), and per file.
    import_batch_rows: int = 500
    import_max_rows: int = 200_000

    def asset_approval_level(self, region_code: str, value_fen: int) -> str:
        """ "own", "upper", "province" or "national": who approves moving an asset of this original value."""
        limits = self.asset_approval_yuan | self.asset_approval_by_province.get(region_code[:2], {})
        for level in ("own", "upper", "province"):
            if value_fen <= int(limits[level]) * 100:
                return level
        return "national"

    def approval_fen_for(self, region_code: str) -> int:
        return int(self.approval_yuan_by_province.get(region_code[:2], self.approval_yuan)) * 100

    def gift_cap_fen_for(self, region_code: str, purpose: str) -> int:
        caps = self.gift_caps_yuan | self.gift_caps_by_province.get(region_code[:2], {})
        return int(caps[purpose]) * 100


def finance_policy() -> FinancePolicy:
    return FinancePolicy(**getattr(settings, "GONGHUI_FINANCE", {}))
