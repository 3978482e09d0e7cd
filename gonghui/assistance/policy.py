"""The numbers of hardship assistance (docs/architecture.md rule 5): defaults from the rules, overridable.

``settings.GONGHUI_ASSISTANCE`` (a dict) overrides any field, e.g. ``{"notice_days_by_province": {"33": 7}}``."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings


def _caps() -> dict[str, Decimal]:
    # 每户每年帮扶上限 (yuan): our defaults, modelled on provincial union rules; every province sets its own.
    return {"living": Decimal("10000"), "medical": Decimal("30000"), "school": Decimal("10000"),
            "winter": Decimal("3000")}  # fmt: skip


@dataclass(frozen=True)
class AssistancePolicy:
    # 公示 5 working days (docs/domain.md 3.4, Qingdao's summary); a province may set its own (keyed by its code).
    notice_days: int = 5
    notice_days_by_province: dict[str, int] = field(default_factory=dict)
    # Yearly caps per aid type (per household and calendar year).
    yearly_caps: dict[str, Decimal] = field(default_factory=_caps)
    # Migrant workers need at least one year of work in the city (docs/domain.md 3.4).
    migrant_min_years: int = 1
    # 意外致困: losses in the year above 80% of the household's annual income (docs/domain.md 3.4).
    accident_loss_share: Decimal = Decimal("0.8")
    # The yearly review (动态管理): a review a year after approval, to be done within 30 days (our choice).
    review_every_days: int = 365
    review_days: int = 30

    def notice_days_for(self, region_code: str) -> int:
        return self.notice_days_by_province.get(region_code[:2], self.notice_days)


def assistance_policy() -> AssistancePolicy:
    return AssistancePolicy(**getattr(settings, "GONGHUI_ASSISTANCE", {}))
