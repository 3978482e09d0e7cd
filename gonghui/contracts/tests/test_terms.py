"""The dates and votes of a collective contract (contracts/terms.py) at their boundaries, with the real holiday
calendar (the Spring Festival, National Day) and with any calendar (property tests)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.contracts import terms
from gonghui.core.workdays import _statutory_workday

DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
PROPERTY = settings(max_examples=50, deadline=None)


def weekdays(day: dt.date) -> bool:
    return day.weekday() < 5


def test_filing_objection_and_effect_count_from_the_next_day():
    # Signed on Tuesday 2025-03-04: 10 days → Friday 03-14; received 03-14: 15 days → Saturday 03-29, moved on to
    # Monday 03-31; in effect on 04-01.
    assert terms.filing_due(dt.date(2025, 3, 4), _statutory_workday) == dt.date(2025, 3, 14)
    assert terms.objection_until(dt.date(2025, 3, 14), _statutory_workday) == dt.date(2025, 3, 31)
    assert terms.effective_on(dt.date(2025, 3, 14), _statutory_workday) == dt.date(2025, 4, 1)
    assert terms.filing_due(dt.date(2025, 3, 4), terms.every_day) == dt.date(2025, 3, 14)


def test_a_period_ending_in_the_spring_festival_ends_after_it():
    # 2025: 春节 holidays 01-28 to 02-04 (01-26 and 02-08 worked). Signed 01-20: day 10 is 01-30 → 02-05.
    assert terms.filing_due(dt.date(2025, 1, 20), _statutory_workday) == dt.date(2025, 2, 5)
    # Received 01-15: day 15 is 01-30 (holiday) → 02-05; in effect 02-06.
    assert terms.effective_on(dt.date(2025, 1, 15), _statutory_workday) == dt.date(2025, 2, 6)
    # 2024 National Day: 10-01 to 10-07; signed 09-21 → day 10 = 10-01 → 10-08.
    assert terms.filing_due(dt.date(2024, 9, 21), _statutory_workday) == dt.date(2024, 10, 8)


def test_terms_end_the_day_before_the_same_date_and_29_february():
    assert terms.expires_on(dt.date(2025, 4, 1), 3) == dt.date(2028, 3, 31)
    assert terms.expires_on(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 27)  # no 29th: the 28th, less a day
    assert terms.expires_on(dt.date(2024, 3, 1), 1) == dt.date(2025, 2, 28)
    assert terms.renewal_from(dt.date(2028, 5, 31)) == dt.date(2028, 2, 29)
    assert terms.renewal_from(dt.date(2027, 5, 31)) == dt.date(2027, 2, 28)
    for bad in (0, 4, -1):
        with pytest.raises(ValueError, match="1 至 3 年"):
            terms.expires_on(dt.date(2025, 1, 1), bad)


@PROPERTY
@given(DAYS, st.sampled_from([terms.every_day, weekdays]))
def test_periods_end_on_a_working_day_at_least_their_length_later(start, workday):
    due = terms.filing_due(start, workday)
    assert workday(due) and due >= start + dt.timedelta(days=terms.FILING_DAYS)
    # nothing skipped: every day between the nominal end and the due date is a rest day
    nominal = start + dt.timedelta(days=terms.FILING_DAYS)
    assert all(not workday(nominal + dt.timedelta(days=i)) for i in range((due - nominal).days))
    effective = terms.effective_on(start, workday)
    assert effective == terms.objection_until(start, workday) + dt.timedelta(days=1)
    assert effective > start + dt.timedelta(days=terms.OBJECTION_DAYS)


@PROPERTY
@given(DAYS, st.integers(1, 3))
def test_a_term_lasts_its_years_and_the_renewal_window_is_three_months(effective, years):
    expiry = terms.expires_on(effective, years)
    length = (expiry - effective).days + 1
    assert 365 * years <= length <= 366 * years
    nxt = expiry + dt.timedelta(days=1)
    assert (nxt.month, nxt.day) == (effective.month, effective.day) or (effective.month, effective.day) == (2, 29)
    start = terms.renewal_from(expiry)
    assert 89 <= (expiry - start).days <= 92
    assert terms.renewal_due(expiry, start) and terms.renewal_due(expiry, expiry)
    assert not terms.renewal_due(expiry, start - dt.timedelta(days=1))
    assert not terms.lapsed(expiry, expiry) and terms.lapsed(expiry, nxt)
    assert not terms.renewal_due(expiry, nxt)


@PROPERTY
@given(st.integers(1, 500), st.data())
def test_adoption_needs_two_thirds_present_and_more_than_half_of_all_in_favour(total, data):
    present = data.draw(st.integers(0, total))
    votes_for = data.draw(st.integers(0, present))
    against = data.draw(st.integers(0, present - votes_for))
    problem = terms.adoption_problem(total=total, present=present, votes_for=votes_for, against=against, abstain=0)
    assert (problem == "") == (3 * present >= 2 * total and 2 * votes_for > total)
    assert terms.quorum(total) * 3 >= 2 * total > (terms.quorum(total) - 1) * 3


def test_adoption_messages_name_the_rule():
    assert "三分之二" in terms.adoption_problem(total=90, present=59, votes_for=59, against=0, abstain=0)
    assert terms.adoption_problem(total=90, present=60, votes_for=46, against=0, abstain=0) == ""
    assert "半数" in terms.adoption_problem(total=90, present=90, votes_for=45, against=0, abstain=0)
    assert "超过实到" in terms.adoption_problem(total=90, present=60, votes_for=50, against=8, abstain=3)
    assert "超过应到" in terms.adoption_problem(total=90, present=91, votes_for=50, against=0, abstain=0)
