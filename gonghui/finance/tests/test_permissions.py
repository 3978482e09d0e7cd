"""Every page and API operation of union finance × every member of the cast (see gonghui.testing.matrix).

The books are 杭州示例科技有限公司工会's (the grassroots admin's), inside 浙江 (the province admin and the
read-only user) under 全总; 江苏's admin sees none of it; the worker and the security admin have no grant."""

import datetime as dt

import pytest

from gonghui.finance import services
from gonghui.finance.models import Budget, Collection, Entry, FixedAsset, Period, SharingRule, Spending
from gonghui.finance.services import LineIn
from gonghui.finance.tests.conftest import collected, declaration, zhejiang_rule
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import Case, Page, api_tests, codes, expect

ALL_CADRES = expect(200, 200, 200, 200, 200)
IN_ZHEJIANG = expect(200, 200, 404, 200, 200)
WRITE_COMPANY = expect(302, 302, 404, 302, 403)


def manual_entry(cast):
    if not hasattr(cast, "manual_entry"):
        cast.manual_entry = services.entry_post(
            actor=None, org=cast.orgs.company, date=dt.date(2026, 3, 5), memo="职工文体活动",
            lines=[LineIn("50102", debit_fen=50_000), LineIn("102", credit_fen=50_000)])  # fmt: skip
    return cast.manual_entry


def last_year_books(cast):
    """杭州示例科技's 2025: one month of books, the months before December closed."""
    services.entry_post(actor=None, org=cast.orgs.company, date=dt.date(2025, 5, 5), memo="会员活动",
                        lines=[LineIn("50105", debit_fen=8_000), LineIn("102", credit_fen=8_000)])  # fmt: skip
    for month in range(1, 12):
        services.period_close(actor=None, org=cast.orgs.company, month=dt.date(2025, month, 1))


def pending_spending(cast):
    """杭州示例科技's 8,000-yuan training, above the approval amount: waiting for approval (asked by the platform,
    so that every admin covering the union may decide it)."""
    if not hasattr(cast, "pending_spending"):
        cast.pending_spending = services.spending_submit(
            actor=None, org=cast.orgs.company, date=dt.date(2026, 3, 9), memo="职工技能培训", code="50101",
            amount_fen=800_000)  # fmt: skip
    return cast.pending_spending


def asset_in_use(cast):
    """杭州示例科技's 7,200-yuan computer: a disposal is approved by the union itself."""
    if not hasattr(cast, "asset_in_use"):
        cast.asset_in_use = services.asset_acquire(actor=None, org=cast.orgs.company, name="职工书屋电脑",
                                                   category="general", value_fen=720_000,
                                                   acquired_on=dt.date(2026, 1, 10))  # fmt: skip
    return cast.asset_in_use


def pending_move(cast):
    if not hasattr(cast, "pending_move"):
        cast.pending_move = services.asset_move_submit(actor=None, asset=asset_in_use(cast), kind="scrap",
                                                       reason="损坏无法修复")  # fmt: skip
    return cast.pending_move


def _statement(bad: bool = False):
    from gonghui.finance.tests.test_import import TECH, sheet

    return sheet([[TECH, "", "2026-03", "1234567.89", "2.00" if not bad else "x", "2026-04-15", "税务代收"]])


def collection_import(cast, bad: bool = False):
    """杭州示例科技's March 2026 from the tax bureau, uploaded and checked (with a wrong amount when ``bad``)."""
    from gonghui.finance import imports

    key = f"collection_import_{bad}"
    if not hasattr(cast, key):
        zhejiang_rule(cast)
        job = imports.upload(actor=None, org=cast.orgs.company, file=_statement(bad), file_name="收缴.xlsx",
                             background=False)  # fmt: skip
        setattr(cast, key, imports.check(job=job))
    return getattr(cast, key)


def in_arrears(cast):
    """杭州示例科技 declared March 2026 and has paid nothing."""
    zhejiang_rule(cast)
    declaration(cast)


def collection(cast):
    if not hasattr(cast, "collection"):
        cast.collection = collected(cast)
    return cast.collection


def _company(cast):
    return f"?org={cast.orgs.company.pk}"


def _entry_form(cast):
    return {"org": cast.orgs.company.pk, "date": "2026-03-05", "memo": "职工书屋购书", "l-TOTAL_FORMS": 2,
            "l-INITIAL_FORMS": 0, "l-0-code": "50304", "l-0-debit": "1,200.50", "l-1-code": "102",
            "l-1-credit": "1200.5"}  # fmt: skip


def _collection_form(cast):
    return {"org": cast.orgs.company.pk, "month": "2026-03", "payroll": "500000", "received_on": "2026-04-10",
            "route": "direct"}  # fmt: skip


def _rule_form(cast):
    return {"province": cast.orgs.zhejiang.pk, "effective_from": "2026-07", "grassroots": "60", "county": "10",
            "city": "10", "province_share": "15", "national": "5", "tax_landing": "city",
            "note": "浙工发〔示例〕"}  # fmt: skip


PAGES: list = [
    Page("finance:home", ALL_CADRES),
    Page("finance:org_options", ALL_CADRES, query="?org_q=hz"),
    Page("finance:org_options", ALL_CADRES, query="?purpose=write&org_q=杭州", variant="write"),
    Page("finance:home", IN_ZHEJIANG, query=_company, variant="org"),
    Page("finance:entries", ALL_CADRES, setup=manual_entry),
    Page("finance:entries", IN_ZHEJIANG, query=_company, variant="org"),
    Page("finance:entry_new", expect(200, 200, 200, 200, 403)),
    Page("finance:entry_new", WRITE_COMPANY, method="post", data=_entry_form),
    Page("finance:entry", IN_ZHEJIANG, args=lambda c: [manual_entry(c).pk]),
    Page("finance:entry_reverse", WRITE_COMPANY, method="post", args=lambda c: [manual_entry(c).pk],
         data=lambda c: {"reason": "重复报销"}),
    Page("finance:collections", ALL_CADRES, setup=collection),
    Page("finance:collection_new", expect(200, 200, 200, 200, 403)),
    Page("finance:collection_new", WRITE_COMPANY, method="post", data=_collection_form, setup=zhejiang_rule),
    Page("finance:collection", IN_ZHEJIANG, args=lambda c: [collection(c).pk]),
    Page("finance:collection_reverse", WRITE_COMPANY, method="post", args=lambda c: [collection(c).pk],
         data=lambda c: {"reason": "重复登记"}),
    Page("finance:imports", ALL_CADRES),
    Page("finance:imports", WRITE_COMPANY, method="post", setup=zhejiang_rule,
         data=lambda c: {"org": c.orgs.company.pk, "file": _statement()}),
    Page("finance:import_template", ALL_CADRES),
    Page("finance:import_job", IN_ZHEJIANG, args=lambda c: [collection_import(c).pk]),
    Page("finance:import_commit", WRITE_COMPANY, method="post", args=lambda c: [collection_import(c).pk]),
    Page("finance:import_resume", WRITE_COMPANY, method="post", args=lambda c: [collection_import(c).pk]),
    Page("finance:import_errors", expect(200, 200, 404, 200, 403), args=lambda c: [collection_import(c, True).pk]),
    Page("finance:arrears", ALL_CADRES),
    Page("finance:counterparties", ALL_CADRES),
    Page("finance:counterparties", IN_ZHEJIANG, query=_company, variant="org"),
    Page("finance:report", ALL_CADRES, setup=collection),
    Page("finance:report", IN_ZHEJIANG, query=lambda c: f"{_company(c)}&month=2026-04&subtree=1", variant="org"),
    Page("finance:report_xlsx", IN_ZHEJIANG, query=lambda c: f"{_company(c)}&month=2026-04"),
    Page("finance:report_pdf", IN_ZHEJIANG, query=lambda c: f"{_company(c)}&month=2026-04"),
    Page("finance:close", WRITE_COMPANY, method="post", setup=manual_entry,
         data=lambda c: {"org": c.orgs.company.pk, "month": "2026-03"}),
    Page("finance:year_close", WRITE_COMPANY, method="post", setup=last_year_books,
         data=lambda c: {"org": c.orgs.company.pk, "year": 2025}),
    Page("finance:assets", ALL_CADRES),
    Page("finance:asset_new", expect(200, 200, 200, 200, 403)),
    Page("finance:asset_new", WRITE_COMPANY, method="post",
         data=lambda c: {"org": c.orgs.company.pk, "name": "职工之家投影仪", "category": "general", "value": "5600",
                         "acquired_on": "2026-03-01"}),
    Page("finance:budgets", ALL_CADRES),
    Page("finance:budgets", WRITE_COMPANY, method="post", query=_company,
         data=lambda c: {"code": "501", "amount": "8000"}),
    Page("finance:rules", ALL_CADRES),
    Page("finance:spendings", ALL_CADRES, setup=pending_spending),
    Page("finance:spending_new", expect(200, 200, 200, 200, 403)),
    Page("finance:spending_new", WRITE_COMPANY, method="post",
         data=lambda c: {"org": c.orgs.company.pk, "date": "2026-03-09", "memo": "三八节慰问品", "code": "50105",
                         "amount": "1200", "purpose": "festival", "form": "goods", "headcount": "12"}),
    Page("finance:spending", IN_ZHEJIANG, args=lambda c: [pending_spending(c).pk]),
    Page("finance:spending_decide", WRITE_COMPANY, method="post", args=lambda c: [pending_spending(c).pk],
         data=lambda c: {"version": pending_spending(c).case.version, "decision": "approve"}),
    Page("finance:asset", IN_ZHEJIANG, args=lambda c: [asset_in_use(c).pk]),
    Page("finance:asset_use", WRITE_COMPANY, method="post", args=lambda c: [asset_in_use(c).pk],
         data=lambda c: {"user_unit": "西溪职工之家"}),
    Page("finance:asset_move", IN_ZHEJIANG, args=lambda c: [pending_move(c).pk]),
    Page("finance:asset_move_decide", expect(302, 302, 404, 302, 403), method="post",
         args=lambda c: [pending_move(c).pk],
         data=lambda c: {"version": pending_move(c).case.version, "decision": "approve"}),
    Page("finance:reserves", ALL_CADRES),
    # No reserve held for an unknown employer: the writers reach the lookup (404), the read-only cadre does not.
    Page("finance:reserve_return", expect(404, 404, 404, 404, 403), method="post",
         data=lambda c: {"org": c.orgs.company.pk, "employer": 999_999}),
    Page("finance:payment_order", expect(200, 200, 404, 200, 403), setup=in_arrears,
         query=lambda c: f"{_company(c)}&employer={c.orgs.company.employer_id}"),
    # 江苏's admin may set 江苏's rule only (the form refuses 浙江); grassroots and read-only cadres set none.
    Page("finance:rules", expect(302, 302, 400, 403, 403), method="post", data=_rule_form),
]  # fmt: skip

READ = codes(200, 200, 200, 200, 200, 403, 403, 401)
READ_ZHEJIANG = codes(200, 200, 404, 200, 200, 403, 403, 401)
CREATE_COMPANY = codes(201, 201, 404, 201, 403, 403, 403, 401)


def _entry_body(cast, caller):
    return {"org_id": cast.orgs.company.pk, "date": "2026-03-06", "memo": "送温暖慰问品",
            "lines": [{"code": "50405", "debit_fen": 30_000}, {"code": "102", "credit_fen": 30_000}]}  # fmt: skip


def _collection_body(cast, caller):
    zhejiang_rule(cast)
    return {"org_id": cast.orgs.company.pk, "month": "2026-03-01", "payroll_fen": 50_000_000,
            "received_on": "2026-04-10"}  # fmt: skip


def _reverse_body(cast, caller):
    return {"reason": "重复报销"} if manual_entry(cast) else None  # the entry exists before the snapshot


def _rule_body(cast, caller):
    return {"province_id": cast.orgs.zhejiang.pk, "effective_from": "2026-07-01", "tax_landing": "city",
            "shares": {"grassroots": 6000, "county": 1000, "city": 1000, "province": 1500,
                       "national": 500}}  # fmt: skip


API_CASES: list = [
    Case("finance accounts", "list", "GET", "/finance/accounts", READ),
    Case("finance entries", "list", "GET", "/finance/entries", READ),
    Case("finance entry", "detail", "GET", "/finance/entries/{entry_id}", READ_ZHEJIANG,
         path=lambda c: f"/finance/entries/{manual_entry(c).pk}"),
    Case("finance entry", "create", "POST", "/finance/entries", CREATE_COMPANY, body=_entry_body),
    Case("finance entry reverse", "update", "POST", "/finance/entries/{entry_id}/reverse", CREATE_COMPANY,
         path=lambda c: f"/finance/entries/{manual_entry(c).pk}/reverse", body=_reverse_body),
    Case("finance collections", "list", "GET", "/finance/collections", READ),
    Case("finance collection", "detail", "GET", "/finance/collections/{collection_id}", READ_ZHEJIANG,
         path=lambda c: f"/finance/collections/{collection(c).pk}"),
    Case("finance collection", "create", "POST", "/finance/collections", CREATE_COMPANY, body=_collection_body),
    Case("finance arrears", "list", "GET", "/finance/arrears", READ),
    Case("finance reports", "detail", "GET", "/finance/reports", READ_ZHEJIANG,
         path=lambda c: f"/finance/reports?month=2026-04-01&subtree=true&org_id={c.orgs.company.pk}"),
    Case("finance budgets", "list", "GET", "/finance/budgets", READ, path=lambda c: "/finance/budgets?year=2026"),
    Case("finance budget", "update", "POST", "/finance/budgets", codes(200, 200, 404, 200, 403, 403, 403, 401),
         body=lambda c, u: {"org_id": c.orgs.company.pk, "year": 2026, "code": "501", "amount_fen": 800_000}),
    Case("finance assets", "list", "GET", "/finance/assets", READ),
    Case("finance asset", "create", "POST", "/finance/assets", CREATE_COMPANY,
         body=lambda c, u: {"org_id": c.orgs.company.pk, "name": "活动室空调", "category": "general",
                            "value_fen": 560_000, "acquired_on": "2026-03-01"}),
    Case("finance rules", "list", "GET", "/finance/rules", READ),
    Case("finance spending", "list", "GET", "/finance/spending", READ),
    Case("finance spending", "create", "POST", "/finance/spending", CREATE_COMPANY,
         body=lambda c, u: {"org_id": c.orgs.company.pk, "date": "2026-03-09", "memo": "生日蛋糕", "code": "50105",
                            "amount_fen": 60_000, "purpose": "birthday", "form": "goods", "headcount": 3}),
    Case("finance spending decide", "update", "POST", "/finance/spending/{spending_id}/decide",
         codes(200, 200, 404, 200, 403, 403, 403, 401),
         path=lambda c: f"/finance/spending/{pending_spending(c).pk}/decide",
         body=lambda c, u: {"approve": False, "version": pending_spending(c).case.version, "note": "请压缩规模"}),
    Case("finance rule", "create", "POST", "/finance/rules", codes(201, 201, 404, 404, 403, 403, 403, 401),
         body=_rule_body),
]  # fmt: skip


def snapshot():
    """What a refused write must leave unchanged."""
    return (
        list(Entry.objects.order_by("pk").values_list("pk", "posted")),
        list(Collection.objects.order_by("pk").values_list("pk", "reversed_at")),
        list(Budget.objects.order_by("pk").values_list("pk", "amount_fen", "version")),
        list(SharingRule.objects.order_by("pk").values_list("pk", "grassroots_bp")),
        list(Period.objects.order_by("pk").values_list("pk", "closed_at")),
        list(Entry.objects.filter(source="closing").values_list("pk", flat=True)),
        list(FixedAsset.objects.values_list("pk", "depreciated_fen")),
        list(Spending.objects.order_by("pk").values_list("pk", "status", "entry_id")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """浙江's collection and one of its entries for the scope probe (gonghui/core/tests/test_scope_probe.py)."""
    funds = collected(cast)
    return {"collection_id": funds.pk, "entry_id": funds.entries.first().pk,
            "spending_id": pending_spending(cast).pk}  # fmt: skip
