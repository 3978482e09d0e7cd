"""The numbers of the workforce area (docs/architecture.md rule 5), each default from its source; override any
field with ``settings.GONGHUI_WORKFORCE`` (a dict). A competition and a selection round carry their own copy
of what the rules leave to them (weights, award shares, notice days, quotas)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings


def _shares() -> list[int]:
    return [10, 20, 30]


def _care_accounts() -> dict[str, str]:
    # 劳模关爱 paid from the union's account, by the 2021 chart's sub-accounts (docs/domain.md 3.9; our defaults,
    # the rules leave the choice to the union): 疗休养 and the health check are 50104 劳模和职工疗休养活动支出,
    # festival visits 50405 送温暖支出, the special subsidy (mostly for model workers in hardship) 50404
    # 困难职工帮扶支出.
    return {"health_check": "50104", "rest": "50104", "festival": "50405", "subsidy": "50404"}


@dataclass(frozen=True)
class WorkforcePolicy:
    # Theory 30% / practice 70% by default, theory at most 30% (docs/domain.md 3.10).
    theory_weight: Decimal = Decimal("0.30")
    # Prize tiers as shares of the entrants: 10/20/30% (docs/domain.md 3.10, commonly).
    award_shares: list[int] = field(default_factory=_shares)
    # Top 5 → 全国技术能手 eligibility; places 6-20 → grade certificates (docs/domain.md 3.10).
    technician_top: int = 5
    certificate_until: int = 20
    # Appeals within 2 hours after the event (docs/domain.md 3.10).
    appeal_hours: int = 2
    # A notice (公示) of a selection round: at least 5 working days (docs/domain.md 3.9).
    min_notice_days: int = 5
    # A unit's exclusions look back 3 years (serious accidents within 3 years; wage arrears read over the same
    # years) (docs/domain.md 3.9).
    exclusion_years: int = 3
    # A studio's yearly evaluation: 优秀 from 90, 合格 from 60, else 不合格 (docs/domain.md 3.9b, local example).
    studio_excellent: int = 90
    studio_pass: int = 60
    # The account each kind of care with an amount is booked to (see ``_care_accounts``).
    care_accounts: dict[str, str] = field(default_factory=_care_accounts)


def workforce_policy() -> WorkforcePolicy:
    return WorkforcePolicy(**getattr(settings, "GONGHUI_WORKFORCE", {}))
