"""The dues arithmetic: the counted wage, the rate, rounding to the fen, and a member's ledger."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gonghui.dues.calculation import (
    Arrears,
    Span,
    Status,
    add_months,
    counted_base,
    ledger,
    monthly_dues,
    months_between,
    parse_amount,
    parse_month,
)
from gonghui.dues.policy import DuesPolicy

POLICY = DuesPolicy()
wages = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("0.05"), places=6)


@given(wages)
def test_counted_base_is_the_wage_floored_to_ten_yuan(wage):
    counted = counted_base(wage, POLICY)
    assert counted % 10 == 0
    assert 0 <= wage - counted < 10


@given(wages, rates)
def test_dues_are_the_rounded_rate_of_the_counted_wage(wage, rate):
    dues = monthly_dues(wage, rate, POLICY)
    exact = (wage // 10) * 10 * rate
    assert dues >= 0
    assert abs(dues - exact) <= Decimal("0.005")
    assert dues == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert dues.as_tuple().exponent == -2


@given(wages, wages)
def test_dues_never_fall_as_the_wage_rises(a, b):
    low, high = sorted((a, b))
    assert monthly_dues(low, POLICY.rate, POLICY) <= monthly_dues(high, POLICY.rate, POLICY)


def test_worked_examples():
    assert monthly_dues(Decimal("8000"), POLICY.rate, POLICY) == Decimal("40.00")
    assert monthly_dues(Decimal("3456.78"), POLICY.rate, POLICY) == Decimal("17.25")  # 3450 × 0.5%
    assert monthly_dues(Decimal("9.99"), POLICY.rate, POLICY) == Decimal("0.00")  # under 10 yuan: nothing
    assert monthly_dues(Decimal("1010"), Decimal("0.005"), POLICY) == Decimal("5.05")
    assert monthly_dues(Decimal("4990"), Decimal("0.0045"), POLICY) == Decimal("22.46")  # 22.455 rounds up


@given(st.integers(1950, 2100), st.integers(1, 12))
def test_parse_month_reads_what_people_type(year, month):
    expected = dt.date(year, month, 1)
    assert parse_month(f"{year}-{month:02d}") == expected
    assert parse_month(f"{year}年{month}月") == expected
    assert parse_month(f"{year}/{month}") == expected


@pytest.mark.parametrize("bad", ["", "2026", "2026-13", "2026-00", "三月", "2026-03-01x", "1900-01"])
def test_parse_month_refuses_in_chinese(bad):
    with pytest.raises(ValidationError) as error:
        parse_month(bad)
    assert "月份格式应为 YYYY-MM" in error.value.messages[0]


@pytest.mark.parametrize(
    ("bad", "message"),
    [("abc", "请输入金额"), ("-1", "金额必须大于 0"), ("0", "金额必须大于 0"), ("1.234", "最多保留两位小数"),
     ("100000", "不能超过"), ("NaN", "请输入金额"), ("Infinity", "请输入金额")],
)  # fmt: skip
def test_bad_amounts_get_chinese_errors(bad, message):
    with pytest.raises(ValidationError) as error:
        parse_amount(bad, "amount", maximum=Decimal("99999.99"))
    assert message in error.value.messages[0]


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2))
def test_good_amounts_parse_exactly(amount):
    assert parse_amount(f"{amount}", "amount", maximum=Decimal("99999.99")) == amount


def _ledger(spans, bases, paid=None, *, months, current, policy=POLICY):
    return ledger(spans=spans, bases=bases, paid=paid or {}, rate_for=lambda province, month: policy.rate,
                  months=months, current_month=current, policy=policy)  # fmt: skip


JAN, APR, JUL = dt.date(2025, 1, 1), dt.date(2025, 4, 1), dt.date(2025, 7, 1)


def test_ledger_owes_passed_months_from_the_first_wage_base():
    spans = [Span(dt.date(2020, 3, 1), None, False, "33")]
    lines = _ledger(spans, [(APR, Decimal("8000"))], {APR: Decimal("40.00")}, months=months_between(JAN, JUL),
                    current=JUL)  # fmt: skip
    assert [line.status for line in lines[:3]] == [Status.NOT_TRACKED] * 3
    assert [line.owed for line in lines[3:]] == [0, 40, 40, 0]  # April paid; July is the current month
    arrears = Arrears.of(lines)
    assert (arrears.months, arrears.amount, arrears.unassessed) == ([dt.date(2025, 5, 1), dt.date(2025, 6, 1)],
                                                                    Decimal("80.00"), False)  # fmt: skip


@given(st.lists(wages, min_size=1, max_size=4), st.booleans())
def test_retirees_owe_nothing_and_nothing_is_negative(bases, retired):
    spans = [Span(dt.date(2020, 1, 1), None, retired, "33")]
    months = months_between(JAN, JUL)
    lines = _ledger(spans, [(add_months(JAN, i), b) for i, b in enumerate(bases)], {APR: Decimal("99.99")},
                    months=months, current=JUL)  # fmt: skip
    assert all(line.owed >= 0 for line in lines)
    if retired:
        assert all(line.status == Status.RETIRED and line.owed == 0 for line in lines)


def test_months_outside_membership_and_without_a_base():
    spans = [Span(dt.date(2025, 2, 15), dt.date(2025, 5, 10), False, "33")]
    policy = DuesPolicy(tracking_start=JAN)
    lines = _ledger(spans, [], months=months_between(JAN, JUL), current=JUL, policy=policy)
    statuses = [line.status for line in lines]
    assert statuses == [Status.NOT_MEMBER] + [Status.UNASSESSED] * 4 + [Status.NOT_MEMBER] * 2
    assert all(line.due is None for line in lines if line.status == Status.UNASSESSED)
    assert Arrears.of(lines).unassessed and Arrears.of(lines).amount == 0
