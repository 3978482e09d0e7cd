"""Working-day arithmetic for legal deadlines (docs/architecture.md rule 8): the statutory holiday calendar
(chinese-calendar, 调休 included) under the system administrator's overrides (``core.WorkdayOverride``)."""

import datetime as dt

import chinese_calendar

from gonghui.core.models import WorkdayOverride


def _statutory_workday(day: dt.date) -> bool:
    """For a year the calendar package does not cover yet, Monday to Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def _overrides(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    rows = WorkdayOverride.objects.filter(day__gte=first, day__lte=last).values_list("day", "is_workday")
    return dict(rows)


def is_workday(day: dt.date) -> bool:
    return _overrides(day, day).get(day, _statutory_workday(day))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (the day of receipt itself is not counted)."""
    # Long holidays never stretch a span to three times its length plus a month; read that window's
    # overrides in one query, and widen it in the (never seen) case the walk runs past it.
    window_end = start + dt.timedelta(days=days * 3 + 31)
    overrides = _overrides(start, window_end)
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if day > window_end:
            window_end = day + dt.timedelta(days=days * 3 + 31)
            overrides = _overrides(day, window_end)
        if overrides.get(day, _statutory_workday(day)):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days after ``start`` up to and including ``end`` (0 if ``end`` is not later)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += overrides.get(day, _statutory_workday(day))
    return count
