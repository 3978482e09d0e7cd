"""The tree page: children by 行政区划代码 then type; the union search (name, pinyin, initials) with each result's
breadcrumb, paged like every list; the breadcrumb of the page."""

from django.urls import reverse

from gonghui.orgs.models import OrgType
from gonghui.orgs.selectors import children_of
from gonghui.testing.cast import add_org


def test_children_sort_by_division_code_then_type_then_name(cast):
    ningbo = add_org(cast.orgs.zhejiang, "宁波市总工会", OrgType.CITY, "3302")
    industry = add_org(cast.orgs.zhejiang, "浙江省教育工会", OrgType.INDUSTRY, "33")
    wenzhou = add_org(cast.orgs.zhejiang, "温州市总工会", OrgType.CITY, "3303")
    ordered = list(children_of(cast.users.national_admin, cast.orgs.zhejiang))
    assert ordered == [industry, cast.orgs.hangzhou, ningbo, wenzhou]  # 33, 3301, 3302, 3303
    hangzhou_industry = add_org(cast.orgs.zhejiang, "杭州市产业工会", OrgType.INDUSTRY, "3301")
    ordered = list(children_of(cast.users.national_admin, cast.orgs.zhejiang))
    assert ordered.index(cast.orgs.hangzhou) + 1 == ordered.index(hangzhou_industry)  # same place: 市总工会 first


def test_the_union_search_finds_by_pinyin_and_shows_breadcrumbs(client, cast):
    client.force_login(cast.users.province_admin)
    response = client.get(reverse("orgs:tree"), {"q": "hzsl"})
    body = response.content.decode()
    assert [org.name for org in response.context["rows"]] == ["杭州示例科技有限公司工会"]
    assert "浙江省总工会 › 杭州市总工会 › 杭州市西湖区总工会" in body
    assert "查找“hzsl”" in body and 'class="breadcrumb' in body


def test_the_union_search_stays_in_scope(client, cast):
    client.force_login(cast.users.province_admin)
    assert client.get(reverse("orgs:tree"), {"q": "南京"}).context["rows"] == []


def test_the_union_search_is_paged_not_cut(client, cast):
    for i in range(25):
        add_org(cast.orgs.xixi, f"西溪示例{i:02d}公司工会", OrgType.GRASSROOTS, "330106004")
    client.force_login(cast.users.province_admin)
    first = client.get(reverse("orgs:tree"), {"q": "西溪示例"})
    assert first.context["total"] == 25 and len(first.context["rows"]) == 20
    assert 'href="?q=%E8%A5%BF%E6%BA%AA%E7%A4%BA%E4%BE%8B&amp;page=2"' in first.content.decode()
    assert len(client.get(reverse("orgs:tree"), {"q": "西溪示例", "page": 2}).context["rows"]) == 5


def test_the_search_page_query_count(client, cast, django_assert_max_num_queries):
    for i in range(20):
        add_org(cast.orgs.xixi, f"西溪示例{i:02d}公司工会", OrgType.GRASSROOTS, "330106004")
    client.force_login(cast.users.province_admin)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("orgs:tree"), {"q": "xxsl"}).status_code == 200
