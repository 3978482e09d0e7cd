"""The hardship API: the means test and the masked household in the detail; a second payment is refused."""

from gonghui.assistance.tests.conftest import CHILD_ID, SPOUSE_ID
from gonghui.assistance.tests.test_permissions import _api_update, _payment, approved_file, hardship_file
from gonghui.testing.api import ApiClient
from gonghui.testing.cast import ZHANG_WEI_ID


def test_detail_and_double_payment(cast):
    api = ApiClient()
    api.remember_secret(ZHANG_WEI_ID, SPOUSE_ID, CHILD_ID)
    file = approved_file(cast)
    user = cast.users.grassroots_admin
    detail = api.call("GET", f"/api/v1/assistance/files/{file.pk}", user).json()
    assert detail["means"]["per_capita_monthly"] == "333.33" and detail["means"]["allowance"] == "1000.00"
    assert detail["category"] == "deep" and detail["status_label"] == "已建档" and not detail["elsewhere"]
    assert [m["relation"] for m in detail["household"]] == ["self", "spouse", "child"]
    first = api.call("POST", f"/api/v1/assistance/files/{file.pk}/payments", user, _payment(cast))
    assert first.status_code == 201 and first.json()["amount"] == "1000.00"
    second = api.call("POST", f"/api/v1/assistance/files/{file.pk}/payments", user, _payment(cast))
    assert second.status_code == 400 and "不能重复发放" in second.json()["detail"]
    api.assert_no_personal_data()


def test_update_recomputes_and_a_stale_version_is_409(cast):
    api = ApiClient()
    api.remember_secret(ZHANG_WEI_ID, SPOUSE_ID, CHILD_ID)
    file = hardship_file(cast)
    body = _api_update(cast, "grassroots_admin")
    body["household"] = [m for m in body["household"] if m["relation"] != "child"]
    body["expenses"] = {"medical": "1200"}
    saved = api.call("PUT", f"/api/v1/assistance/files/{file.pk}", cast.users.grassroots_admin, body)
    # (12 × 1000 − 1200) ÷ 12 ÷ 2 = 450.00.
    assert saved.status_code == 200 and saved.json()["means"]["per_capita_monthly"] == "450.00"
    assert saved.json()["version"] == 2 and len(saved.json()["household"]) == 2
    stale = api.call("PUT", f"/api/v1/assistance/files/{file.pk}", cast.users.grassroots_admin, body)
    assert stale.status_code == 409 and "已被他人修改并保存" in stale.json()["detail"]
    poor = body | {"version": 2, "expenses": {"medical": "x"}}
    assert api.call("PUT", f"/api/v1/assistance/files/{file.pk}", cast.users.grassroots_admin, poor).status_code == 400
    api.assert_no_personal_data()
