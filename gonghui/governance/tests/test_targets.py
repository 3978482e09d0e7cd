"""规划目标的算术: progress, the pace needed, the projection from the trend, the split check (properties)."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.governance import targets

FAST = settings(max_examples=50, deadline=None)
amounts = st.integers(min_value=0, max_value=10**9).map(Decimal)
positive = st.integers(min_value=1, max_value=10**9).map(Decimal)
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


@FAST
@given(actual=amounts, target=positive, today=days, due=days)
def test_the_pace_reaches_the_target_by_its_month(actual, target, today, due):
    pace = targets.pace_needed(actual, target, today, due)
    left = targets.months_left(today, due)
    if left < 0:
        assert pace is None
        return
    assert pace >= 0 and pace == pace.to_integral_value()
    assert actual + pace * (left + 1) >= target  # this month and each month left to the due month
    if actual < target:  # and not more than needed: one unit less a month falls short
        assert actual + (pace - 1) * (left + 1) < target


def test_known_pace_and_progress():
    assert targets.pace_needed(Decimal(40), Decimal(100), dt.date(2026, 11, 30), dt.date(2027, 4, 30)) == 10
    assert targets.pace_needed(Decimal(120), Decimal(100), dt.date(2026, 11, 30), dt.date(2027, 4, 30)) == 0
    assert targets.pace_needed(Decimal(1), Decimal(100), dt.date(2026, 11, 30), dt.date(2025, 12, 31)) is None
    assert targets.progress(Decimal(25), Decimal(100)) == Decimal("0.25")


@FAST
@given(actual=amounts, more=amounts, target=positive)
def test_progress_grows_with_the_actual_and_is_one_at_the_target(actual, more, target):
    assert targets.progress(actual + more, target) >= targets.progress(actual, target)
    assert targets.progress(target, target) == 1


@FAST
@given(start=st.integers(0, 10**6), slope=st.integers(-1000, 1000), n=st.integers(2, 12), ahead=st.integers(0, 36))
def test_the_projection_of_a_straight_line_continues_it(start, slope, n, ahead):
    first = dt.date(2025, 1, 1)
    series = [(targets.add_months(first, i), Decimal(start + slope * i)) for i in range(n)]
    due = targets.add_months(series[-1][0], ahead)
    assert targets.projection(series, due) == Decimal(start + slope * (n - 1 + ahead))


def test_no_projection_from_one_month_or_for_a_past_date():
    assert targets.projection([(dt.date(2026, 1, 1), Decimal(5))], dt.date(2027, 1, 1)) is None
    two = [(dt.date(2026, 1, 1), Decimal(5)), (dt.date(2026, 2, 1), Decimal(7))]
    assert targets.projection(two, dt.date(2025, 12, 31)) is None


@FAST
@given(parent=positive, shares=st.lists(amounts, max_size=8))
def test_the_split_shortfall_is_what_the_children_miss(parent, shares):
    short = targets.split_shortfall(parent, shares)
    assert short >= 0
    assert (short == 0) == (sum(shares, Decimal(0)) >= parent)
    assert sum(shares, Decimal(0)) + short >= parent


@FAST
@given(month=days, n=st.integers(-50, 50))
def test_months_add_and_count_back(month, n):
    m = targets.month_of(month)
    assert targets.months_left(m, targets.add_months(m, n)) == n
