"""Open now, in Asia/Shanghai, with hours past midnight and closed days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gonghui.venues.hours import hours_text, open_at

SH = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """2026-11-30 is a Monday; ``day`` 1-7 is Monday-Sunday of that week, in Shanghai."""
    date = dt.date(2026, 11, 30) + dt.timedelta(days=day - 1)
    return dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=SH)


def hours(opens, closes, days="1234567", all_day=False):
    return {"all_day": all_day, "opens_at": opens, "closes_at": closes, "open_days": days}


@pytest.mark.parametrize(
    ("moment", "expected"),
    [(at(1, 7, 59), False), (at(1, 8), True), (at(1, 19, 59), True), (at(1, 20), False), (at(6, 12), False)],
)
def test_daytime_hours_on_weekdays(moment, expected):
    assert open_at(**hours(dt.time(8), dt.time(20), "12345"), moment=moment) is expected


def test_read_in_shanghai_whatever_zone_the_moment_is_in():
    utc = at(1, 8, 30).astimezone(dt.UTC)  # 00:30 UTC
    assert utc.hour == 0
    assert open_at(**hours(dt.time(8), dt.time(20)), moment=utc)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [(at(5, 23), True), (at(6, 5, 59), True), (at(6, 6), False), (at(6, 21), False), (at(7, 2), False),
     (at(1, 2), False), (at(1, 22), True)],
)  # fmt: skip
def test_overnight_hours_belong_to_the_day_they_start(moment, expected):
    # 22:00–06:00, Monday to Friday nights: Friday night runs into Saturday morning, Sunday night is closed.
    assert open_at(**hours(dt.time(22), dt.time(6), "12345"), moment=moment) is expected


def test_all_day_and_missing_hours():
    assert open_at(**hours(None, None, "67", all_day=True), moment=at(7, 3))
    assert not open_at(**hours(None, None, "67", all_day=True), moment=at(1, 3))
    assert not open_at(**hours(None, None), moment=at(1, 12))


def test_hours_text():
    assert hours_text(**hours(dt.time(8), dt.time(20), "12345")) == "周一至周五 08:00–20:00"
    assert hours_text(**hours(None, None, all_day=True)) == "每天 24 小时"
    assert hours_text(**hours(dt.time(9), dt.time(17), "67")) == "周六、日 09:00–17:00"
