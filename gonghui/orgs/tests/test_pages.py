"""Union tree pages: the tree, an org's page, and creating, editing and moving orgs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.core import registry
from gonghui.members.models import Employer
from gonghui.members.services import member_create
from gonghui.orgs.models import Org
from gonghui.orgs.services import org_create
from gonghui.testing.cast import refreshed, valid_id


@pytest.fixture
def province(client, cast):
    client.force_login(cast.users.province_admin)
    return client


def test_tree_shows_the_scope_roots_with_subtree_counts(client, cast):
    client.force_login(cast.users.national_admin)
    response = client.get(reverse("orgs:tree"))
    [root] = response.context["roots"]
    assert (root, root.subtree_members, root.has_children) == (cast.orgs.national, 3, True)
    assert "中华全国总工会" in response.content.decode()


def test_tree_of_a_province_admin_starts_at_the_province(province, cast):
    body = province.get(reverse("orgs:tree")).content.decode()
    assert "浙江省总工会" in body and "中华全国总工会" not in body and "江苏" not in body


def test_children_partial_lists_children_with_type_and_count(province, cast):
    response = province.get(reverse("orgs:children", args=[cast.orgs.xihu.pk]))
    nodes = {n.name: n.subtree_members for n in response.context["nodes"]}
    assert nodes == {"西溪街道工会": 0, "杭州示例科技有限公司工会": 2}
    body = response.content.decode()
    assert "乡镇（街道）工会" in body and "基层工会" in body and "<html" not in body


def test_tree_query_count(client, cast, django_assert_max_num_queries):
    client.force_login(cast.users.national_admin)
    with django_assert_max_num_queries(6 + len(registry.overview_figures())):  # one query per overview figure
        client.get(reverse("orgs:tree"))
    with django_assert_max_num_queries(8) as captured:
        client.get(reverse("orgs:children", args=[cast.orgs.national.pk]))
    scans = [q["sql"] for q in captured.captured_queries if "SUM(" in q["sql"] or "GROUP BY" in q["sql"]]
    assert scans == []  # the children's totals are read from their rows (decision 0030): no subtree scan


def test_org_page(province, cast):
    response = province.get(reverse("orgs:detail", args=[cast.orgs.company.pk]))
    body = response.content.decode()
    assert "浙江省杭州市西湖区" in body
    assert "2026年5月1日" in body  # a 3-year term from 2023-05-01
    assert "杭州示例科技有限公司" in body and "基层工会" in body
    assert [o.name for o in response.context["breadcrumb"]] == ["浙江省总工会", "杭州市总工会", "杭州市西湖区总工会"]
    assert response.context["subtree_members"] == 2 and response.context["rule"].met
    assert {m.person.name for m in response.context["direct_members"]} == {"张伟", "李娜"}
    assert "3301**********1236" not in body  # no ID on the org page at all


def test_org_page_warns_when_25_members_have_only_an_organiser(province, cast):
    Org.objects.filter(pk=cast.orgs.company.pk).update(leadership="organiser")
    for i in range(23):
        member_create(actor=None, org=cast.orgs.company, name=f"会员{i}",
                      id_number=valid_id(f"33010619800101{i + 100:03d}"))  # fmt: skip
    response = province.get(reverse("orgs:detail", args=[cast.orgs.company.pk]))
    assert not response.context["rule"].met and "应当建立工会委员会" in response.content.decode()


def create_data(**extra):
    return {"name": "杭州新单位工会", "org_type": "grassroots", "region": "330106004", "status": "active",
            "leadership": "committee", "term_years": 5, "employer_name": "杭州新单位有限公司"} | extra  # fmt: skip


def test_create_org_under_a_parent(province, cast):
    response = province.post(reverse("orgs:create") + f"?parent={cast.orgs.xihu.pk}", create_data())
    org = Org.objects.get(name="杭州新单位工会")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:detail", args=[org.pk])
    assert (org.parent, org.region_id, org.employer.name) == (cast.orgs.xihu, "330106004", "杭州新单位有限公司")
    assert org.path.startswith(cast.orgs.xihu.path)


def test_create_form_offers_only_allowed_child_types(province, cast):
    form = province.get(reverse("orgs:create") + f"?parent={cast.orgs.company.pk}").context["form"]
    assert {value for value, _ in form.fields["org_type"].choices} == {"branch", "group"}
    response = province.post(reverse("orgs:create") + f"?parent={cast.orgs.company.pk}", create_data())
    assert response.status_code == 400 and not Org.objects.filter(name="杭州新单位工会").exists()


def test_create_org_refused_keeps_no_new_employer(province, cast):
    url = reverse("orgs:create") + f"?parent={cast.orgs.xihu.pk}"
    assert province.post(url, create_data(uscc="91330106MA2A0000X3")).status_code == 302
    response = province.post(url, create_data(name="另一个工会", uscc="91330106MA2A0000X3", employer_name="另一单位"))
    assert response.status_code == 400 and "杭州新单位工会" in str(response.context["form"].errors["uscc"])
    assert not Employer.objects.filter(name="另一单位").exists()


def test_create_needs_a_parent(province):
    assert province.get(reverse("orgs:create")).status_code == 404


def test_region_picker_cascades(province):
    response = province.get(reverse("orgs:regions") + "?code=330106")
    levels = response.context["region_levels"]
    assert [level.selected for level in levels] == ["33", "3301", "330106", ""]
    assert any(region.code == "330106004" for region in levels[-1].options)
    assert 'name="region" value="330106"' in response.content.decode()


def edit_data(org, **extra):
    return {"name": org.name, "region": org.region_id, "status": "active", "leadership": "committee",
            "term_years": 5, "term_started_on": "2024-01-01", "version": org.version} | extra  # fmt: skip


def test_edit_org(province, cast):
    org = cast.orgs.company
    response = province.post(reverse("orgs:edit", args=[org.pk]), edit_data(org, name="新名称工会"))
    org = refreshed(org)
    assert response.status_code == 302 and (org.name, org.term_years, org.version) == ("新名称工会", 5, 2)
    assert org.employer is None


def test_edit_conflict_overwrites_nothing(province, cast):
    org = cast.orgs.company
    url = reverse("orgs:edit", args=[org.pk])
    assert province.post(url, edit_data(org, name="第一次")).status_code == 302
    response = province.post(url, edit_data(org, name="第二次"))  # the version read before the first save
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()
    assert refreshed(org).name == "第一次"


def test_move_org_under_a_new_parent(province, cast):
    response = province.post(reverse("orgs:move", args=[cast.orgs.company.pk]), {"new_parent": cast.orgs.xixi.pk})
    company = refreshed(cast.orgs.company)
    assert response.status_code == 302 and company.parent == cast.orgs.xixi
    assert company.path.startswith(cast.orgs.xixi.path)


def test_move_into_its_own_subtree_is_refused(province, cast):
    response = province.post(reverse("orgs:move", args=[cast.orgs.xihu.pk]), {"new_parent": cast.orgs.xixi.pk})
    assert response.status_code == 400
    assert refreshed(cast.orgs.xihu).parent == cast.orgs.hangzhou


def test_move_candidates_accept_the_type_and_exclude_the_subtree(province, cast):
    response = province.get(reverse("orgs:move_candidates", args=[cast.orgs.company.pk]))
    names = {o.name for o in response.context["candidates"]}
    assert "西溪街道工会" in names and "杭州市总工会" in names
    assert "杭州市西湖区总工会" not in names  # the current parent
    assert "江苏省总工会" not in names


def test_org_page_buttons_follow_the_role_and_the_type(client, cast):
    client.force_login(cast.users.readonly)
    body = client.get(reverse("orgs:detail", args=[cast.orgs.company.pk])).content.decode()
    assert "编辑" not in body and "成立下级组织" not in body and "登记会员" not in body
    client.force_login(cast.users.province_admin)
    group = org_create(
        actor=None, parent=cast.orgs.company, name="一组", org_type="group", region=cast.orgs.company.region
    )
    body = client.get(reverse("orgs:detail", args=[group.pk])).content.decode()
    assert "编辑" in body and "成立下级组织" not in body and "登记会员" in body


def test_national_org_page_reads_the_totals_kept_on_the_rows(client, cast):
    client.force_login(cast.users.national_admin)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("orgs:detail", args=[cast.orgs.national.pk]))
    scans = [q["sql"] for q in captured.captured_queries if "SUM(" in q["sql"] or "GROUP BY" in q["sql"]]
    assert scans == []  # decision 0030: no query sums or scans the subtree
    assert response.context["subtree_members"] == 3
    assert {o.name: o.subtree_members for o in response.context["children"]} == {"浙江省总工会": 2, "江苏省总工会": 1}
