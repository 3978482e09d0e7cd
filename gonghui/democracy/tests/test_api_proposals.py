"""The proposals API as its callers use it: a representative proposes and co-signers confirm through the API
client, the committee lists by status, department and overdue with the pages' scope."""

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.cases.models import Case
from gonghui.democracy import services
from gonghui.democracy.models import Proposal
from gonghui.democracy.tests.conftest import congress_of
from gonghui.testing.api import ApiClient, url

TEXT = {
    "title": "关于增设母婴室的提案",
    "reasons": "女职工哺乳期没有专用场所。",
    "measures": "在办公楼二层设置母婴室。",
}


@pytest.fixture
def api():
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


def test_propose_cosign_and_list_through_the_api(api, cast):
    c = congress_of(cast)
    path = f"/democracy/sittings/{c.sitting.pk}/proposals"
    one = api.post(url(path), c.users["张伟"], TEXT | {"cosigners": [c.reps["李娜"].pk]})
    assert one.status_code == 400 and "2 名以上其他正式代表附议" in str(one.json()["detail"])
    attendee = api.post(url(path), c.users["张伟"], TEXT | {"cosigners": [c.reps["李娜"].pk, c.reps["孙丽"].pk]})
    assert attendee.status_code == 400 and "其他正式代表" in str(attendee.json()["detail"])
    assert not Proposal.objects.exists()
    assert api.post(url(path), c.users["孙丽"], TEXT | {"cosigners": [c.reps["李娜"].pk]}).status_code == 404  # 列席
    made = api.post(url(path), c.users["张伟"], TEXT | {"cosigners": [c.reps["李娜"].pk, c.reps["陈军"].pk]})
    assert made.status_code == 201 and made.json()["status"] == "cosigning"
    pk = made.json()["id"]
    assert [s["confirmed"] for s in made.json()["cosigners"]] == [False, False]
    # Someone not named cannot co-sign; the named ones confirm and the proposal reaches the committee.
    assert api.post(url(f"/democracy/proposals/{pk}/cosign"), c.users["刘芳"]).status_code == 404
    api.post(url(f"/democracy/proposals/{pk}/cosign"), c.users["李娜"])
    done = api.post(url(f"/democracy/proposals/{pk}/cosign"), c.users["陈军"])
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert api.post(url(f"/democracy/proposals/{pk}/cosign"), c.users["陈军"]).status_code == 400  # twice

    # The committee accepts and assigns it; the list filters as the page does.
    proposal = Proposal.objects.get()
    services.proposal_review(actor=c.admin, proposal=proposal, decision="accept")
    services.proposal_assign(actor=c.admin, proposal=proposal, department="后勤保障部", responsible="吴海燕", days=10)
    admin = cast.users.province_admin
    assert [p["id"] for p in api.get(url("/democracy/proposals?status=assigned"), admin).json()["items"]] == [pk]
    assert api.get(url("/democracy/proposals?status=closed"), admin).json()["items"] == []
    assert api.get(url("/democracy/proposals?department=后勤"), admin).json()["items"][0]["department"] == "后勤保障部"
    assert api.get(url("/democracy/proposals?overdue=true"), admin).json()["items"] == []
    past = timezone.localdate() - dt.timedelta(days=3)
    Case.objects.filter(pk=proposal.case_id).update(deadline=past)
    Proposal.objects.filter(pk=pk).update(due_on=past)
    overdue = api.get(url("/democracy/proposals?overdue=true"), admin).json()["items"]
    assert [p["id"] for p in overdue] == [pk] and overdue[0]["overdue"] is True
    assert api.get(url("/democracy/proposals"), cast.users.sibling_admin).json()["items"] == []
    assert api.get(url(f"/democracy/proposals/{pk}"), cast.users.sibling_admin).status_code == 404
    detail = api.get(url(f"/democracy/proposals/{pk}"), c.users["张伟"]).json()
    assert detail["reasons"] == TEXT["reasons"] and detail["department"] == "后勤保障部"
