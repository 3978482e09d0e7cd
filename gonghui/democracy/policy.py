"""The numbers of democratic management (docs/architecture.md rule 5), each with its source (docs/domain.md
§3.7 and §3.11). ``settings.GONGHUI_DEMOCRACY`` (a dict) overrides any field, e.g.
``{"size_tiers_by_province": {"33": [[0, 30, 0, 1]]}}``."""

from dataclasses import dataclass, field

from django.conf import settings

# 代表名额 tiers: (from staff, base, add, per staff) — at ``staff`` the tier with the largest ``from`` not above
# it gives base + add × ⌊(staff − from) ÷ per⌋. Shanghai's rule (上海职代会条例 2017): 30 up to 100 staff, +5
# per 100 staff from 100 to 3,000, at least 175 above 3,000. Used wherever a province sets no formula.
SHANGHAI_TIERS = ((0, 30, 0, 1), (100, 30, 5, 100), (3000, 175, 0, 1))


@dataclass(frozen=True)
class DemocracyPolicy:
    size_tiers: tuple = SHANGHAI_TIERS
    size_tiers_by_province: dict = field(default_factory=dict)
    # Managers at most 20% of the representatives; regional and sector congresses 30% (§3.11).
    managers_max_percent: int = 20
    managers_max_percent_regional: int = 30
    # Front-line workers at least 50% where required (regional and sector congresses, §3.11).
    frontline_min_percent: int = 50
    # A term of 3 to 5 years (§3.11).
    term_min_years: int = 3
    term_max_years: int = 5
    # Materials reach the representatives 7 days before a sitting (§3.11).
    materials_days: int = 7
    # The resolution is reported to the upper union within 7 working days (§3.11).
    report_working_days: int = 7
    # A check-in QR code stays valid this many hours (our choice: one sitting day).
    checkin_hours: int = 12
    # A proposal needs at least 2 co-signers, other formal representatives (issue 15; 提案工作规范 practice).
    proposal_cosigners: int = 2
    # The handling deadline a committee may set, in working days (our bounds; the default is the form's).
    proposal_days_default: int = 30
    proposal_days_max: int = 120
    # Union elections: a union of at most 100 members elects in a members' assembly of all of them (工会基层组织选举
    # 工作条例 art. 8); the list of unions due for election looks this many months ahead (our default).
    assembly_max_members: int = 100
    election_ahead_months: int = 6

    def tiers_for(self, region_code: str) -> tuple:
        return tuple(tuple(t) for t in self.size_tiers_by_province.get(region_code[:2], self.size_tiers))


def democracy_policy() -> DemocracyPolicy:
    return DemocracyPolicy(**getattr(settings, "GONGHUI_DEMOCRACY", {}))
