"""Every page and API operation of benefits × every member of the cast (see gonghui.testing.matrix).

The offer and its merchant belong to 西湖区 (浙江): Jiangsu and the company's union below 西湖区 do not see them,
the read-only role sees but does not change; 张伟 (a member under 西湖区) claims from his own pages. No member of
the cast is a merchant: the till pages refuse them all (the merchant's own way through is in test_pages). The
invite page needs no sign-in: the link is the proof."""

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.benefits import services
from gonghui.benefits.models import Merchant, Offer, Voucher
from gonghui.benefits.tests.conftest import make_merchant, make_offer
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import USERS, Case, Page, api_tests, codes, expect

SIGNED_IN = dict.fromkeys(USERS, 200) | {"anonymous": 302}
NOT_A_MERCHANT = dict.fromkeys(USERS, 403) | {"anonymous": 302}
# Only 张伟 sees 西湖区's offer among his own; for everyone else it does not exist.
OWN = dict.fromkeys(USERS, 404) | {"worker": 302, "anonymous": 302}


def merchant(cast):
    if not hasattr(cast, "merchant"):
        cast.merchant = make_merchant(cast)
    return cast.merchant


def offer(cast):
    if not hasattr(cast, "offer"):
        cast.offer = make_offer(cast, merchants=[merchant(cast)])
    return cast.offer


def own_voucher(cast):
    if not hasattr(cast, "voucher"):
        cast.voucher = services.voucher_claim(actor=cast.users.worker, offer=offer(cast)).voucher
    return cast.voucher


def invite_token(cast):
    if not hasattr(cast, "invite"):
        cast.invite = services.merchant_create(
            actor=None, org=cast.orgs.xihu, name="西溪便利店", address="西溪路 9 号"
        )[1]
    return cast.invite


def _offer_form(cast):
    start = timezone.localtime()
    return {"org": cast.orgs.xihu.pk, "title": "冬送温暖消费券", "kind": "voucher", "value_fen": "50",
            "budget_fen": "5000", "total_count": 100, "per_member_limit": 1,
            "valid_from": f"{start:%Y-%m-%dT%H:%M}", "valid_until": f"{start + dt.timedelta(days=30):%Y-%m-%dT%H:%M}",
            "merchants": [merchant(cast).pk]}  # fmt: skip


def _merchant_form(cast):
    return {"org": cast.orgs.xihu.pk, "name": "西湖书店", "address": "曙光路 20 号"}


PAGES: list = [
    Page("benefits:list", expect(200, 200, 200, 200, 200)),
    Page("benefits:new", expect(200, 200, 200, 200, 200)),
    Page("benefits:new", expect(302, 302, 400, 400, 400), method="post", data=_offer_form),
    Page("benefits:detail", expect(200, 200, 404, 404, 200), args=lambda c: [offer(c).pk]),
    Page("benefits:close", expect(302, 302, 404, 404, 403), method="post", args=lambda c: [offer(c).pk]),
    Page("benefits:merchants", expect(200, 200, 200, 200, 200)),
    Page("benefits:merchant_new", expect(200, 200, 200, 200, 200)),
    Page("benefits:merchant_new", expect(200, 200, 400, 400, 400), method="post", data=_merchant_form),
    Page("benefits:merchant_detail", expect(200, 200, 404, 404, 200), args=lambda c: [merchant(c).pk]),
    Page("benefits:merchant_invite", expect(200, 200, 404, 404, 403), method="post", args=lambda c: [merchant(c).pk]),
    Page("benefits:mine", SIGNED_IN),
    Page("benefits:claim", OWN, method="post", args=lambda c: [offer(c).pk]),
    Page("benefits:voucher", OWN | {"worker": 200}, args=lambda c: [own_voucher(c).pk]),
    Page("benefits:redeem", NOT_A_MERCHANT),
    Page("benefits:redeem", NOT_A_MERCHANT, method="post",
         data=lambda c: {"voucher_code": services.code_of(own_voucher(c))}),
    Page("benefits:scan", NOT_A_MERCHANT, query=lambda c: f"?c={services.code_of(own_voucher(c))}"),
    Page("benefits:redemptions", NOT_A_MERCHANT),
    Page("benefits:invite", dict.fromkeys(USERS, 200), args=lambda c: [invite_token(c)]),
    Page("benefits:invite", dict.fromkeys(USERS, 400), method="post", args=lambda c: [invite_token(c)],
         data=lambda c: {"password1": "Gonghui-merchant-2021", "password2": "something-else"}),
]  # fmt: skip


API_CASES: list = [
    Case("open offers", "list", "GET", "/benefits/open", codes(200, 200, 200, 200, 200, 200, 200, 401)),
    Case("claim", "create", "POST", "/benefits/{offer_id}/claims", codes(404, 404, 404, 404, 404, 201, 404, 401),
         path=lambda c: f"/benefits/{offer(c).pk}/claims", body=lambda c, u: offer(c) and {}),
    Case("own vouchers", "list", "GET", "/benefits/vouchers", codes(200, 200, 200, 200, 200, 200, 200, 401)),
    Case("redeem", "create", "POST", "/benefits/redemptions", codes(403, 403, 403, 403, 403, 403, 403, 401),
         body=lambda c, u: {"voucher_code": services.code_of(own_voucher(c))}),
    Case("redemptions", "list", "GET", "/benefits/redemptions", codes(403, 403, 403, 403, 403, 403, 403, 401)),
    Case("offers", "list", "GET", "/benefits", codes(200, 200, 200, 200, 200, 403, 403, 401)),
]  # fmt: skip


def snapshot():
    return (
        list(Offer.objects.order_by("pk").values_list("pk", "claimed_count", "redeemed_count", "closed_at")),
        list(Voucher.objects.order_by("pk").values_list("pk", "redeemed_at")),
        list(Merchant.objects.order_by("pk").values_list("pk", "invite_digest")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """浙江's offer for the scope probe (gonghui/core/tests/test_scope_probe.py)."""
    return {"offer_id": make_offer(cast).pk}
