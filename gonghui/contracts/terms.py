"""The dates and votes of a collective contract (集体合同规定 2004; docs/domain.md §3.6), pure functions of their
inputs: no database, no clock. Whether a day is a working day is passed in (``workday``), so that the services
use the holiday calendar (core.workdays) and the property tests any calendar.

Periods in days follow 民法典 art. 201 and 203: the day of the event is not counted, and a period whose last day
falls on a rest day or holiday ends on the next working day. A term in years ends on the day before the same
date of the last year (no such date, i.e. 29 February: the 28th)."""

import datetime as dt
from collections.abc import Callable

FILING_DAYS = 10  # 集体合同规定 art. 42: 签字之日起 10 日内报送劳动保障行政部门
OBJECTION_DAYS = 15  # art. 47: 收到文本之日起 15 日内未提出异议的，集体合同即行生效
RENEWAL_MONTHS = 3  # art. 40 / 劳动合同法: 期满前 3 个月内可提出续订要求
TERM_YEARS = (1, 3)  # art. 38: 期限一般为 1 至 3 年

Workday = Callable[[dt.date], bool]


def every_day(day: dt.date) -> bool:
    """A calendar with no rest days (for callers that count calendar days only)."""
    return True


def period_end(start: dt.date, days: int, workday: Workday) -> dt.date:
    """The last day of a period of ``days`` days after ``start`` (not counted), moved on to the next working
    day when it is not one."""
    end = start + dt.timedelta(days=days)
    while not workday(end):
        end += dt.timedelta(days=1)
    return end


def filing_due(signed_on: dt.date, workday: Workday) -> dt.date:
    """报送审查的截止日: 10 days after the signing."""
    return period_end(signed_on, FILING_DAYS, workday)


def objection_until(filed_on: dt.date, workday: Workday) -> dt.date:
    """审查异议期的最后一日: 15 days after the labour department received the text."""
    return period_end(filed_on, OBJECTION_DAYS, workday)


def effective_on(filed_on: dt.date, workday: Workday) -> dt.date:
    """生效日: the day after the objection window, when no objection came."""
    return objection_until(filed_on, workday) + dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same date ``months`` later (or earlier); the month's last day where it has no such date."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def expires_on(effective: dt.date, term_years: int) -> dt.date:
    """期满日: the last day of the term counted from the effective date."""
    check_term(term_years)
    return add_months(effective, 12 * term_years) - dt.timedelta(days=1)


def renewal_from(expiry: dt.date) -> dt.date:
    """续订提醒的起始日: 3 months before the expiry."""
    return add_months(expiry, -RENEWAL_MONTHS)


def renewal_due(expiry: dt.date, today: dt.date) -> bool:
    """Within the 3 months before the expiry (the expiry day included)."""
    return renewal_from(expiry) <= today <= expiry


def lapsed(expiry: dt.date, today: dt.date) -> bool:
    """期满: the term is over (the day after the expiry)."""
    return today > expiry


def check_term(term_years: int) -> None:
    low, high = TERM_YEARS
    if not low <= term_years <= high:
        raise ValueError(f"集体合同期限为 {low} 至 {high} 年。")


def quorum(total: int) -> int:
    """出席人数的下限: two thirds of the representatives (or of all workers), rounded up."""
    return -(-2 * total // 3)


def adoption_problem(*, total: int, present: int, votes_for: int, against: int, abstain: int) -> str:
    """Why a vote of the workers' congress (or all workers) does not adopt the draft ("" when it does):
    集体合同规定 art. 36 — two thirds present, more than half of ALL representatives (or workers) in favour."""
    if total < 1:
        return "应到人数至少为 1。"
    if min(present, votes_for, against, abstain) < 0:
        return "人数和票数不能为负数。"
    if present > total:
        return "实到人数不能超过应到人数。"
    if votes_for + against + abstain > present:
        return "赞成、反对和弃权票合计不能超过实到人数。"
    if present < quorum(total):
        return f"实到 {present} 人，不足应到 {total} 人的三分之二（至少 {quorum(total)} 人），会议无效。"
    if votes_for * 2 <= total:
        return f"赞成 {votes_for} 票，未超过应到 {total} 人的半数，草案未获通过。"
    return ""
