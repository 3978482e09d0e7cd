"""/api/v1/dues beyond the permission matrix: what the responses hold, and Chinese errors."""

import pytest

from gonghui.dues.tests.support import months_ago, set_base
from gonghui.testing.api import ApiClient, url


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


def test_statement_and_arrears(api, cast):
    set_base(cast, cast.members.zhang, "8000.50", months_back=3)
    zhang = cast.members.zhang.person_id
    body = {"month": f"{months_ago(3):%Y-%m}", "method": "online"}
    assert api.post(url(f"/dues/members/{zhang}/payments"), cast.users.grassroots_admin, body).status_code == 201
    arrears = api.get(url(f"/dues/members/{zhang}/arrears"), cast.users.grassroots_admin).json()
    assert arrears["amount"] == "80.00" and len(arrears["months"]) == 2 and not arrears["unassessed"]
    mine = api.get(url(f"/dues/mine/statement?year={months_ago(3).year}"), cast.users.worker)
    assert mine.status_code == 200
    month = next(m for m in mine.json()["months"] if m["month"] == f"{months_ago(3):%Y-%m}")
    assert (month["due"], month["paid"], month["method_label"], month["status_label"]) == ("40.00", "40.00", "线上",
                                                                                          "已缴")  # fmt: skip
    assert "8000" not in mine.content.decode()


def test_wage_base_is_not_echoed(api, cast):
    zhang = cast.members.zhang.person_id
    body = {"base": "12345.67", "effective_from": f"{months_ago(0):%Y-%m}"}
    r = api.post(url(f"/dues/members/{zhang}/wage-base"), cast.users.grassroots_admin, body)
    assert r.status_code == 200 and r.json()["monthly_dues"] == "61.70"  # 12340 × 0.5%
    assert "12345" not in r.content.decode()


@pytest.mark.parametrize(
    ("body", "message"),
    [({"month": "2026/13", "method": "cash"}, "月份格式"), ({"month": "2026-01", "method": "gold"}, "无效的选项"),
     ({"month": "2026-01", "method": "cash", "amount": "-1"}, "金额必须大于 0")],
)  # fmt: skip
def test_bad_payment_input_gets_chinese_errors(api, cast, body, message):
    set_base(cast, cast.members.zhang, months_back=12)
    r = api.post(url(f"/dues/members/{cast.members.zhang.person_id}/payments"), cast.users.grassroots_admin, body)
    assert r.status_code == 400 and message in r.json()["detail"]


def test_org_arrears_sum_the_subtree(api, cast):
    set_base(cast, cast.members.zhang)
    r = api.get(url(f"/dues/orgs/{cast.orgs.zhejiang.pk}/arrears?month={months_ago(1):%Y-%m}"),
                cast.users.province_admin)  # fmt: skip
    data = r.json()
    assert data["totals"]["members_in_arrears"] == 1 and data["totals"]["arrears_total"] == "120.00"
    assert [c["org_name"] for c in data["children"]] == ["杭州市总工会"]
