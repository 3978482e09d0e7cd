"""The means test: the arithmetic (Decimal, rounded once at the end) and the category boundaries."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gonghui.assistance.means import ACCIDENT, DEEP, NONE, RELATIVE, means_test, per_capita_monthly

ALLOWANCE = st.decimals(min_value=Decimal("100"), max_value=Decimal("3000"), places=2)
SIZE = st.integers(min_value=1, max_value=8)


def test_the_formula():
    # (36000 − 6000) ÷ 12 ÷ 3 = 833.33…, rounded once at the end.
    assert per_capita_monthly(Decimal("36000"), Decimal("6000"), 3) == Decimal("833.33")
    # Rounding per step (÷12 → 2500.00, ÷3 → 833.33) and once differ for 10001: 277.81 not 277.80.
    assert per_capita_monthly(Decimal("10001"), Decimal("0"), 3) == Decimal("277.81")


def _at(figure: Decimal, size: int) -> Decimal:
    """The annual income that gives exactly ``figure`` per head and month."""
    return figure * 12 * size


@given(ALLOWANCE, SIZE)
def test_exactly_the_allowance_is_relative_not_deep(allowance, size):
    result = means_test(annual_income=_at(allowance, size), rigid_expenses=Decimal(0), household_size=size,
                        allowance=allowance)  # fmt: skip
    assert result.per_capita_monthly == allowance
    assert result.category == RELATIVE


@given(ALLOWANCE, SIZE)
def test_one_fen_below_the_allowance_is_deep(allowance, size):
    result = means_test(annual_income=_at(allowance - Decimal("0.01"), size), rigid_expenses=Decimal(0),
                        household_size=size, allowance=allowance)  # fmt: skip
    assert result.category == DEEP


@given(ALLOWANCE, SIZE)
def test_exactly_twice_the_allowance_is_not_eligible(allowance, size):
    result = means_test(annual_income=_at(2 * allowance, size), rigid_expenses=Decimal(0), household_size=size,
                        allowance=allowance)  # fmt: skip
    assert result.category == NONE
    below = means_test(annual_income=_at(2 * allowance - Decimal("0.01"), size), rigid_expenses=Decimal(0),
                       household_size=size, allowance=allowance)  # fmt: skip
    assert below.category == RELATIVE


@given(ALLOWANCE, SIZE, st.decimals(min_value=0, max_value=Decimal("200000"), places=2))
def test_expenses_lower_the_figure(allowance, size, expenses):
    income = _at(2 * allowance, size)
    result = means_test(annual_income=income, rigid_expenses=expenses, household_size=size, allowance=allowance)
    assert result.per_capita_monthly == per_capita_monthly(income, expenses, size)
    assert (result.category == NONE) == (result.per_capita_monthly >= 2 * allowance)


def test_accident_criteria():
    common = {"rigid_expenses": Decimal(0), "household_size": 2, "allowance": Decimal("1000")}
    assert means_test(annual_income=Decimal("120000"), on_duty_accident=True, **common).category == ACCIDENT
    # Losses above 80% of the annual income; exactly 80% is not enough.
    assert (
        means_test(annual_income=Decimal("100000"), losses_in_year=Decimal("80000.01"), **common).category == ACCIDENT
    )
    result = means_test(annual_income=Decimal("100000"), losses_in_year=Decimal("80000"), **common)
    assert result.category == NONE
    assert "2 倍" in result.rule
