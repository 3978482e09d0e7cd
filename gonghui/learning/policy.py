"""The numbers of learning accounts, each default with its source; a province may set its own reading rule with
``settings.GONGHUI_LEARNING_READING`` ({province code: {field: value}}, "" for every province), and the kept
days with ``GONGHUI_LEARNING_CHECKIN_KEEP_DAYS``."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


@dataclass(frozen=True)
class ReadingRule:
    """读书打卡学分规则. The common rule of the 职工书香 campaigns: 1 credit for each full hour read, tenths for
    part of an hour, at most 2 credits a day (reading for the credits all day earns no more), and one sitting
    is at most 10 hours (a typing slip, not a reading)."""

    minutes_per_credit: int = 60
    daily_cap: Decimal = Decimal("2.0")
    max_minutes: int = 600


def reading_rule(province: str = "") -> ReadingRule:
    """The rule of the province (two-digit code of the member's union's region), else the national default."""
    rules = getattr(settings, "GONGHUI_LEARNING_READING", {})
    fields = {**rules.get("", {}), **rules.get(province, {})}
    if "daily_cap" in fields:
        fields["daily_cap"] = Decimal(str(fields["daily_cap"]))
    return ReadingRule(**fields)


def checkin_keep_days() -> int:
    """读书打卡 kept three years after the day read (a year's credits are asked for at the next two years'
    selections of 书香职工 and in 学习型班组 reviews; GONGHUI_LEARNING_CHECKIN_KEEP_DAYS overrides)."""
    return int(getattr(settings, "GONGHUI_LEARNING_CHECKIN_KEEP_DAYS", 1095))
