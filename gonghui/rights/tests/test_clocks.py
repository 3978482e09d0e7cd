"""The statutory clocks of a labour dispute (rights.clocks): each at its boundaries, across the 2026 Spring
Festival (15-23 February off, Saturday 14 and 28 February worked), and as properties over any dates."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.rights import clocks
from gonghui.rights.clocks import Events, statutory_workday

SETTINGS = settings(max_examples=50, deadline=None)
DAYS = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31))
d = dt.date


def test_mediation_ends_fifteen_days_on_or_the_first_working_day_after_a_holiday():
    assert clocks.mediation_end(d(2026, 3, 2)) == d(2026, 3, 17)  # a Tuesday: as counted
    assert clocks.mediation_end(d(2026, 2, 1)) == d(2026, 2, 24)  # 16 February is in the Spring Festival
    assert clocks.mediation_end(d(2026, 3, 6)) == d(2026, 3, 23)  # 21 March is a Saturday


def test_arbitration_accepts_within_five_working_days_counting_the_adjusted_saturday():
    # 13 (Fri), 14 (Saturday worked), then the holiday, then 24, 25, 26 February.
    assert clocks.acceptance_end(d(2026, 2, 12)) == d(2026, 2, 26)
    assert clocks.acceptance_end(d(2026, 3, 2)) == d(2026, 3, 9)


def test_the_award_within_forty_five_days_extended_by_at_most_fifteen():
    assert clocks.award_end(d(2026, 1, 5)) == d(2026, 2, 24)  # 19 February is a holiday
    assert clocks.award_end(d(2026, 1, 5), 15) == d(2026, 3, 6)
    with pytest.raises(ValueError):
        clocks.award_end(d(2026, 1, 5), 16)


def test_fifteen_days_to_sue_and_thirty_to_set_aside_after_the_award_is_served():
    assert clocks.sue_end(d(2026, 2, 8)) == d(2026, 2, 24)
    assert clocks.sue_end(d(2026, 3, 2)) == d(2026, 3, 17)
    assert clocks.set_aside_end(d(2026, 1, 16)) == d(2026, 2, 24)
    assert clocks.set_aside_end(d(2026, 3, 2)) == d(2026, 4, 1)


def test_one_year_limitation_and_wage_arrears_during_employment():
    assert clocks.limitation_end(d(2025, 2, 20)) == d(2026, 2, 24)
    assert clocks.limitation_end(d(2024, 2, 29)) == d(2025, 2, 28)
    assert clocks.limitation_end(d(2025, 5, 6), wage_arrears=True) is None  # still employed: not limited
    assert clocks.limitation_end(d(2023, 1, 1), wage_arrears=True, employment_ended_on=d(2026, 3, 2)) == d(2027, 3, 2)


def test_the_clocks_a_case_runs_follow_its_events():
    events = Events(known_on=d(2026, 1, 5), mediation_applied_on=d(2026, 2, 1))
    assert [(c.key, c.due_on, c.done) for c in clocks.clocks(events)] == [
        ("limitation", d(2027, 1, 5), False), ("mediation", d(2026, 2, 24), False)]  # fmt: skip
    later = Events(known_on=d(2026, 1, 5), mediation_applied_on=d(2026, 2, 1), arbitration_applied_on=d(2026, 3, 2),
                   arbitration_accepted_on=d(2026, 3, 6), extension_days=10, award_served_on=d(2026, 5, 4))  # fmt: skip
    found = {c.key: c for c in clocks.clocks(later)}
    assert all(found[k].done for k in ("limitation", "mediation", "acceptance", "award"))
    assert found["award"].due_on == d(2026, 4, 30) and "延长10日" in found["award"].name
    assert (found["sue"].due_on, found["set_aside"].due_on) == (d(2026, 5, 19), d(2026, 6, 3))
    assert clocks.clocks(Events(wage_arrears=True, known_on=d(2026, 1, 5))) == []
    assert clocks.clocks(Events()) == []
    assert found["sue"].days_left(d(2026, 5, 18)) == 1 and found["sue"].days_left(d(2026, 5, 20)) == -1


@SETTINGS
@given(start=DAYS, days=st.integers(0, 60))
def test_a_calendar_period_ends_on_the_first_working_day_from_its_last_day(start, days):
    end = clocks.calendar_end(start, days)
    last = start + dt.timedelta(days=days)
    assert end >= last and statutory_workday(end)
    assert all(not statutory_workday(last + dt.timedelta(days=i)) for i in range((end - last).days))


@SETTINGS
@given(start=DAYS, days=st.integers(1, 20))
def test_a_working_day_period_counts_exactly_its_working_days(start, days):
    end = clocks.working_end(start, days)
    between = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(statutory_workday(day) for day in between) == days and statutory_workday(end)


@SETTINGS
@given(accepted=DAYS, a=st.integers(0, 15), b=st.integers(0, 15))
def test_an_extension_never_shortens_the_award_period(accepted, a, b):
    low, high = sorted((a, b))
    assert accepted + dt.timedelta(days=45) <= clocks.award_end(accepted, low) <= clocks.award_end(accepted, high)


@SETTINGS
@given(served=DAYS)
def test_the_employer_always_has_longer_than_the_worker_after_an_award(served):
    assert served + dt.timedelta(days=15) <= clocks.sue_end(served) < clocks.set_aside_end(served)


@SETTINGS
@given(known=DAYS, ended=st.one_of(st.none(), DAYS))
def test_the_limitation_is_a_year_or_more_and_only_wage_arrears_while_employed_escape_it(known, ended):
    plain = clocks.limitation_end(known)
    assert dt.timedelta(days=364) <= plain - known <= dt.timedelta(days=366 + 10)
    wages = clocks.limitation_end(known, wage_arrears=True, employment_ended_on=ended)
    assert (wages is None) == (ended is None)
    if ended is not None:
        assert wages >= ended + dt.timedelta(days=364)
