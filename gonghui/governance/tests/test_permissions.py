"""Every page and API operation of the overview × every member of the cast (see gonghui.testing.matrix).

浙江's nodes: the national and 浙江 admins and the read-only 浙江 role see them, 江苏 does not (404), the company
union's admin sees only its own union; targets are set and split by an admin of the node (read-only: 403)."""

import pytest

from gonghui.governance.models import FigureMonth, RiskWeight, Target
from gonghui.governance.tests.conftest import DUE, rolled, zhejiang_target
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import Case, Page, api_tests, codes, expect


def _target_form(cast):
    return {"key": "members", "value": "100", "due_on": DUE.isoformat(), "source": "浙江省总工会工作要点"}


def _split_form(cast):
    target = zhejiang_target(cast)
    return {"version": target.version, f"org_{cast.orgs.hangzhou.pk}": "10"}


PAGES: list = [
    Page("governance:home", expect(200, 200, 200, 200, 200), setup=rolled),
    Page("governance:org", expect(200, 200, 404, 200, 200), args=lambda c: [c.orgs.company.pk], setup=rolled),
    Page("governance:target_new", expect(200, 200, 404, 404, 200), args=lambda c: [c.orgs.zhejiang.pk]),
    Page("governance:target_new", expect(302, 302, 404, 404, 403), method="post",
         args=lambda c: [c.orgs.zhejiang.pk], data=_target_form),
    Page("governance:target_split", expect(200, 200, 404, 404, 200), args=lambda c: [zhejiang_target(c).pk]),
    Page("governance:target_split", expect(302, 302, 404, 404, 403), method="post",
         args=lambda c: [zhejiang_target(c).pk], data=_split_form),
    Page("governance:risk_weights", expect(200, 200, 200, 200, 200)),
    Page("governance:risk_weights", expect(302, 404, 404, 404, 404), method="post",
         data=lambda c: {"cases_overdue": "5", "hardship_open": "1", "finance_arrears": "0.5"}),
]  # fmt: skip

API_CASES: list = [
    Case("overview", "list", "GET", "/governance", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("overview_org", "detail", "GET", "/governance/orgs/{org_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda c: f"/governance/orgs/{c.orgs.company.pk}"),
]  # fmt: skip


def snapshot():
    return (
        list(Target.objects.order_by("pk").values_list("pk", "value", "version")),
        list(FigureMonth.objects.order_by("pk").values_list("pk", "value")),
        list(RiskWeight.objects.order_by("pk").values_list("pk", "weight")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)
