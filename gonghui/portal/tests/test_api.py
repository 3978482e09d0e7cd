"""/api/v1/me: the caller's account, grants and (for a worker) their own masked membership."""

import pytest

from gonghui.testing.api import ApiClient, url


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


def test_worker_sees_own_masked_membership(api, cast):
    r = api.get(url("/me"), cast.users.worker)
    assert r.status_code == 200
    body = r.json()
    assert body["username"] == "zhangwei" and body["grants"] == [] and body["platform_role"] == ""
    person = body["person"]
    assert person["name"] == "张伟" and person["person_id"] == cast.members.zhang.person.pk
    assert person["id_number_masked"] == "3301**********1236" and person["phone_masked"] == "138****5678"
    [membership] = person["memberships"]
    assert membership["card_number"] == cast.members.zhang.card_number and membership["status_label"] == "正常"
    assert membership["org"] == {"id": cast.orgs.company.pk, "name": "杭州示例科技有限公司工会"}


def test_cadre_sees_grants(api, cast):
    body = api.get(url("/me"), cast.users.national_admin).json()
    assert body["display_name"] == "全总管理员" and body["person"] is None
    assert body["grants"] == [
        {"org_id": cast.orgs.national.pk, "org_name": "中华全国总工会", "role": "admin", "role_label": "管理员",
         "can_unmask": True}
    ]  # fmt: skip
    readonly = api.get(url("/me"), cast.users.readonly).json()
    assert [(g["org_name"], g["role"]) for g in readonly["grants"]] == [("浙江省总工会", "readonly")]


def test_platform_admin_has_role_and_no_grants(api, cast):
    body = api.get(url("/me"), cast.users.security_admin).json()
    assert (body["platform_role"], body["platform_role_label"], body["grants"]) == ("security", "安全管理员", [])


def test_anonymous_is_401(api):
    assert api.get(url("/me")).status_code == 401
