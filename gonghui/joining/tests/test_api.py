"""/api/v1/join through the API client: the worker's flow and the cadres' decisions."""

import pytest

from gonghui.joining import services
from gonghui.joining.models import JoinApplication
from gonghui.joining.tests.conftest import NEW_ID, NEW_PHONE, PASSWORD, last_code
from gonghui.testing.api import ApiClient, url
from gonghui.testing.cast import valid_id

OTHER_ID = valid_id("33010619950101011")
APPLY = {"name": "赵强", "id_number": NEW_ID, "password": PASSWORD, "agree": True, "employment_form": "courier",
         "region_code": "330106004", "employer_name": "某快递网点", "job_title": "快递员"}  # fmt: skip


@pytest.fixture
def api(cast):
    client = ApiClient()
    client.remember_secret(NEW_ID, NEW_PHONE)
    yield client
    client.assert_no_personal_data()


def _verified(api, phone: str = NEW_PHONE) -> str:
    token = api.post(url("/join/phone/code"), body={"phone": phone}).json()["verification"]
    assert api.post(url("/join/phone/verify"), body={"verification": token, "code": last_code()}).status_code == 200
    return token


def test_worker_applies_and_the_cadre_accepts(api, cast):
    sent = api.post(url("/join/phone/code"), body={"phone": NEW_PHONE})
    assert sent.status_code == 201 and sent.json()["phone_masked"] == "135****7777"
    token = sent.json()["verification"]
    r = api.post(url("/join/phone/verify"), body={"verification": token, "code": "abc"})
    assert r.status_code == 400 and "验证码不正确" in r.json()["detail"]
    api.post(url("/join/phone/verify"), body={"verification": token, "code": last_code()})
    r = api.post(url("/join/applications"), body=APPLY | {"verification": token})
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["org"]["name"] == "西溪街道工会" and created["routed_by"] == "township"
    applicant = JoinApplication.objects.get().account
    assert [a["status"] for a in api.get(url("/join/applications/mine"), applicant).json()["items"]] == ["pending"]

    admin = cast.users.province_admin
    todo = api.get(url("/join/todo"), admin).json()["items"]
    assert [a["name"] for a in todo] == ["赵强"] and todo[0]["id_number_masked"].startswith("3301")
    path = url(f"/join/todo/{created['id']}/accept")
    r = api.post(path, admin, body={"version": 1})
    assert r.status_code == 200 and r.json()["status"] == "accepted" and len(r.json()["card_number"]) == 17
    assert api.post(path, admin, body={"version": 1}).status_code == 409
    mine = api.get(url("/join/applications/mine"), applicant).json()["items"]
    assert mine[0]["status_label"] == "已入会"


def test_bad_identity_and_unverified_phone_are_400_in_chinese(api, cast):
    token = api.post(url("/join/phone/code"), body={"phone": NEW_PHONE}).json()["verification"]
    r = api.post(url("/join/applications"), body=APPLY | {"verification": token})
    assert r.status_code == 400 and r.json()["detail"] == "请先验证手机号码。"
    token = _verified(api)
    r = api.post(url("/join/applications"), body=APPLY | {"verification": token, "id_number": NEW_ID[:-2]})
    assert r.status_code == 400 and "id_number" in r.json()["errors"]
    r = api.post(url("/join/phone/code"), body={"phone": "12345"})
    assert r.status_code == 400 and "phone" in r.json()["errors"]


def test_join_code_in_the_api_and_a_forged_one_falls_back(api, cast):
    code = services.join_code_create(actor=cast.users.province_admin, org=cast.orgs.company, label="企业入会点")
    r = api.post(url("/join/applications"), body=APPLY | {"verification": _verified(api), "join_code": code.token})
    assert r.json()["org"]["name"] == "杭州示例科技有限公司工会" and r.json()["routed_by"] == "join_code"
    other = {"verification": _verified(api, "13566660000"), "join_code": "forged", "id_number": OTHER_ID}
    r = api.post(url("/join/applications"), body=APPLY | other)
    assert r.json()["routed_by"] == "township"


def test_sending_codes_is_rate_limited(api, cast, settings):
    settings.GONGHUI_JOINING = {"sends_per_phone_per_hour": 1}
    assert api.post(url("/join/phone/code"), body={"phone": NEW_PHONE}).status_code == 201
    r = api.post(url("/join/phone/code"), body={"phone": NEW_PHONE})
    assert r.status_code == 429 and r.json()["detail"] == "请求过于频繁，请稍后再试。"


def test_reassign_and_reject_through_the_api(api, cast):
    token = _verified(api)
    created = api.post(url("/join/applications"), body=APPLY | {"verification": token}).json()
    admin = cast.users.province_admin
    r = api.post(
        url(f"/join/todo/{created['id']}/reassign"), admin, body={"version": 1, "org_id": cast.orgs.company.pk}
    )
    assert r.status_code == 200 and r.json()["org"]["name"] == "杭州示例科技有限公司工会"
    r = api.post(
        url(f"/join/todo/{created['id']}/reject"),
        cast.users.grassroots_admin,
        body={"version": 2, "reason": "非本单位职工"},
    )
    assert r.status_code == 200 and r.json()["reject_reason"] == "非本单位职工"
