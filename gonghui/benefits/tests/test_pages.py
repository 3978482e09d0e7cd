"""The benefits pages as people use them: a cadre enrols a merchant (its account and invite) and issues an offer;
a member claims on the phone and shows the code; the merchant signs in, lands on the till, scans and redeems once,
and sees only its own redemptions; the report adds up a subtree and exports; the person's copy holds the vouchers."""

import re

from django.urls import reverse

from gonghui.benefits import services
from gonghui.benefits.models import Merchant, Offer, Voucher
from gonghui.benefits.tests.conftest import make_merchant, make_offer
from gonghui.benefits.tests.test_permissions import _offer_form
from gonghui.core.models import AuditEvent
from gonghui.privacy.services import personal_data_of
from gonghui.testing import pii_guard


def test_cadre_enrols_a_merchant_who_sets_a_password_and_lands_on_the_till(cast, client):
    client.force_login(cast.users.province_admin)
    form = {"org": cast.orgs.xihu.pk, "name": "西湖书店", "address": "曙光路 20 号"}
    page = client.post(reverse("benefits:merchant_new"), form).content.decode()
    merchant = Merchant.objects.get(name="西湖书店")
    assert merchant.account.username in page and "<svg" in page
    link = re.search(r"data-invite-url>[^<]*(/benefits/invite/[^/<]+/)<", page).group(1)
    client.logout()
    assert merchant.account.username in client.get(link).content.decode()
    bad = client.post(link, {"password1": "Gonghui-merchant-2021", "password2": "nope"})
    assert bad.status_code == 400 and "两次输入的密码不一致" in bad.content.decode()
    assert (
        client.post(link, {"password1": "Gonghui-merchant-2021", "password2": "Gonghui-merchant-2021"}).status_code
        == 302
    )
    assert client.get(link).status_code == 404  # used once
    assert client.login(username=merchant.account.username, password="Gonghui-merchant-2021")
    assert client.get(reverse("accounts:home"))["Location"] == reverse("benefits:redeem")
    assert client.get(reverse("benefits:list")).status_code == 403  # no cadre scope


def test_cadre_issues_an_offer_and_bad_input_is_refused(cast, client):
    client.force_login(cast.users.province_admin)
    bad = client.post(reverse("benefits:new"), _offer_form(cast) | {"value_fen": "12.345"})
    assert bad.status_code == 400 and "金额最多两位小数（到分）。" in bad.content.decode()
    bad = client.post(reverse("benefits:new"), _offer_form(cast) | {"budget_fen": "10"})
    assert bad.status_code == 400 and "预算至少够发一张（50.00 元）。" in bad.content.decode()
    assert Offer.objects.count() == 0
    response = client.post(reverse("benefits:new"), _offer_form(cast))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "冬送温暖消费券" in page and "已领 0/100 张" in page and "5,000.00" in page


def test_member_claims_and_the_merchant_redeems_once(cast, client):
    shop = make_merchant(cast)
    other = make_merchant(cast, name="别家超市")
    offer = make_offer(cast, merchants=[shop])
    make_offer(cast, title="别家专用券", merchants=[other])
    client.force_login(cast.users.worker)
    assert "夏送清凉消费券" in client.get(reverse("benefits:mine")).content.decode()
    response = client.post(reverse("benefits:claim", args=[offer.pk]))
    voucher = Voucher.objects.get(offer=offer)
    assert response["Location"] == reverse("benefits:voucher", args=[voucher.pk])
    page = client.get(response["Location"]).content.decode()
    code = services.code_of(voucher)
    assert "<svg" in page and code[:4] + " " + code[4:8] in page
    again = client.post(reverse("benefits:claim", args=[offer.pk]), follow=True).content.decode()
    assert "每人限领 1 张，您已经领过了。" in again
    # another merchant scans it: refused, with the reason
    client.force_login(other.account)
    scan = client.get(reverse("benefits:scan"), {"c": code}).content.decode()
    assert "这张券不能在本店使用" in scan
    # the right one scans, sees the voucher, confirms
    client.force_login(shop.account)
    scan = client.get(reverse("benefits:scan"), {"c": code}).content.decode()
    assert "可以核销，请确认。" in scan and "抵扣 30.00 元" in scan
    done = client.post(reverse("benefits:redeem"), {"voucher_code": code}, follow=True).content.decode()
    assert "核销成功：夏送清凉消费券，优惠 30.00 元。" in done and "今日已核销 1 张" in done
    twice = client.post(reverse("benefits:redeem"), {"voucher_code": code})
    assert twice.status_code == 400 and "不能重复使用" in twice.content.decode()
    assert "data-redemption" in client.get(reverse("benefits:redemptions")).content.decode()
    client.force_login(other.account)
    assert "data-redemption" not in client.get(reverse("benefits:redemptions")).content.decode()
    client.force_login(cast.users.worker)
    assert "在西溪大药房使用" in client.get(reverse("benefits:voucher", args=[voucher.pk])).content.decode()
    assert AuditEvent.objects.filter(action="benefits.voucher_redeem", result="success").count() == 1
    with pii_guard.paused():
        copy = personal_data_of(cast.members.zhang.person)["普惠券"]
    assert copy[0]["普惠券"] == "夏送清凉消费券" and copy[0]["核销商户"] == "西溪大药房"
    assert code not in str(copy)


def test_report_adds_up_a_subtree_and_exports(cast, client):
    shop = make_merchant(cast)
    offer = make_offer(cast, merchants=[shop])
    claimed = services.voucher_claim(actor=cast.users.worker, offer=offer)
    services.voucher_redeem(actor=shop.account, code=claimed.code)
    make_offer(cast, org=cast.orgs.nanjing, merchants=[make_merchant(cast, org=cast.orgs.nanjing, name="南京药房")])
    client.force_login(cast.users.national_admin)
    whole = client.get(reverse("benefits:list")).content.decode()
    assert "2 种券" in whole
    zhejiang = client.get(reverse("benefits:list"), {"org": cast.orgs.zhejiang.pk}).content.decode()
    assert "1 种券" in zhejiang and "data-claimed>1<" in zhejiang and "data-redeemed>1<" in zhejiang
    response = client.post(reverse("exports:list"), {"list": "benefits.offers", "org": cast.orgs.zhejiang.pk})
    assert response.status_code in {200, 302}
    client.force_login(cast.users.sibling_admin)
    assert client.get(reverse("benefits:list"), {"org": cast.orgs.zhejiang.pk}).status_code == 404
