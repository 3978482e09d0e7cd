"""The worker's own page."""

from django.urls import reverse

from gonghui.testing.cast import ZHANG_WEI_ID


def test_worker_sees_their_own_masked_record(client, cast):
    client.force_login(cast.users.worker)
    response = client.get(reverse("portal:me"))
    body = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "张伟" in body and "3301**********1236" in body and "138****5678" in body
    assert ZHANG_WEI_ID not in body and "13812345678" not in body
    assert cast.members.zhang.card_number in body and "杭州示例科技有限公司工会" in body
    assert "2020年3月1日" in body and "全日制用工" in body


def test_worker_navbar_offers_only_their_own_page(client, cast):
    client.force_login(cast.users.worker)
    body = client.get(reverse("portal:me")).content.decode()
    assert reverse("portal:me") in body and reverse("orgs:tree") not in body


def test_cadre_without_a_member_record_is_refused_politely(client, cast):
    client.force_login(cast.users.province_admin)
    response = client.get(reverse("portal:me"))
    assert response.status_code == 403 and "没有关联会员档案" in response.content.decode()
