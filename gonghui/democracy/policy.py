"""The numbers of democratic management (docs/architecture.md rule 5), each with its source (docs/domain.md
§3.7 and §3.11). ``settings.GONGHUI_DEMOCRACY`` (a dict) overrides any field, e.g.
``{"size_tiers_by_province": {"33": [[0, 30, 0, 1]]}}``."""

from dataclasses import dataclass, field

from django.conf import settings

# 代表名额 tiers: (from staff, base, add, per staff) — at ``staff`` the tier with the largest ``from`` not above
# it gives base + add × ⌊(staff − from) ÷ per⌋. Shanghai's rule (上海职代会条例 2017): 30 up to 100 staff, +5
# per 100 staff from 100 to 3,000, at least 175 above 3,000. Used wherever a province sets no formula.
SHANGHAI_TIERS = ((0, 30, 0, 1), (100, 30, 5, 100), (3000, 175, 0, 1))


# 厂务公开 standing items (docs/domain.md §3.11): our summary of 中办发〔2002〕13号 (state-owned and state-controlled
# firms) and of 企业民主管理规定 2012 art. 29-30 (non-public firms). A province sets its own lists
# (``disclosure_items_by_province``: {"37": {"state": [[code, label], ...], "non_public": [...]}}).
STATE_ITEMS = (
    ("plan", "企业中长期发展规划和年度生产经营目标及完成情况"),
    ("invest", "重大投资、技术改造和资产重组"),
    ("restructure", "企业改制、兼并、破产和分立合并方案"),
    ("contracts", "劳动合同和集体合同的订立和履行"),
    ("pay", "工资分配、奖金和职工福利"),
    ("insurance", "社会保险和住房公积金缴纳"),
    ("safety", "劳动安全卫生和职业病防护"),
    ("training", "职工培训、评先选优和职称评聘"),
    ("rules", "涉及职工切身利益的规章制度"),
    ("integrity", "企业领导人员廉洁自律和业务招待费使用"),
    ("proposals", "职代会提案办理情况"),
)
NON_PUBLIC_ITEMS = (
    ("operation", "企业经营状况"),
    ("contracts", "劳动合同和集体合同的订立和履行"),
    ("pay", "工资支付、加班和劳动定额"),
    ("insurance", "社会保险缴纳"),
    ("safety", "劳动安全卫生和职业病防护"),
    ("rules", "涉及职工切身利益的规章制度"),
    ("training", "职工培训和奖惩"),
)


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
    # 厂务公开 (§3.11, calendar days as the sources write 日): the agenda 7 days before a sitting, its results
    # within 3 days after, every posting up at least 15 days, a worker's question answered within 30 days.
    disclosure_items: dict = field(default_factory=lambda: {"state": STATE_ITEMS, "non_public": NON_PUBLIC_ITEMS})
    disclosure_items_by_province: dict = field(default_factory=dict)
    agenda_days_before: int = 7
    results_days_after: int = 3
    posted_min_days: int = 15
    answer_days: int = 30
    answer_remind_days_before: int = 5
    # A worker's question and its answer are kept two years after it was asked (our choice: a sitting's term of
    # office and the next year's disclosure round can still refer to them), then deleted.
    question_keep_days: int = 730

    def tiers_for(self, region_code: str) -> tuple:
        return tuple(tuple(t) for t in self.size_tiers_by_province.get(region_code[:2], self.size_tiers))


def democracy_policy() -> DemocracyPolicy:
    return DemocracyPolicy(**getattr(settings, "GONGHUI_DEMOCRACY", {}))


def question_keep_days() -> int:
    return democracy_policy().question_keep_days


def disclosure_catalogue(ownership: str, region_code: str) -> tuple[tuple[str, str], ...]:
    """The standing items an employer of ``ownership`` discloses in the province of ``region_code``."""
    policy = democracy_policy()
    lists = policy.disclosure_items_by_province.get(region_code[:2], policy.disclosure_items)
    return tuple(tuple(item) for item in lists[ownership])
