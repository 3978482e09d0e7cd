"""/api/v1/governance: the overview with its trend and children, out of scope 404."""

from django.utils import timezone

from gonghui.governance.models import FigureMonth
from gonghui.governance.targets import add_months, month_of
from gonghui.governance.tests.conftest import rolled, zhejiang_target
from gonghui.testing.api import ApiClient


def test_the_overview_api_drills_down_within_scope(cast):
    rolled(cast)
    zhejiang_target(cast, value="4")
    last = add_months(month_of(timezone.localdate()), -1)
    FigureMonth.objects.create(org=cast.orgs.zhejiang, key="members", month=last, value=1, computed_at=timezone.now())
    api = ApiClient()
    body = api.call("GET", "/api/v1/governance", cast.users.province_admin).json()
    assert body["org"]["name"] == "浙江省总工会" and body["breadcrumb"] == []
    members = next(f for f in body["figures"] if f["key"] == "members")
    assert members["value"] == 2 and len(members["trend"]) == 12 and members["trend"][-2]["value"] == 1
    assert [c["name"] for c in body["children"]] == ["杭州市总工会"] and body["children"][0]["values"]["members"] == 2
    target = body["targets"][0]
    assert target["progress_percent"] == 50 and target["pace_per_month"] > 0 and target["projected"] is not None
    body = api.call("GET", f"/api/v1/governance/orgs/{cast.orgs.xihu.pk}", cast.users.province_admin).json()
    assert [o["name"] for o in body["breadcrumb"]] == ["浙江省总工会", "杭州市总工会"]
    r = api.call("GET", f"/api/v1/governance/orgs/{cast.orgs.xihu.pk}", cast.users.sibling_admin)
    assert r.status_code == 404 and r.json()["detail"]
    api.assert_no_personal_data()
