"""The overview pages as cadres use them: figures from the rollup (no count of the member tables), children to
drill into within scope, breadcrumbs back; targets set, split (children must add up) and compared."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gonghui.core.models import AuditEvent
from gonghui.governance.models import FigureMonth, Target
from gonghui.governance.targets import add_months, month_of
from gonghui.governance.tests.conftest import DUE, rolled, zhejiang_target


def test_the_overview_reads_the_rollup_and_drills_down_within_scope(client, cast):
    rolled(cast)
    last = add_months(month_of(timezone.localdate()), -1)
    FigureMonth.objects.create(org=cast.orgs.zhejiang, key="members", month=last, value=1, computed_at=timezone.now())
    client.force_login(cast.users.province_admin)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("governance:home")).content.decode()
    assert not [q for q in queries.captured_queries if "members_membership" in q["sql"] or "members_person" in q["sql"]]
    assert "浙江省总工会" in body and "会员数" in body and "工会驿站" in body and "中华全国总工会" not in body
    assert f'href="{reverse("governance:org", args=[cast.orgs.hangzhou.pk])}?f=members"' in body  # a child
    assert f'href="/members/?org={cast.orgs.zhejiang.pk}"' in body  # the list behind the figure, for this node
    assert '"trend": [' in body and '"1.0]' not in body and f'["{last:%Y-%m}", 1.0]' in body
    assert '"rings": {"inner": [{"name": "\\u676d\\u5dde\\u5e02\\u603b\\u5de5\\u4f1a", "value": 2' in body
    body = client.get(reverse("governance:org", args=[cast.orgs.xihu.pk]) + "?f=venues_stations").content.decode()
    crumbs = body[body.index("data-breadcrumb") : body.index("</ol>")]
    assert "浙江省总工会" in crumbs and "杭州市总工会" in crumbs and "中华全国总工会" not in crumbs
    assert "下级对比：工会驿站" in body and "杭州示例科技有限公司工会" in body
    assert client.get(reverse("governance:org", args=[cast.orgs.jiangsu.pk])).status_code == 404
    client.force_login(cast.users.grassroots_admin)
    assert client.get(reverse("governance:org", args=[cast.orgs.xihu.pk])).status_code == 404
    body = client.get(reverse("governance:home")).content.decode()
    assert "杭州示例科技有限公司工会" in body and "没有下级组织" in body and "设定规划目标" in body


def test_a_target_is_set_with_clear_errors(client, cast):
    client.force_login(cast.users.province_admin)
    url = reverse("governance:target_new", args=[cast.orgs.zhejiang.pk])
    response = client.post(url, {"key": "members", "value": "0", "due_on": DUE.isoformat()})
    assert response.status_code == 400 and "目标值必须大于 0" in response.content.decode()
    response = client.post(url, {"key": "nope", "value": "5", "due_on": DUE.isoformat()})
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    assert not Target.objects.exists()
    assert client.post(url, {"key": "members", "value": "5", "due_on": DUE.isoformat()}).status_code == 302
    response = client.post(url, {"key": "members", "value": "6", "due_on": DUE.isoformat()})
    assert response.status_code == 400 and "同一指标、同一期限" in response.content.decode()
    assert AuditEvent.objects.filter(action="governance.target_create").count() == 1


def test_a_split_must_add_up_and_saves_nothing_otherwise(client, cast):
    rolled(cast)
    target = zhejiang_target(cast, value="10")
    client.force_login(cast.users.province_admin)
    url = reverse("governance:target_split", args=[target.pk])
    hangzhou = f"org_{cast.orgs.hangzhou.pk}"
    assert "杭州市总工会" in client.get(url).content.decode()
    response = client.post(url, {"version": target.version, hangzhou: "9"})
    body = response.content.decode()
    assert response.status_code == 400 and "各下级目标之和（9.00）少于本级目标（10.00），还差 1.00" in body
    assert not Target.objects.filter(parent=target).exists()
    response = client.post(url, {"version": target.version, hangzhou: "-1"})
    assert response.status_code == 400 and not Target.objects.filter(parent=target).exists()
    assert client.post(url, {"version": target.version, hangzhou: "12"}).status_code == 302
    share = Target.objects.get(parent=target)
    assert share.org == cast.orgs.hangzhou and share.value == Decimal(12) and share.due_on == DUE
    response = client.post(url, {"version": target.version, hangzhou: "10"})  # the version read before: stale
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()
    body = client.get(reverse("governance:org", args=[cast.orgs.zhejiang.pk])).content.decode()
    assert "已分解 12" in body and "20.0%" in body  # 2 members of 10
    body = client.get(reverse("governance:org", args=[cast.orgs.hangzhou.pk])).content.decode()
    assert "由浙江省总工会分解" in body and "16.7%" in body  # 2 of 12
    assert AuditEvent.objects.filter(action="governance.target_split").count() == 1


def test_every_figure_links_to_its_list_narrowed_to_the_node_within_scope(client, cast):
    """A figure whose list takes an org opens it for the node shown; the list still applies the user's scope."""
    from gonghui.governance.selectors import figure_url, figures

    narrowed = [f for f in figures() if f.org_param]
    assert {"members", "finance_arrears", "dues_paid"} <= {f.key for f in narrowed}
    client.force_login(cast.users.province_admin)
    for figure in narrowed:
        url = figure_url(figure, cast.orgs.hangzhou)
        assert url.endswith(f"?org={cast.orgs.hangzhou.pk}")
        assert client.get(url).status_code == 200, url
    for figure in figures():
        if figure.url_name and not figure.org_param:
            url = figure_url(figure, cast.orgs.hangzhou)
            assert url == reverse(figure.url_name) + (f"?{figure.url_query}" if figure.url_query else "")
            assert client.get(url).status_code == 200, url
    client.force_login(cast.users.sibling_admin)
    for figure in narrowed:
        assert client.get(figure_url(figure, cast.orgs.hangzhou)).status_code == 404, figure.key
