"""The finance pages and API through the paths cadres take: errors in Chinese with nothing saved, the split on
the collection page, lists that stay within a fixed number of queries, the workbook download."""

import io

from django.urls import reverse
from python_calamine import CalamineWorkbook

from gonghui.finance.models import Collection, Entry
from gonghui.finance.tests.conftest import collected, zhejiang_rule
from gonghui.finance.tests.test_permissions import _collection_form, _entry_form, manual_entry
from gonghui.testing.api import ApiClient


def test_unbalanced_entry_is_refused_in_chinese(client, cast):
    client.force_login(cast.users.grassroots_admin)
    form = _entry_form(cast) | {"l-1-credit": "1200"}
    response = client.post(reverse("finance:entry_new") + f"?org={cast.orgs.company.pk}", form)
    assert response.status_code == 400
    assert "借方合计 1,200.50 元与贷方合计 1,200.00 元不相等" in response.content.decode()
    assert not Entry.objects.exists()


def test_bad_amount_is_refused(client, cast):
    client.force_login(cast.users.grassroots_admin)
    form = _entry_form(cast) | {"l-0-debit": "12.345"}
    response = client.post(reverse("finance:entry_new"), form)
    assert response.status_code == 400 and "最多两位小数" in response.content.decode()


def test_collection_without_a_rule_is_refused(client, cast):
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("finance:collection_new"), _collection_form(cast))
    assert response.status_code == 400 and "尚未设置2026年4月适用的经费分成比例" in response.content.decode()
    assert not Collection.objects.exists()


def test_collection_page_shows_the_split(client, cast):
    zhejiang_rule(cast)
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("finance:collection_new"), _collection_form(cast), follow=True)
    body = response.content.decode()
    assert "已登记收缴 10,000.00 元" in body  # 500,000 × 2%
    for text in ("6,000.00", "1,000.00", "1,500.00", "500.00", "全国总工会"):
        assert text in body


def test_lists_take_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    collected(cast)
    manual_entry(cast)
    client.force_login(cast.users.province_admin)
    for name in ("finance:entries", "finance:collections", "finance:arrears"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name)).status_code == 200
    partial = client.get(reverse("finance:entries"), HTTP_HX_REQUEST="true")
    assert partial.content.decode().startswith('<div id="gh-list">')


def test_reports_workbook_download(client, cast):
    collected(cast)
    client.force_login(cast.users.province_admin)
    response = client.get(reverse("finance:report_xlsx") + f"?org={cast.orgs.zhejiang.pk}&month=2026-04&subtree=1")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names[2] == "科目余额表"


def test_api_collection_and_entry(cast):
    zhejiang_rule(cast)
    api = ApiClient()
    body = {"org_id": cast.orgs.company.pk, "month": "2026-03-01", "payroll_fen": 123_456_789,
            "received_on": "2026-04-10", "route": "tax"}  # fmt: skip
    created = api.post("/api/v1/finance/collections", cast.users.grassroots_admin, body).json()
    assert sum(s["amount_fen"] for s in created["shares"]) == created["amount_fen"] == 2_469_136
    assert created["route"] == "tax" and len(created["entry_ids"]) == 1  # the grassroots admin sees its own entry
    refused = api.post("/api/v1/finance/entries", cast.users.grassroots_admin,
                       {"org_id": cast.orgs.company.pk, "date": "2026-04-01", "memo": "x",
                        "lines": [{"code": "50101", "debit_fen": 5}, {"code": "102", "credit_fen": 4}]})  # fmt: skip
    assert refused.status_code == 400 and "不平衡" in refused.json()["detail"]


def test_out_of_range_months_and_years_are_refused(client, cast):
    client.force_login(cast.users.province_admin)
    assert client.get(reverse("finance:report") + "?month=0001-01").status_code == 200  # read as this month
    assert client.get(reverse("finance:budgets") + "?year=99999").status_code == 404
    api = ApiClient()
    response = api.get("/api/v1/finance/reports?month=0001-01-01", cast.users.province_admin)
    assert response.status_code == 400 and "2000 年到 2100 年" in response.json()["detail"]
    assert api.get("/api/v1/finance/budgets?year=0", cast.users.province_admin).status_code in {400, 422}
