"""/api/v1/orgs: regions, the tree within scope, creating, editing and moving unions."""

import datetime as dt

import pytest

from gonghui.core.models import AuditEvent
from gonghui.members.models import Employer
from gonghui.orgs.models import Org
from gonghui.testing.api import ApiClient, url
from gonghui.testing.cast import refreshed


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


def names(items):
    return [item["name"] for item in items]


# ----- regions -----------------------------------------------------------------------------------------------


def test_regions_provinces_then_children(api, cast):
    provinces = api.get(url("/orgs/regions"), cast.users.worker).json()
    assert len(provinces) == 31  # the mainland's provinces; GB/T 2260 lists 71-82 without divisions
    assert {"code": "33", "name": "浙江省", "level": 1, "level_label": "省级"} in provinces
    counties = api.get(url("/orgs/regions?parent=3301"), cast.users.worker).json()
    assert {"code": "330106", "name": "西湖区", "level": 3, "level_label": "县级"} in counties
    assert all(c["code"].startswith("3301") for c in counties)


def test_unknown_region_is_404(api, cast):
    r = api.get(url("/orgs/regions?parent=999999"), cast.users.national_admin)
    assert r.status_code == 404 and r.json() == {"detail": "资源不存在。"}


# ----- list --------------------------------------------------------------------------------------------------


def test_list_shows_scope_roots_with_subtree_counts(api, cast):
    items = api.get(url("/orgs"), cast.users.province_admin).json()["items"]
    assert names(items) == ["浙江省总工会"]
    root = items[0]
    assert root["subtree_member_count"] == 2 and root["member_count"] == 0
    assert root["org_type"] == "province" and root["org_type_label"] == "省级总工会"
    assert root["region"]["name"] == "浙江省" and root["status_label"] == "正常"
    assert root["parent"] is None  # 全总 is outside the province admin's scope
    national = api.get(url("/orgs"), cast.users.national_admin).json()
    assert names(national["items"]) == ["中华全国总工会"] and national["items"][0]["subtree_member_count"] == 3


def test_list_children_of_parent(api, cast):
    r = api.get(url(f"/orgs?parent={cast.orgs.xihu.pk}"), cast.users.province_admin).json()
    assert sorted(names(r["items"])) == ["杭州示例科技有限公司工会", "西溪街道工会"]
    assert r["count"] == 2 and r["has_more"] is False
    company = next(i for i in r["items"] if i["id"] == cast.orgs.company.pk)
    assert company["subtree_member_count"] == 2
    assert company["parent"] == {"id": cast.orgs.xihu.pk, "name": "杭州市西湖区总工会"}
    page = api.get(url(f"/orgs?parent={cast.orgs.xihu.pk}&limit=1&offset=1"), cast.users.province_admin).json()
    assert page["count"] == 2 and len(page["items"]) == 1 and page["items"][0]["id"] == r["items"][1]["id"]


def test_children_of_out_of_scope_parent_is_404(api, cast):
    assert api.get(url(f"/orgs?parent={cast.orgs.xihu.pk}"), cast.users.sibling_admin).status_code == 404
    assert api.get(url("/orgs?parent=999999"), cast.users.national_admin).status_code == 404


def test_search_by_name_stays_in_scope(api, cast):
    mine = api.get(url("/orgs?q=示例"), cast.users.province_admin).json()
    assert names(mine["items"]) == ["杭州示例科技有限公司工会"] and mine["count"] == 1
    everyone = api.get(url("/orgs?q=示例"), cast.users.national_admin).json()
    assert sorted(names(everyone["items"])) == ["南京示例物流有限公司工会", "杭州示例科技有限公司工会"]
    within = api.get(url(f"/orgs?q=工会&parent={cast.orgs.xihu.pk}"), cast.users.national_admin).json()
    assert sorted(names(within["items"])) == ["杭州市西湖区总工会", "杭州示例科技有限公司工会", "西溪街道工会"]
    first = api.get(url("/orgs?q=总工会&limit=2"), cast.users.national_admin).json()
    assert len(first["items"]) == 2 and first["has_more"] is True
    typed = api.get(url("/orgs?org_type=grassroots"), cast.users.national_admin).json()
    assert len(typed["items"]) == 2


def test_list_query_validation_in_chinese(api, cast):
    r = api.get(url("/orgs?limit=0"), cast.users.national_admin)
    assert r.status_code == 400
    assert r.json()["errors"] == {"limit": ["不能小于 1。"]}
    r = api.get(url("/orgs?org_type=club"), cast.users.national_admin)
    assert r.status_code == 400 and "无效的选项" in r.json()["errors"]["org_type"][0]


# ----- detail ------------------------------------------------------------------------------------------------


def test_detail_has_term_committee_rule_and_counts(api, cast):
    r = api.get(url(f"/orgs/{cast.orgs.company.pk}"), cast.users.province_admin)
    assert r.status_code == 200
    org = r.json()
    assert org["term_years"] == 3 and org["term_started_on"] == "2023-05-01" and org["term_ends_on"] == "2026-05-01"
    assert org["committee_rule"] == {"members": 2, "required": False, "met": True}
    assert org["subtree_member_count"] == 2 and org["member_count"] == 2
    assert org["employer"]["name"] == "杭州示例科技有限公司" and org["employer"]["uscc"] == "91330106MA2A0000X3"
    assert names(org["ancestors"]) == ["浙江省总工会", "杭州市总工会", "杭州市西湖区总工会"]
    assert org["leadership_label"] == "工会委员会" and org["version"] == 1


def test_detail_hides_ancestors_outside_scope(api, cast):
    org = api.get(url(f"/orgs/{cast.orgs.company.pk}"), cast.users.grassroots_admin).json()
    assert org["ancestors"] == [] and org["parent"] is None


def test_detail_outside_scope_is_404_and_cadre_only(api, cast):
    assert api.get(url(f"/orgs/{cast.orgs.company.pk}"), cast.users.sibling_admin).status_code == 404
    assert api.get(url("/orgs/999999"), cast.users.national_admin).status_code == 404
    r = api.get(url(f"/orgs/{cast.orgs.company.pk}"), cast.users.worker)
    assert r.status_code == 403 and r.json()["detail"] == "此功能仅供有组织授权的工会工作人员使用。"


# ----- create ------------------------------------------------------------------------------------------------


def new_union(cast, **extra):
    return {
        "parent_id": cast.orgs.xihu.pk, "name": "杭州新材料有限公司工会", "org_type": "grassroots",
        "region_code": "330106", "employer_name": "杭州新材料有限公司", "founded_on": "2024-01-10",
        "term_years": 5, "term_started_on": "2024-01-10", **extra,
    }  # fmt: skip


def test_create_under_parent(api, cast):
    r = api.post(url("/orgs"), cast.users.province_admin, new_union(cast))
    assert r.status_code == 201, r.content
    body = r.json()
    org = Org.objects.get(pk=body["id"])
    assert org.parent == cast.orgs.xihu and org.path.startswith(cast.orgs.xihu.path) and org.depth == 4
    assert body["employer"]["name"] == "杭州新材料有限公司" and body["term_ends_on"] == "2029-01-10"
    assert body["parent"] == {"id": cast.orgs.xihu.pk, "name": "杭州市西湖区总工会"}
    assert AuditEvent.objects.filter(action="org.create", object_id=str(org.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"org_type": "province"}, "org_type", "县（区）总工会下不能设立省级总工会。"),
        ({"region_code": "999999"}, "region_code", "行政区划代码 999999 不存在。"),
        ({"uscc": "91330106MA2A0000X4"}, "uscc", "统一社会信用代码校验位错误：最后一位应为 3，而不是 4。"),
        ({"employer_uscc": "123"}, "employer_uscc", "统一社会信用代码应为 18 位，您输入的是 3 位。"),
        ({"name": ""}, "name", "至少需要 1 个字符。"),
        ({"term_years": 4}, "term_years", "无效的选项，可选值：3 或 5。"),
        ({"founded_on": "2024-13-01"}, "founded_on", "应为日期（格式 YYYY-MM-DD）。"),
        ({"path": "0000001."}, "path", "不支持此字段。"),
    ],
)
def test_create_validation_names_the_field_and_saves_nothing(api, cast, change, field, message):
    orgs, employers = Org.objects.count(), Employer.objects.count()
    r = api.post(url("/orgs"), cast.users.province_admin, new_union(cast, **change))
    assert r.status_code == 400, r.content
    assert r.json()["errors"][field] == [message]
    assert message in r.json()["detail"]
    assert (Org.objects.count(), Employer.objects.count()) == (orgs, employers)  # not even the new employer


def test_create_missing_fields_listed(api, cast):
    r = api.post(url("/orgs"), cast.users.province_admin, {"parent_id": cast.orgs.xihu.pk})
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"name", "org_type", "region_code"}
    assert all(m == ["此项为必填项。"] for m in r.json()["errors"].values())


def test_create_needs_admin_on_parent(api, cast):
    body = new_union(cast)
    assert api.post(url("/orgs"), cast.users.readonly, body).status_code == 403
    assert api.post(url("/orgs"), cast.users.sibling_admin, body).status_code == 404
    assert api.post(url("/orgs"), cast.users.grassroots_admin, body).status_code == 404
    assert not Org.objects.filter(name=body["name"]).exists()


# ----- update and move ---------------------------------------------------------------------------------------


def test_update_fields_with_version(api, cast):
    path = url(f"/orgs/{cast.orgs.company.pk}")
    r = api.patch(path, cast.users.grassroots_admin, {"version": 1, "name": "杭州示例科技工会", "term_years": 5})
    assert r.status_code == 200, r.content
    assert r.json()["name"] == "杭州示例科技工会" and r.json()["version"] == 2
    assert r.json()["term_ends_on"] == "2028-05-01"
    org = refreshed(cast.orgs.company)
    assert (org.name, org.term_years, org.version) == ("杭州示例科技工会", 5, 2)
    assert AuditEvent.objects.filter(action="org.update", object_id=str(org.pk)).exists()


def test_update_stale_version_is_409_and_overwrites_nothing(api, cast):
    path = url(f"/orgs/{cast.orgs.company.pk}")
    assert api.patch(path, cast.users.province_admin, {"version": 1, "name": "第一次修改"}).status_code == 200
    r = api.patch(path, cast.users.grassroots_admin, {"version": 1, "name": "第二次修改"})
    assert r.status_code == 409
    assert r.json()["detail"] == "该记录已被他人修改，请刷新后重新编辑。"
    assert refreshed(cast.orgs.company).name == "第一次修改"
    assert api.patch(path, cast.users.grassroots_admin, {"version": 1}).status_code == 409
    assert api.patch(path, cast.users.grassroots_admin, {"version": 2}).status_code == 200


def test_update_validation(api, cast):
    path = url(f"/orgs/{cast.orgs.company.pk}")
    r = api.patch(path, cast.users.province_admin, {"name": "无版本号"})
    assert r.status_code == 400 and r.json()["errors"] == {"version": ["此项为必填项。"]}
    r = api.patch(path, cast.users.province_admin, {"version": 1, "name": None})
    assert r.status_code == 400 and r.json()["errors"] == {"name": ["不能为空。"]}
    r = api.patch(path, cast.users.province_admin, {"version": 1, "org_type": "branch"})
    assert r.status_code == 400 and r.json()["errors"] == {"org_type": ["不支持此字段。"]}
    assert refreshed(cast.orgs.company).version == 1


def test_move_with_parent_id(api, cast):
    path = url(f"/orgs/{cast.orgs.company.pk}")
    r = api.patch(path, cast.users.province_admin, {"version": 1, "parent_id": cast.orgs.xixi.pk})
    assert r.status_code == 200, r.content
    org = refreshed(cast.orgs.company)
    assert org.parent == cast.orgs.xixi and org.path.startswith(cast.orgs.xixi.path) and org.depth == 5
    assert r.json()["parent"]["id"] == cast.orgs.xixi.pk
    assert AuditEvent.objects.filter(action="org.move", object_id=str(org.pk)).exists()


def test_move_stale_is_409(api, cast):
    path = url(f"/orgs/{cast.orgs.company.pk}")
    api.patch(path, cast.users.province_admin, {"version": 1, "founded_on": "2020-01-01"})
    r = api.patch(path, cast.users.province_admin, {"version": 1, "parent_id": cast.orgs.xixi.pk})
    assert r.status_code == 409
    assert refreshed(cast.orgs.company).parent == cast.orgs.xihu


def test_failed_move_keeps_the_field_changes_out_too(api, cast):
    path = url(f"/orgs/{cast.orgs.hangzhou.pk}")
    r = api.patch(path, cast.users.province_admin, {"version": 1, "name": "改名", "parent_id": cast.orgs.xihu.pk})
    assert r.status_code == 400 and r.json()["errors"] == {"parent": ["不能把组织移动到它自己或它的下级组织之下。"]}
    org = refreshed(cast.orgs.hangzhou)
    assert (org.name, org.version, org.parent) == ("杭州市总工会", 1, cast.orgs.zhejiang)


def test_move_needs_admin_on_both_ends(api, cast):
    path = url(f"/orgs/{cast.orgs.company.pk}")
    r = api.patch(path, cast.users.province_admin, {"version": 1, "parent_id": cast.orgs.xuanwu.pk})
    assert r.status_code == 404
    r = api.patch(path, cast.users.grassroots_admin, {"version": 1, "parent_id": cast.orgs.xixi.pk})
    assert r.status_code == 404
    assert refreshed(cast.orgs.company).parent == cast.orgs.xihu


def test_update_dates_and_clear(api, cast):
    path = url(f"/orgs/{cast.orgs.company.pk}")
    r = api.patch(path, cast.users.province_admin, {"version": 1, "term_started_on": None, "employer_name": ""})
    # the employer's name and credit code go together: sending only one of them empties the other
    assert r.status_code == 200, r.content
    assert r.json()["term_ends_on"] is None and r.json()["employer"] is None
    org = refreshed(cast.orgs.company)
    assert org.term_started_on is None and org.employer is None
    r = api.patch(path, cast.users.province_admin, {"version": 2, "founded_on": dt.date(2019, 6, 1).isoformat()})
    assert r.json()["founded_on"] == "2019-06-01"
