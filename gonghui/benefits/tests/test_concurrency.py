"""Claims and redemptions at the same moment, on PostgreSQL: the count and the budget are never exceeded, a member
never gets more than the limit, and a voucher scanned by two tills at once is redeemed once."""

import pytest
from django.db import connection

from gonghui.accounts.services import user_create
from gonghui.benefits import services
from gonghui.benefits.models import Voucher
from gonghui.benefits.tests.conftest import make_merchant, make_offer
from gonghui.members.services import member_create
from gonghui.testing.cast import valid_id
from gonghui.testing.concurrency import at_once

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent transactions")


def _all_at_once(calls) -> list[str]:
    """ "ok" for each call that went through, the refusal's text for the others."""
    return [o if isinstance(o, str) else "ok" for o in at_once(calls)]


@pytest.mark.django_db(transaction=True)
def test_thirty_members_at_once_for_a_budget_of_ten(cast):
    people = []
    for i in range(30):
        member = member_create(actor=None, org=cast.orgs.company, name=f"骑手{i}",
                               id_number=valid_id(f"33010619950101{i:02d}1"), phone=f"1390000{i:04d}")  # fmt: skip
        people.append(user_create(actor=None, username=f"rider{i}", password="Gonghui-test-2021",
                                  person=member.person, check_password=False))  # fmt: skip
    offer = make_offer(cast, value_fen=3000, budget_fen=30_000, total_count=50)  # the budget pays for ten
    outcomes = _all_at_once([lambda a=a: services.voucher_claim(actor=a, offer=offer) for a in people])
    assert sorted(outcomes) == ["ok"] * 10 + ["这张普惠券已经领完了。"] * 20
    offer.refresh_from_db()
    assert offer.claimed_count == Voucher.objects.filter(offer=offer).count() == 10
    assert offer.claimed_fen == 30_000


@pytest.mark.django_db(transaction=True)
def test_one_member_tapping_eight_times_gets_the_limit(cast):
    offer = make_offer(cast, per_member_limit=2)
    outcomes = _all_at_once([lambda: services.voucher_claim(actor=cast.users.worker, offer=offer)] * 8)
    assert sorted(outcomes) == ["ok"] * 2 + ["每人限领 2 张，您已经领过了。"] * 6
    assert Voucher.objects.filter(offer=offer).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_tills_scanning_one_voucher_redeem_it_once(cast):
    shop = make_merchant(cast)
    offer = make_offer(cast, merchants=[shop], per_member_limit=3)
    for _ in range(3):  # three vouchers: the race has three chances to go wrong
        claimed = services.voucher_claim(actor=cast.users.worker, offer=offer)
        outcomes = _all_at_once([lambda c=claimed: services.voucher_redeem(actor=shop.account, code=c.code)] * 6)
        assert outcomes.count("ok") == 1, outcomes
        assert all(o == "ok" or "不能重复使用" in o for o in outcomes), outcomes
    offer.refresh_from_db()
    assert offer.redeemed_count == 3 and offer.redeemed_fen == 9000
