"""Opening hours: open now, in Asia/Shanghai (docs/architecture.md rule 8), including hours past midnight."""

import datetime as dt

from django.utils import timezone


def open_at(*, all_day: bool, opens_at: dt.time | None, closes_at: dt.time | None, open_days: str,
            moment: dt.datetime) -> bool:  # fmt: skip
    """Whether a venue with these hours is open at ``moment`` (aware; read in Asia/Shanghai). Hours that pass
    midnight (22:00–06:00) belong to the day they start on."""
    local = timezone.localtime(moment)
    day, now = str(local.isoweekday()), local.time()
    if all_day:
        return day in open_days
    if opens_at is None or closes_at is None:
        return False
    if opens_at < closes_at:
        return day in open_days and opens_at <= now < closes_at
    yesterday = str((local - dt.timedelta(days=1)).isoweekday())
    return (day in open_days and now >= opens_at) or (yesterday in open_days and now < closes_at)


def hours_text(*, all_day: bool, opens_at: dt.time | None, closes_at: dt.time | None, open_days: str) -> str:
    """ "周一至周五 08:00–18:00", "每天 24 小时"."""
    names = "一二三四五六日"
    if open_days == "1234567":
        days = "每天"
    elif open_days == "12345":
        days = "周一至周五"
    else:
        days = "周" + "、".join(names[int(d) - 1] for d in open_days)
    if all_day:
        return f"{days} 24 小时"
    if opens_at is None or closes_at is None:
        return "未登记开放时间"
    return f"{days} {opens_at:%H:%M}–{closes_at:%H:%M}"
