"""The numbers of workers' requests and legal cases (docs/architecture.md rule 5): defaults from the rules, overridable.

``settings.GONGHUI_RIGHTS`` (a dict) overrides any field, e.g. ``{"anonymous_by_province": {"33": ["wages"]}}``."""

from dataclasses import dataclass, field

from django.conf import settings

# 诉求类别 (the 12351 hotline's usual categories).
CATEGORIES = {
    "wages": "拖欠工资",
    "contract": "劳动合同",
    "insurance": "社会保险",
    "injury": "工伤",
    "dismissal": "解除劳动关系",
    "hours": "工作时间和休息休假",
    "women": "女职工权益",
    "membership": "会籍和会员服务",
    "other": "其他",
}


def _deadlines() -> dict[str, int]:
    # 办理期限 in working days per category (our defaults, after the common 12351 practice of "5 working days to
    # respond, 15 to answer"): wage arrears and dismissals first, the rest 15.
    return {"wages": 5, "dismissal": 5, "injury": 10, "contract": 10, "insurance": 10, "hours": 10, "women": 10,
            "membership": 15, "other": 15}  # fmt: skip


def _anonymous() -> tuple[str, ...]:
    # Categories a worker may file without giving their name, unless the province says otherwise: those the
    # union can check at the employer without knowing who asked. Contract, injury, dismissal and membership
    # need the worker's own record.
    return ("wages", "hours", "insurance", "women", "other")


@dataclass(frozen=True)
class RightsPolicy:
    deadline_days: dict[str, int] = field(default_factory=_deadlines)
    default_deadline_days: int = 15
    anonymous_categories: tuple[str, ...] = field(default_factory=_anonymous)
    anonymous_by_province: dict[str, list[str]] = field(default_factory=dict)  # province code -> categories
    # The worker may reopen a closed request within this many calendar days (our choice).
    reopen_days: int = 15
    # 劳动争议调解仲裁法 art. 7: ten or more workers with a common claim choose representatives; 劳动人事争议仲裁
    # 办案规则 art. 7 (2017): three to five of them.
    group_threshold: int = 10
    representatives_min: int = 3
    representatives_max: int = 5
    # A legal case's clock reminds its handler this many calendar days before it runs out (our choice).
    clock_remind_days: int = 3

    def deadline_for(self, category: str) -> int:
        return self.deadline_days.get(category, self.default_deadline_days)

    def anonymous_allowed(self, category: str, region_code: str) -> bool:
        allowed = self.anonymous_by_province.get(region_code[:2], self.anonymous_categories)
        return category in allowed


def rights_policy() -> RightsPolicy:
    return RightsPolicy(**getattr(settings, "GONGHUI_RIGHTS", {}))
