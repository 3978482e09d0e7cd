"""Working-day arithmetic for legal deadlines (ARCHITECTURE rule 8), on the statutory holiday calendar."""

import datetime as dt

import chinese_calendar


def is_workday(day: dt.date) -> bool:
    """A working day under the State Council's holiday arrangement (调休 included); for a year the
    calendar package does not cover yet, Monday to Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (the day of receipt itself is not counted)."""
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day
