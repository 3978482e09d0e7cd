"""Reports (trial balance, 工会01, 工会02, consolidated, xlsx), dues income posted to 401, budgets vs actual."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from python_calamine import CalamineWorkbook

from gonghui.dues.services import dues_pay, dues_payment_reverse
from gonghui.dues.tests.support import months_ago, set_base
from gonghui.finance import reports, selectors, services
from gonghui.finance.models import Entry
from gonghui.finance.services import LineIn
from gonghui.finance.tests.conftest import balances, collected

APRIL = dt.date(2026, 4, 1)


def spend(cast, fen, code="50102", date=dt.date(2026, 4, 20)):
    return services.entry_post(actor=None, org=cast.orgs.company, date=date, memo="文体活动",
                               lines=[LineIn(code, debit_fen=fen), LineIn("102", credit_fen=fen)])  # fmt: skip


def figures(statement, text):
    return next(values for label, values, _ in statement.rows if label == text)


def test_trial_balance_sums_to_zero_and_rolls_up(cast):
    collected(cast)
    spend(cast, 300_000)
    tb = reports.trial_balance(cast.orgs.company, APRIL)
    by_code = {r.code: r for r in tb.rows}
    assert by_code["501"].debit == by_code["50102"].debit == 300_000
    assert sum(r.closing for r in tb.rows if r.level == 0) == 0
    assert tb.total("closing", 1) == tb.total("closing", -1) > 0  # the debit and credit sides agree
    may = reports.trial_balance(cast.orgs.company, dt.date(2026, 5, 1))
    assert {r.code: r.opening for r in may.rows} == {r.code: r.closing for r in tb.rows}


def test_balance_sheet_balances_alone_and_consolidated(cast):
    collected(cast)
    spend(cast, 300_000)
    for org, subtree in ((cast.orgs.company, False), (cast.orgs.xihu, False), (cast.orgs.zhejiang, True),
                         (cast.orgs.national, True)):  # fmt: skip
        sheet = reports.balance_sheet(org, APRIL, subtree=subtree)
        assert figures(sheet, "资产合计") == figures(sheet, "负债和净资产合计")
    own = reports.balance_sheet(cast.orgs.company, APRIL)
    assert figures(own, "102 银行存款") == [0, 2_469_136 - 300_000]
    whole = reports.balance_sheet(cast.orgs.national, APRIL, subtree=True)
    assert figures(whole, "132 应收下级经费")[1] == 2_469_136 - 1_481_482  # every upper level's share


def test_income_statement_month_and_year(cast):
    collected(cast)
    spend(cast, 300_000)
    spend(cast, 100_000, code="50404", date=dt.date(2026, 5, 2))
    may = reports.income_statement(cast.orgs.company, dt.date(2026, 5, 1))
    assert figures(may, "402 拨缴经费收入") == [0, 1_481_482]
    assert figures(may, "支出合计") == [100_000, 400_000]
    assert figures(may, "三、收支差额") == [-100_000, 1_081_482]
    province = reports.income_statement(cast.orgs.zhejiang, APRIL, subtree=True)
    assert figures(province, "402 拨缴经费收入")[0] == 2_469_136 - 123_457  # all but the national share


def test_reports_workbook(cast):
    collected(cast)
    book = CalamineWorkbook.from_filelike(io.BytesIO(reports.reports_xlsx(cast.orgs.zhejiang, APRIL, subtree=True)))
    assert len(book.sheet_names) == 3
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][0] == "项目" and any(row[0] == "资产合计" for row in rows)


def test_dues_income_posted_once_and_by_difference(cast):
    membership = cast.members.zhang
    set_base(cast, membership, base="8000")
    month = months_ago(1)
    payment = dues_pay(actor=cast.users.grassroots_admin, person=membership.person, month=month, method="payroll",
             paid_on=timezone.localdate())  # fmt: skip
    today = timezone.localdate()
    assert services.dues_post_last_month(today=today) == 1
    assert services.dues_post_last_month(today=today) == 0  # nothing changed: nothing posted
    assert balances(cast.orgs.company) == {"102": 4_000, "401": -4_000}  # 8000 × 0.5%
    dues_payment_reverse(actor=cast.users.grassroots_admin, payment=payment, reason="误登记")
    assert services.dues_post_last_month(today=today) == 1  # the reversal: 401 debited back
    assert balances(cast.orgs.company) == {}
    assert Entry.objects.filter(source="dues").count() == 2


def test_budget_vs_actual_and_warnings(cast):
    org = cast.orgs.company
    budget = services.budget_set(actor=cast.users.grassroots_admin, org=org, year=2026, code="501",
                                 amount_fen=1_000_000)  # fmt: skip
    spend(cast, 950_000)
    row = selectors.budget_vs_actual(org, 2026)[0]
    assert row["actual_fen"] == 950_000 and row["warn"] and not row["over"]
    assert selectors.budget_warnings(org, 2026, {"50102"}) == ["501 职工活动支出已接近预算：已用 95.0%。"]
    spend(cast, 100_000, code="50101")
    assert selectors.budget_vs_actual(org, 2026)[0]["over"]
    services.budget_set(actor=None, org=org, year=2026, code="501", amount_fen=2_000_000, version=budget.version)
    from gonghui.core.errors import ConflictError

    with pytest.raises(ConflictError):
        services.budget_set(actor=None, org=org, year=2026, code="501", amount_fen=1, version=budget.version)
    with pytest.raises(ValidationError, match="收入或支出科目"):
        services.budget_set(actor=None, org=org, year=2026, code="102", amount_fen=1)
