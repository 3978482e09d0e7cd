"""The rules of offers, claims and redemptions, through the services: the count, the budget and the limit per
member hold; eligibility is activities' rule; a voucher is redeemed once, only where it applies, only while valid;
every redemption (and every refused one) is audited; bad input is refused in Chinese with nothing saved."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.accounts.services import user_create
from gonghui.benefits import codes, services
from gonghui.benefits.models import Offer, Voucher
from gonghui.benefits.tests.conftest import make_merchant, make_offer
from gonghui.core.models import AuditEvent


def _account(person, username):
    return user_create(actor=None, username=username, password="x", person=person, check_password=False)


def _message(error: ValidationError) -> str:
    return "；".join(error.messages)


def test_claim_gives_a_code_and_keeps_the_counters(cast):
    offer = make_offer(cast)
    claimed = services.voucher_claim(actor=cast.users.worker, offer=offer)
    assert codes.normalised(claimed.code) == claimed.code and len(claimed.code) == 16
    assert services.code_of(claimed.voucher) == claimed.code
    assert claimed.voucher.code_enc != claimed.code  # encrypted at rest
    offer.refresh_from_db()
    assert (offer.claimed_count, offer.claimed_fen) == (1, 3000)
    with pytest.raises(ValidationError) as error:
        services.voucher_claim(actor=cast.users.worker, offer=offer)
    assert _message(error.value) == "每人限领 1 张，您已经领过了。"


def test_budget_and_count_are_never_exceeded(cast):
    li = _account(cast.members.li.person, "lina")
    by_budget = make_offer(cast, budget_fen=5999, total_count=100)  # pays for one voucher of 30 yuan
    services.voucher_claim(actor=cast.users.worker, offer=by_budget)
    with pytest.raises(ValidationError) as error:
        services.voucher_claim(actor=li, offer=by_budget)
    assert _message(error.value) == "这张普惠券已经领完了。"
    by_count = make_offer(cast, total_count=1, merchants=list(by_budget.merchants.all()))
    services.voucher_claim(actor=li, offer=by_count)
    with pytest.raises(ValidationError):
        services.voucher_claim(actor=cast.users.worker, offer=by_count)
    assert Voucher.objects.filter(offer=by_count).count() == 1


def test_a_limit_of_two_allows_two(cast):
    offer = make_offer(cast, per_member_limit=2)
    services.voucher_claim(actor=cast.users.worker, offer=offer)
    second = services.voucher_claim(actor=cast.users.worker, offer=offer)
    assert second.voucher.seq == 2
    with pytest.raises(ValidationError):
        services.voucher_claim(actor=cast.users.worker, offer=offer)


def test_eligibility_is_the_subtree_and_the_employment_form(cast):
    wang = _account(cast.members.wang.person, "wangfang")  # 南京: not under 西湖区
    offer = make_offer(cast, employment_forms=["food_delivery", "courier"])
    with pytest.raises(ValidationError) as error:
        services.voucher_claim(actor=wang, offer=offer)
    assert _message(error.value) == "本券仅限杭州市西湖区总工会及下属工会的会员领取。"
    with pytest.raises(ValidationError) as error:
        services.voucher_claim(actor=cast.users.worker, offer=offer)  # 张伟: standard employment
    assert _message(error.value) == "本券仅限以下就业形态的职工领取：快递员、外卖配送员。"
    assert services.voucher_claim(actor=_account(cast.members.li.person, "lina"), offer=offer).voucher.seq == 1
    with pytest.raises(ValidationError) as error:
        services.voucher_claim(actor=cast.users.province_admin, offer=offer)
    assert _message(error.value) == "请先加入工会，会员才能领取普惠券。"


def test_closed_and_future_offers_cannot_be_claimed(cast):
    offer = make_offer(cast)
    services.offer_close(actor=cast.users.province_admin, offer=offer)
    with pytest.raises(ValidationError) as error:
        services.voucher_claim(actor=cast.users.worker, offer=offer)
    assert _message(error.value) == "这张普惠券已经停止发放。"
    later = make_offer(cast, valid_from=timezone.now() + dt.timedelta(days=2), merchants=list(offer.merchants.all()))
    with pytest.raises(ValidationError) as error:
        services.voucher_claim(actor=cast.users.worker, offer=later)
    assert "起才能领取" in _message(error.value)


def test_a_voucher_is_redeemed_once_where_it_applies(cast):
    shop = make_merchant(cast)
    other = make_merchant(cast, name="别家超市")
    offer = make_offer(cast, merchants=[shop])
    claimed = services.voucher_claim(actor=cast.users.worker, offer=offer)
    with pytest.raises(ValidationError) as error:
        services.voucher_redeem(actor=other.account, code=claimed.code)
    assert _message(error.value) == "这张券不能在本店使用，请提示持券人到适用商户使用。"
    typed = codes.grouped(claimed.code).lower()  # read out at the till, typed in lower case with spaces
    voucher = services.voucher_redeem(actor=shop.account, code=typed)
    assert voucher.merchant == shop and voucher.redeemed_fen == 3000
    with pytest.raises(ValidationError) as error:
        services.voucher_redeem(actor=shop.account, code=claimed.code)
    assert "核销，不能重复使用" in _message(error.value)
    offer.refresh_from_db()
    assert (offer.redeemed_count, offer.redeemed_fen) == (1, 3000)
    events = AuditEvent.objects.filter(action="benefits.voucher_redeem").order_by("pk")
    assert [e.result for e in events] == ["denied", "success", "denied"]
    assert events[0].detail["reason"].startswith("这张券不能在本店使用")


def test_expired_unknown_and_non_merchant_are_refused(cast):
    shop = make_merchant(cast)
    now = timezone.now()
    offer = make_offer(
        cast, merchants=[shop], valid_from=now - dt.timedelta(days=3), valid_until=now + dt.timedelta(days=1)
    )
    claimed = services.voucher_claim(actor=cast.users.worker, offer=offer)
    with pytest.raises(ValidationError) as error:
        services.voucher_redeem(actor=shop.account, code=claimed.code, now=now + dt.timedelta(days=2))
    assert _message(error.value).startswith("这张券已过期（有效期至")
    with pytest.raises(ValidationError) as error:
        services.voucher_redeem(actor=shop.account, code="ABCD-EFGH-JKMN-PQRS")
    assert _message(error.value) == "券码无效，请核对后重新输入。"
    with pytest.raises(PermissionDenied):
        services.voucher_redeem(actor=cast.users.worker, code=claimed.code)
    assert Voucher.objects.get(pk=claimed.voucher.pk).redeemed_at is None


def test_a_discount_takes_the_amount_actually_taken_off(cast):
    shop = make_merchant(cast)
    offer = make_offer(cast, merchants=[shop], kind="discount", discount_percent=80, value_fen=5000)
    claimed = services.voucher_claim(actor=cast.users.worker, offer=offer)
    with pytest.raises(ValidationError) as error:
        services.voucher_redeem(actor=shop.account, code=claimed.code, discount_fen=5001)
    assert "不超过 50.00 元" in _message(error.value)
    assert services.voucher_redeem(actor=shop.account, code=claimed.code, discount_fen=1234).redeemed_fen == 1234
    offer.refresh_from_db()
    assert offer.redeemed_fen == 1234 and offer.claimed_fen == 5000


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"budget_fen": 2999}, "budget_fen", "预算至少够发一张（30.00 元）。"),
        ({"kind": "discount"}, "discount_percent", "折扣须在 1 至 99 之间（如 85 即八五折）。"),
        ({"merchants": []}, "merchants", "请至少选择一个适用商户。"),
        ({"per_member_limit": 0}, "per_member_limit", "每人限领须在 1 至 20 张之间。"),
        ({"title": " "}, "title", "请填写名称。"),
    ],
)
def test_bad_offers_are_refused_in_chinese(cast, change, field, message):
    with pytest.raises(ValidationError) as error:
        make_offer(cast, **change)
    assert error.value.message_dict[field] == [message]
    assert Offer.objects.count() == 0


def test_a_cadre_names_only_merchants_in_scope(cast):
    nanjing_shop = make_merchant(cast, org=cast.orgs.nanjing, name="南京药房")
    with pytest.raises(ValidationError) as error:
        services.offer_create(actor=cast.users.province_admin, org=cast.orgs.xihu, title="券", kind="voucher",
                              value_fen=100, budget_fen=1000, total_count=10, merchants=[nanjing_shop],
                              valid_from=timezone.now(), valid_until=timezone.now() + dt.timedelta(days=1))  # fmt: skip
    assert error.value.message_dict["merchants"] == ["适用商户须为您管辖范围内已启用的商户。"]


def test_invite_sets_the_password_once(cast):
    merchant, raw = services.merchant_create(actor=cast.users.province_admin, org=cast.orgs.xihu, name="书店",
                                             address="曙光路 1 号")  # fmt: skip
    assert not merchant.account.has_usable_password() and not merchant.account.grants.exists()
    with pytest.raises(ValidationError) as error:
        services.invite_accept(raw=raw, password="123")
    assert "password" in error.value.message_dict
    services.invite_accept(raw=raw, password="Gonghui-merchant-2021")
    merchant.account.refresh_from_db()
    assert merchant.account.check_password("Gonghui-merchant-2021")
    with pytest.raises(ValidationError):
        services.invite_accept(raw=raw, password="Another-merchant-2021")
    expired = services.merchant_invite_renew(actor=cast.users.province_admin, merchant=merchant)
    assert services.invited_merchant(expired, now=timezone.now() + dt.timedelta(days=8)) is None


@given(st.text(alphabet=codes.ALPHABET, min_size=16, max_size=16), st.sampled_from(["", " ", "-"]), st.booleans())
def test_a_code_reads_back_however_it_is_typed(code, separator, lower):
    typed = separator.join(code[i : i + 4] for i in range(0, 16, 4))
    assert codes.normalised(typed.lower() if lower else typed) == code
    assert codes.normalised(code[:15]) is None and codes.normalised(code[:15] + "0") is None


@settings(max_examples=200)
@given(value=st.integers(1, 10**6), budget=st.integers(1, 10**8), count=st.integers(1, 10**4),
       claimed=st.integers(0, 10**4))  # fmt: skip
def test_what_is_left_never_overdraws_the_budget_or_the_count(value, budget, count, claimed):
    claimed = min(claimed, count, budget // value)
    offer = Offer(value_fen=value, budget_fen=budget, total_count=count, claimed_count=claimed,
                  claimed_fen=claimed * value)  # fmt: skip
    left = offer.left
    assert claimed + left <= count and (claimed + left) * value <= budget
    assert left == 0 or claimed + left == count or (claimed + left + 1) * value > budget  # nothing wasted


def test_vouchers_are_deleted_after_the_retention(cast):
    now = timezone.now()
    offer = make_offer(cast, valid_from=now - dt.timedelta(days=3), valid_until=now + dt.timedelta(days=1))
    services.voucher_claim(actor=cast.users.worker, offer=offer)
    assert services.vouchers_delete(cutoff=now, batch_size=10) == 0
    assert services.vouchers_delete(cutoff=now + dt.timedelta(days=2), batch_size=10) == 1
    offer.refresh_from_db()
    assert offer.claimed_count == 1  # the counts stay


def test_the_overview_figures_add_up_over_the_tree(cast):
    from gonghui.benefits import selectors

    shop = make_merchant(cast)
    offer = make_offer(cast, merchants=[shop])
    claimed = services.voucher_claim(actor=cast.users.worker, offer=offer)
    services.voucher_redeem(actor=shop.account, code=claimed.code)
    assert selectors.claimed_this_year(cast.users.province_admin) == 1
    assert selectors.claimed_this_year(cast.users.sibling_admin) == 0
    assert selectors.redeemed_this_year_under(cast.orgs.zhejiang) == 1
    assert selectors.redeemed_this_year_under(cast.orgs.jiangsu) == 0
    assert selectors.claimed_this_year_by_org() == {cast.orgs.xihu.pk: 1}
    assert selectors.redeemed_this_year_by_org() == {cast.orgs.xihu.pk: 1}
