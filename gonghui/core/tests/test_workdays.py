import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.core.models import WorkdayOverride
from gonghui.core.workdays import add_working_days, is_workday, working_days_between

pytestmark = pytest.mark.django_db


def test_deadline_counts_statutory_holidays_and_adjusted_workdays():
    # 2024: 1-7 October off, Saturday 12 October worked (调休).
    assert add_working_days(dt.date(2024, 9, 30), 15) == dt.date(2024, 10, 25)
    assert add_working_days(dt.date(2024, 10, 11), 1) == dt.date(2024, 10, 12)


def test_an_override_turns_a_workday_into_a_rest_day_and_back():
    friday = dt.date(2024, 11, 8)
    assert is_workday(friday)
    WorkdayOverride.objects.create(day=friday, is_workday=False, note="地方调休")
    assert not is_workday(friday)
    assert add_working_days(dt.date(2024, 11, 7), 1) == dt.date(2024, 11, 11)
    saturday = dt.date(2024, 11, 9)
    WorkdayOverride.objects.create(day=saturday, is_workday=True)
    assert add_working_days(dt.date(2024, 11, 7), 1) == saturday


def test_a_year_beyond_the_calendar_counts_monday_to_friday_unless_overridden():
    monday = dt.date(2099, 1, 5)
    assert is_workday(monday) and not is_workday(dt.date(2099, 1, 3))
    WorkdayOverride.objects.create(day=monday, is_workday=False, note="元旦")
    assert add_working_days(dt.date(2099, 1, 2), 1) == dt.date(2099, 1, 6)


@settings(max_examples=60, deadline=None)
@given(start=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), days=st.integers(0, 40))
def test_adding_then_counting_working_days_gives_the_same_number(start, days):
    end = add_working_days(start, days)
    assert working_days_between(start, end) == days
    assert end == start or is_workday(end)
