"""会员关系接转, retirement and employer closure: services, pages and /api/v1/members/transfers."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from gonghui.core.models import AuditEvent
from gonghui.members import selectors
from gonghui.members.models import Membership, Person, TransferRequest
from gonghui.members.services import (
    employer_close,
    member_create,
    membership_retire,
    transfer_accept,
    transfer_reject,
    transfer_release,
    transfer_start,
)
from gonghui.orgs.models import Org, OrgType, Region
from gonghui.orgs.services import org_create
from gonghui.testing.api import ApiClient, url
from gonghui.testing.cast import refreshed, valid_id


def _move(cast, membership, to_org, *, sender=None, receiver=None):
    """One full transfer: started and released by the sending side, accepted by the receiving side."""
    sender = sender or cast.users.national_admin
    transfer = transfer_start(actor=sender, membership=membership, to_org=to_org, reason="工作调动")
    transfer = transfer_release(actor=sender, transfer=transfer)
    return transfer_accept(actor=receiver or cast.users.national_admin, transfer=transfer)


def test_transfer_chain_keeps_the_join_date_and_the_card(cast):
    zhang = cast.members.zhang
    card = zhang.card_number
    first = _move(cast, zhang, cast.orgs.logistics, sender=cast.users.grassroots_admin,
                  receiver=cast.users.sibling_admin)  # fmt: skip
    second = _move(cast, first.new_membership, cast.orgs.xixi)
    rows = list(Membership.objects.filter(person=zhang.person).order_by("id"))
    assert [m.status for m in rows] == ["transferred", "transferred", "active"]
    assert [m.org for m in rows] == [cast.orgs.company, cast.orgs.logistics, cast.orgs.xixi]
    assert {m.joined_on for m in rows} == {dt.date(2020, 3, 1)}  # seniority carries over
    assert rows[2].card_number == card  # the card travels with the member
    assert rows[0].card_number == f"{card[: 32 - len(f'@{rows[0].pk}')]}@{rows[0].pk}"
    assert rows[0].end_reason == "转至南京示例物流有限公司工会" and rows[0].ended_on is not None
    assert (first.status, second.status) == ("accepted", "accepted")
    assert second.new_membership == rows[2]
    assert AuditEvent.objects.filter(action="transfer.accept").count() == 2


def test_transfer_adjusts_both_member_counts(cast):
    before = refreshed(cast.orgs.company).member_count, refreshed(cast.orgs.logistics).member_count
    assert before == (2, 1)
    _move(cast, cast.members.zhang, cast.orgs.logistics)
    assert (refreshed(cast.orgs.company).member_count, refreshed(cast.orgs.logistics).member_count) == (1, 2)


def test_release_and_accept_by_the_wrong_side(cast):
    u = cast.users
    transfer = transfer_start(actor=u.grassroots_admin, membership=cast.members.zhang, to_org=cast.orgs.logistics,
                              reason="工作调动")  # fmt: skip
    assert transfer.initiated_by == "union" and transfer.status == "requested"
    with pytest.raises(PermissionDenied):  # the receiving union sees it, but releasing is not its step
        transfer_release(actor=u.sibling_admin, transfer=transfer)
    with pytest.raises(PermissionDenied):  # read-only on the sending side
        transfer_release(actor=u.readonly, transfer=transfer)
    stranger = _xixi_admin(cast)
    with pytest.raises(Http404):  # sees neither side
        transfer_release(actor=stranger, transfer=transfer)
    with pytest.raises(ValidationError):  # not released yet
        transfer_accept(actor=u.sibling_admin, transfer=transfer)
    transfer = transfer_release(actor=u.grassroots_admin, transfer=transfer)
    with pytest.raises(PermissionDenied):  # the sending union may not accept for the receiving one
        transfer_accept(actor=u.grassroots_admin, transfer=transfer)
    with pytest.raises(ValidationError):  # released twice (a stale form)
        transfer_release(actor=u.grassroots_admin, transfer=transfer)
    assert refreshed_transfer(transfer).status == "released"


def refreshed_transfer(transfer):
    transfer.refresh_from_db()
    return transfer


def _xixi_admin(cast):
    """An admin of 西溪街道工会: neither the sender nor the receiver of 张伟's move to Nanjing."""
    from gonghui.testing.cast import add_user

    return add_user("xixi", org=cast.orgs.xixi)


def test_receiving_union_sees_the_transfer_but_not_the_member_until_accepted(cast):
    u, person = cast.users, cast.members.zhang.person
    transfer = transfer_start(actor=u.grassroots_admin, membership=cast.members.zhang, to_org=cast.orgs.logistics,
                              reason="工作调动")  # fmt: skip
    transfer = transfer_release(actor=u.grassroots_admin, transfer=transfer)
    assert list(selectors.transfers_visible_to(u.sibling_admin)) == [transfer]
    assert list(selectors.transfers_visible_to(u.province_admin)) == [transfer]
    assert list(selectors.transfers_visible_to(_xixi_admin(cast))) == []
    with pytest.raises(Http404):
        Person.objects.get_for_read(u.sibling_admin, person.pk)
    assert not selectors.members_visible_to(u.sibling_admin).filter(person=person).exists()
    transfer_accept(actor=u.sibling_admin, transfer=transfer)
    assert Person.objects.get_for_read(u.sibling_admin, person.pk) == person
    with pytest.raises(Http404):  # and the sending union no longer does
        Person.objects.get_for_read(u.grassroots_admin, person.pk)


def test_reject_needs_a_reason_and_leaves_the_member_in_place(cast):
    u = cast.users
    transfer = transfer_start(actor=u.grassroots_admin, membership=cast.members.zhang, to_org=cast.orgs.logistics,
                              reason="工作调动")  # fmt: skip
    transfer = transfer_release(actor=u.grassroots_admin, transfer=transfer)
    with pytest.raises(ValidationError) as error:
        transfer_reject(actor=u.sibling_admin, transfer=transfer, reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):  # a released transfer is the receiving union's to refuse
        transfer_reject(actor=u.grassroots_admin, transfer=transfer, reason="不同意")
    transfer = transfer_reject(actor=u.sibling_admin, transfer=transfer, reason="岗位未落实")
    assert (transfer.status, transfer.reject_reason) == ("rejected", "岗位未落实")
    zhang = Membership.objects.get(pk=cast.members.zhang.pk)
    assert (zhang.status, zhang.org) == ("active", cast.orgs.company)
    # Closed, so a new transfer may be started.
    again = transfer_start(actor=u.grassroots_admin, membership=zhang, to_org=cast.orgs.xixi, reason="工作调动")
    assert again.status == "requested"


def test_sending_union_may_refuse_a_members_own_request(cast):
    u = cast.users
    transfer = transfer_start(actor=u.worker, membership=cast.members.zhang, to_org=cast.orgs.xixi, reason="换工作")
    assert transfer.initiated_by == "member"
    with pytest.raises(PermissionDenied):  # the receiving union cannot refuse before the release
        transfer_reject(actor=_xixi_admin(cast), transfer=transfer, reason="不接收")
    transfer = transfer_reject(actor=u.grassroots_admin, transfer=transfer, reason="尚未办理离职")
    assert transfer.status == "rejected"


def test_transfer_start_rules(cast):
    u, zhang = cast.users, cast.members.zhang
    with pytest.raises(Http404):  # a worker may ask only for their own membership
        transfer_start(actor=u.worker, membership=cast.members.li, to_org=cast.orgs.xixi, reason="换工作")
    with pytest.raises(PermissionDenied):
        transfer_start(actor=u.readonly, membership=zhang, to_org=cast.orgs.xixi, reason="换工作")
    with pytest.raises(Http404):
        transfer_start(actor=u.sibling_admin, membership=zhang, to_org=cast.orgs.logistics, reason="换工作")
    for org in (cast.orgs.xuanwu, cast.orgs.company):  # a county federation holds no members; the same union
        with pytest.raises(ValidationError):
            transfer_start(actor=u.grassroots_admin, membership=zhang, to_org=org, reason="换工作")
    Org.objects.filter(pk=cast.orgs.xixi.pk).update(status=Org.Status.REVOKED)
    with pytest.raises(ValidationError):
        transfer_start(actor=u.grassroots_admin, membership=zhang, to_org=refreshed(cast.orgs.xixi), reason="换工作")
    with pytest.raises(ValidationError):
        transfer_start(actor=u.grassroots_admin, membership=zhang, to_org=cast.orgs.logistics, reason=" ")
    transfer_start(actor=u.grassroots_admin, membership=zhang, to_org=cast.orgs.logistics, reason="换工作")
    with pytest.raises(ValidationError) as error:  # no second open transfer
        transfer_start(actor=u.worker, membership=zhang, to_org=cast.orgs.logistics, reason="换工作")
    assert error.value.error_dict["to_org"][0].code == "transfer_open"
    assert TransferRequest.objects.count() == 1


def test_retirement_keeps_the_membership(cast):
    zhang = cast.members.zhang
    with pytest.raises(PermissionDenied):
        membership_retire(actor=cast.users.readonly, membership=zhang)
    membership_retire(actor=cast.users.grassroots_admin, membership=zhang)
    zhang.refresh_from_db()
    assert (zhang.status, zhang.is_retired, zhang.org) == ("active", True, cast.orgs.company)
    assert refreshed(cast.orgs.company).member_count == 2
    assert AuditEvent.objects.filter(action="membership.retire", object_id=str(zhang.pk)).exists()
    with pytest.raises(ValidationError):
        membership_retire(actor=cast.users.grassroots_admin, membership=zhang)
    # A retiree who transfers stays a retiree.
    assert _move(cast, zhang, cast.orgs.xixi).new_membership.is_retired


def test_employer_closure_moves_every_member_up_and_revokes_the_union(cast):
    company, xihu = cast.orgs.company, cast.orgs.xihu
    open_transfer = transfer_start(actor=cast.users.worker, membership=cast.members.zhang, to_org=cast.orgs.xixi,
                                   reason="换工作")  # fmt: skip
    with pytest.raises(Http404):  # the union itself may not dissolve itself: its upper union decides
        employer_close(actor=cast.users.grassroots_admin, org=company)
    with pytest.raises(PermissionDenied):
        employer_close(actor=cast.users.readonly, org=company)
    before = refreshed(xihu).member_count
    moved = employer_close(actor=cast.users.province_admin, org=company)
    assert moved == 2
    company = refreshed(company)
    assert (company.status, company.member_count) == ("revoked", 0)
    assert refreshed(xihu).member_count == before + 2
    rows = Membership.objects.filter(pk__in=[cast.members.zhang.pk, cast.members.li.pk])
    assert {
        (m.org_id, m.status, m.joined_on == orig.joined_on)
        for m, orig in zip(rows.order_by("pk"), [cast.members.zhang, cast.members.li], strict=True)
    } == {(xihu.pk, "active", True)}
    assert refreshed_transfer(open_transfer).status == "cancelled"
    with pytest.raises(ValidationError):  # twice
        employer_close(actor=cast.users.province_admin, org=company)
    with pytest.raises(ValidationError):  # only a grassroots union
        employer_close(actor=cast.users.national_admin, org=cast.orgs.xixi)
    with pytest.raises(ValidationError) as error:  # a revoked union takes no new members
        member_create(
            actor=cast.users.province_admin, org=company, name="赵敏", id_number=valid_id("33010619950101002")
        )
    assert "已撤销" in str(error.value)


def test_employer_closure_refuses_a_union_with_live_branches(cast):
    org_create(actor=None, parent=cast.orgs.company, name="研发部分工会", org_type=OrgType.BRANCH,
               region=Region.objects.get(code="330106"))  # fmt: skip
    with pytest.raises(ValidationError):
        employer_close(actor=cast.users.province_admin, org=cast.orgs.company)
    assert refreshed(cast.orgs.company).status == "active"


# ----- pages -------------------------------------------------------------------------------------------------


def test_member_page_offers_transfer_and_retirement_and_shows_history(client, cast):
    client.force_login(cast.users.grassroots_admin)
    page = reverse("members:detail", args=[cast.members.zhang.person_id])
    body = client.get(page).content.decode()
    assert "发起转会" in body and "登记退休" in body and "暂无接转记录" in body
    response = client.post(reverse("members:transfer_start", args=[cast.members.zhang.person_id]),
                           {"to_org": cast.orgs.logistics.pk, "reason": "工作调动"})  # fmt: skip
    assert response.status_code == 302
    body = client.get(page).content.decode()
    assert "杭州示例科技有限公司工会 → 南京示例物流有限公司工会" in body and "申请中" in body
    assert 'id="transfer-form"' not in body  # one open transfer at a time
    client.post(reverse("members:retire", args=[cast.members.zhang.person_id]))
    assert Membership.objects.get(pk=cast.members.zhang.pk).is_retired
    assert "登记退休" not in client.get(page).content.decode()


def test_transfer_start_page_refuses_a_union_that_holds_no_members(client, cast):
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("members:transfer_start", args=[cast.members.zhang.person_id]),
                           {"to_org": cast.orgs.xuanwu.pk, "reason": "工作调动"})  # fmt: skip
    assert response.status_code == 400 and "可接收会员的工会" in response.content.decode()
    assert not TransferRequest.objects.exists()


def test_transfer_targets_show_only_name_and_place_of_active_member_holding_unions(client, cast):
    client.force_login(cast.users.grassroots_admin)  # Jiangsu lies outside this user's scope
    body = client.get(reverse("members:transfer_targets"), {"to_org_q": "南京"}).content.decode()
    logistics = cast.orgs.logistics
    assert (
        f'<option value="{logistics.pk}">南京示例物流有限公司工会（{logistics.region.path_label()}）</option>' in body
    )
    assert "南京市总工会" not in body and "玄武区总工会" not in body  # federations hold no members
    assert "320102" not in body  # nothing but the name and the place (public)
    assert str(logistics.pk) in client.get(reverse("members:transfer_targets"), {"to_org_q": "nj"}).content.decode()
    Org.objects.filter(pk=cast.orgs.logistics.pk).update(status=Org.Status.REVOKED)
    assert "物流" not in client.get(reverse("members:transfer_targets"), {"to_org_q": "南京"}).content.decode()


def test_transfer_list_page_offers_each_side_its_own_steps(client, cast):
    u = cast.users
    transfer = transfer_start(actor=u.grassroots_admin, membership=cast.members.zhang, to_org=cast.orgs.logistics,
                              reason="工作调动")  # fmt: skip
    client.force_login(u.grassroots_admin)
    body = client.get(reverse("members:transfers")).content.decode()
    assert reverse("members:transfer_release", args=[transfer.pk]) in body
    assert reverse("members:transfer_accept", args=[transfer.pk]) not in body
    client.post(reverse("members:transfer_release", args=[transfer.pk]))
    client.force_login(u.sibling_admin)
    body = client.get(reverse("members:transfers")).content.decode()
    assert "张伟" in body and reverse("members:transfer_accept", args=[transfer.pk]) in body
    assert reverse("members:detail", args=[cast.members.zhang.person_id]) not in body  # no link before acceptance
    assert cast.members.zhang.person.id_number_masked not in body
    response = client.post(reverse("members:transfer_reject", args=[transfer.pk]), {"reason": ""})
    assert response.status_code == 302 and refreshed_transfer(transfer).status == "released"
    client.post(reverse("members:transfer_accept", args=[transfer.pk]))
    assert refreshed_transfer(transfer).status == "accepted"
    body = client.get(reverse("members:transfers")).content.decode()
    assert reverse("members:detail", args=[cast.members.zhang.person_id]) in body


# ----- API ---------------------------------------------------------------------------------------------------


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


def test_api_transfer_flow(api, cast):
    u, person_id = cast.users, cast.members.zhang.person_id
    r = api.call("POST", f"/api/v1/members/{person_id}/transfers", u.worker,
                 {"to_org_id": cast.orgs.logistics.pk, "reason": "换工作"})  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["status"], body["initiated_by"], body["to_org"]["org_type_label"]) == (
        "requested",
        "member",
        "基层工会",
    )
    tid = body["id"]
    listed = api.call("GET", "/api/v1/members/transfers", u.sibling_admin).json()["items"]
    assert [(t["id"], t["person_name"], t["person_id"]) for t in listed] == [(tid, "张伟", None)]
    assert api.call("POST", f"/api/v1/members/transfers/{tid}/accept", u.sibling_admin).status_code == 400
    assert (
        api.call("POST", f"/api/v1/members/transfers/{tid}/release", u.grassroots_admin).json()["status"] == "released"
    )
    r = api.call("POST", f"/api/v1/members/transfers/{tid}/reject", u.sibling_admin, {"reason": ""})
    assert r.status_code == 400
    r = api.call("POST", f"/api/v1/members/transfers/{tid}/accept", u.sibling_admin)
    assert (r.status_code, r.json()["status"], r.json()["person_id"]) == (200, "accepted", person_id)
    member = api.call("GET", f"/api/v1/members/{person_id}", u.sibling_admin).json()
    assert member["memberships"][0]["org"]["name"] == "南京示例物流有限公司工会"
    assert member["memberships"][0]["joined_on"] == "2020-03-01"
    assert api.call("GET", f"/api/v1/members/{person_id}", u.grassroots_admin).status_code == 404


def test_api_transfer_refuses_an_unknown_or_federation_target(api, cast):
    path = f"/api/v1/members/{cast.members.zhang.person_id}/transfers"
    for org_id in (cast.orgs.xuanwu.pk, 999999):
        r = api.call("POST", path, cast.users.grassroots_admin, {"to_org_id": org_id, "reason": "换工作"})
        assert r.status_code == 400 and "to_org_id" in r.json()["errors"]
    assert not TransferRequest.objects.exists()


def test_member_list_links_to_the_transfers(client, cast):
    client.force_login(cast.users.readonly)
    assert reverse("members:transfers") in client.get(reverse("members:list")).content.decode()


def test_upper_level_admin_closes_an_employer_from_the_org_page(client, cast):
    company = cast.orgs.company
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("orgs:detail", args=[company.pk])).content.decode()
    assert "单位关闭" in page
    wrong = client.post(reverse("orgs:close_employer", args=[company.pk]), {"confirm_name": "杭州"}, follow=True)
    assert "完整名称" in wrong.content.decode() and refreshed(company).status == Org.Status.ACTIVE
    done = client.post(reverse("orgs:close_employer", args=[company.pk]), {"confirm_name": company.name}, follow=True)
    assert "2 名会员的会籍已转至“杭州市西湖区总工会”" in done.content.decode()
    assert refreshed(company).status == Org.Status.REVOKED
    client.force_login(cast.users.grassroots_admin)  # the company's own admin is not offered the step
    assert "单位关闭" not in client.get(reverse("orgs:detail", args=[cast.orgs.xixi.pk])).content.decode()


def test_api_employer_closure(api, cast):
    r = api.post(url(f"/orgs/{cast.orgs.company.pk}/employer-closure"), cast.users.province_admin)
    assert r.status_code == 200 and r.json() == {
        "moved": 2,
        "parent": {"id": cast.orgs.xihu.pk, "name": "杭州市西湖区总工会"},
    }
    again = api.post(url(f"/orgs/{cast.orgs.company.pk}/employer-closure"), cast.users.province_admin)
    assert again.status_code == 400 and "已撤销" in again.json()["detail"]
