"""法定时限 of a labour dispute (劳动争议调解仲裁法; docs/domain.md §3.5), computed from the dates of its
events. Pure: no database; the calendar is a predicate ``workday(date) -> bool`` (the services pass the
platform's holiday calendar with the system administrator's overrides).

How the days are counted (docs/decisions/0024):
- the day of the event is not counted (民事诉讼法 art. 85, which the arbitration rules follow);
- a period in days is in calendar days, and when its last day is not a working day (a weekend, a statutory
  holiday) it ends on the next working day (ibid.);
- "five days" to accept or reject an arbitration application are working days (劳动人事争议仲裁办案规则
  2017 art. 12: 三日、五日、十日 are working days);
- a period in years ends on the same date of the later year (the last day of February for 29 February), then
  rolls to a working day like any other.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import chinese_calendar

Workday = Callable[[dt.date], bool]

MEDIATION_DAYS = 15  # art. 14
LIMITATION_YEARS = 1  # art. 27
ACCEPT_WORKING_DAYS = 5  # art. 29
AWARD_DAYS = 45  # art. 43
EXTENSION_MAX_DAYS = 15  # art. 43
SUE_DAYS = 15  # art. 48/50
SET_ASIDE_DAYS = 30  # art. 49


def statutory_workday(day: dt.date) -> bool:
    """The statutory calendar (调休 included); Monday to Friday for a year the calendar does not cover yet."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def roll(day: dt.date, workday: Workday) -> dt.date:
    """``day``, or the first working day after it."""
    while not workday(day):
        day += dt.timedelta(days=1)
    return day


def calendar_end(start: dt.date, days: int, workday: Workday = statutory_workday) -> dt.date:
    """The last day of a period of ``days`` calendar days from the event on ``start``."""
    if days < 0:
        raise ValueError("days must not be negative")
    return roll(start + dt.timedelta(days=days), workday)


def working_end(start: dt.date, days: int, workday: Workday = statutory_workday) -> dt.date:
    """The ``days``-th working day after ``start``."""
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        left -= workday(day)
    return day


def years_end(start: dt.date, years: int, workday: Workday = statutory_workday) -> dt.date:
    try:
        same = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        same = start.replace(year=start.year + years, day=28)
    return roll(same, workday)


def mediation_end(applied_on: dt.date, workday: Workday = statutory_workday) -> dt.date:
    """调解期限: no agreement by this day → either side may apply for arbitration."""
    return calendar_end(applied_on, MEDIATION_DAYS, workday)


def limitation_end(known_on: dt.date, *, wage_arrears: bool = False, employment_ended_on: dt.date | None = None,
                   workday: Workday = statutory_workday) -> dt.date | None:  # fmt: skip
    """仲裁时效: one year from the day the worker knew (or should have known) of the infringement. Wage arrears
    during employment are not time-limited (None while employed); once employment ends, the year runs from
    its end."""
    if wage_arrears:
        if employment_ended_on is None:
            return None
        return years_end(employment_ended_on, LIMITATION_YEARS, workday)
    return years_end(known_on, LIMITATION_YEARS, workday)


def acceptance_end(received_on: dt.date, workday: Workday = statutory_workday) -> dt.date:
    """仲裁受理: accept or reject within five working days of receiving the application."""
    return working_end(received_on, ACCEPT_WORKING_DAYS, workday)


def award_end(accepted_on: dt.date, extension_days: int = 0, workday: Workday = statutory_workday) -> dt.date:
    """仲裁裁决: 45 days from acceptance, extended by the arbitration commission by at most 15."""
    if not 0 <= extension_days <= EXTENSION_MAX_DAYS:
        raise ValueError(f"extension must be 0 to {EXTENSION_MAX_DAYS} days")
    return calendar_end(accepted_on, AWARD_DAYS + extension_days, workday)


def sue_end(served_on: dt.date, workday: Workday = statutory_workday) -> dt.date:
    """起诉期限: the worker may sue within 15 days of receiving the award."""
    return calendar_end(served_on, SUE_DAYS, workday)


def set_aside_end(served_on: dt.date, workday: Workday = statutory_workday) -> dt.date:
    """撤销申请期限: the employer may apply to set the (final) award aside within 30 days of receiving it."""
    return calendar_end(served_on, SET_ASIDE_DAYS, workday)


@dataclass(frozen=True)
class Events:
    """The dates a case has recorded so far (any may be missing)."""

    known_on: dt.date | None = None
    wage_arrears: bool = False
    employment_ended_on: dt.date | None = None
    mediation_applied_on: dt.date | None = None
    mediation_ended_on: dt.date | None = None
    arbitration_applied_on: dt.date | None = None
    arbitration_accepted_on: dt.date | None = None
    extension_days: int = 0
    award_served_on: dt.date | None = None
    closed: bool = False


@dataclass(frozen=True)
class Clock:
    """One clock: its name, the event it runs from, the day it runs out; ``done`` once the next event came."""

    key: str
    name: str
    started_on: dt.date
    due_on: dt.date
    done: bool

    def days_left(self, today: dt.date) -> int:
        return (self.due_on - today).days


def clocks(events: Events, workday: Workday = statutory_workday) -> list[Clock]:
    """Every clock the recorded events start, in the order of the procedure."""
    e, found = events, []
    if e.known_on is not None or e.employment_ended_on is not None:
        due = limitation_end(e.known_on or e.employment_ended_on, wage_arrears=e.wage_arrears,
                             employment_ended_on=e.employment_ended_on, workday=workday)  # fmt: skip
        if due is not None:
            start = e.employment_ended_on if e.wage_arrears else e.known_on
            found.append(Clock("limitation", "仲裁时效（1年）", start, due,
                               e.closed or e.arbitration_applied_on is not None))  # fmt: skip
    if e.mediation_applied_on is not None:
        ended = e.closed or e.mediation_ended_on is not None or e.arbitration_applied_on is not None
        due = mediation_end(e.mediation_applied_on, workday)
        found.append(Clock("mediation", "调解期限（15日）", e.mediation_applied_on, due, ended))
    if e.arbitration_applied_on is not None:
        found.append(Clock("acceptance", "仲裁受理（5个工作日）", e.arbitration_applied_on,
                           acceptance_end(e.arbitration_applied_on, workday),
                           e.closed or e.arbitration_accepted_on is not None))  # fmt: skip
    if e.arbitration_accepted_on is not None:
        name = f"仲裁裁决（45日，延长{e.extension_days}日）" if e.extension_days else "仲裁裁决（45日）"
        found.append(Clock("award", name, e.arbitration_accepted_on,
                           award_end(e.arbitration_accepted_on, e.extension_days, workday),
                           e.closed or e.award_served_on is not None))  # fmt: skip
    if e.award_served_on is not None:
        found.append(
            Clock("sue", "劳动者起诉（15日）", e.award_served_on, sue_end(e.award_served_on, workday), e.closed)
        )
        found.append(Clock("set_aside", "用人单位申请撤销裁决（30日）", e.award_served_on,
                           set_aside_end(e.award_served_on, workday), e.closed))  # fmt: skip
    return found
