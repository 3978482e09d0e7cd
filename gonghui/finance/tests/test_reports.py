"""Reports (trial balance, 工会01, 工会02, consolidated, xlsx), dues income posted to 401, budgets vs actual."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
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
    assert figures(own, "211 应付上级经费") == [0, 2_469_136 - 1_481_482]  # every upper level's share
    whole = reports.balance_sheet(cast.orgs.national, APRIL, subtree=True)  # every pair inside: eliminated
    assert figures(whole, "132 应收下级经费") == figures(whole, "211 应付上级经费") == [0, 0]


@pytest.mark.parametrize("route", ["direct", "tax"])
def test_consolidated_sheet_of_a_province_has_no_internal_receivables_left(cast, route):
    """Direct: the company owes every level above (211). Through the tax bureau the city takes it all in and owes
    the county and the company below (212), the province and the nation above (211). In 浙江's consolidated sheet
    only the payable to 全总 (outside the subtree) is left; in a county's, what its unions owe the levels above."""
    shares = {s.level: s.amount_fen for s in collected(cast, route=route).shares.all()}
    national_share = shares["national"]
    province = reports.balance_sheet(cast.orgs.zhejiang, APRIL, subtree=True)
    for text in ("131 应收上级经费", "132 应收下级经费", "212 应付下级经费"):
        assert figures(province, text) == [0, 0], text
    assert figures(province, "211 应付上级经费") == [0, national_share]
    assert figures(province, "资产合计") == figures(province, "负债和净资产合计")
    tb = reports.trial_balance(cast.orgs.zhejiang, APRIL, subtree=True)
    assert sum(r.closing for r in tb.rows if r.level == 0) == 0
    assert not {"131", "132", "212"} & {r.code for r in tb.rows if r.closing}
    county = {text: values[1] for text, values, _ in reports.balance_sheet(cast.orgs.xihu, APRIL, subtree=True).rows}
    if route == "direct":  # the company owes the city, the province and the nation; the county's part is inside
        assert county["211 应付上级经费"] == shares["city"] + shares["province"] + national_share
        assert county["132 应收下级经费"] == county["131 应收上级经费"] == 0
    else:  # the city owes the county and the company: both receivables are from outside the county's subtree
        assert county["131 应收上级经费"] == shares["grassroots"] + shares["county"]
        assert county["211 应付上级经费"] == county["212 应付下级经费"] == 0


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


def test_reports_pdf_has_both_statements_with_the_font_embedded(client, cast):
    collected(cast)
    client.force_login(cast.users.province_admin)
    response = client.get(reverse("finance:report_pdf") + f"?org={cast.orgs.zhejiang.pk}&month=2026-04&subtree=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF") and b"FontFile2" in body  # the Chinese font is embedded (subset)
    assert b"/Count 2" in body  # 工会01 and 工会02, a page each
    assert client.get(reverse("finance:report_pdf") + "?month=0001-01").status_code == 200  # read as this month
