"""The hardship API: the means test and the masked household in the detail; a second payment is refused."""

from gonghui.assistance.tests.conftest import CHILD_ID, SPOUSE_ID
from gonghui.assistance.tests.test_permissions import _payment, approved_file
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
