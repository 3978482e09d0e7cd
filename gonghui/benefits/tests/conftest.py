"""Benefits tests: offers of the cast's 西湖区 union (or the company's), redeemed at merchants enrolled by it,
made through the services."""

import datetime as dt

from django.utils import timezone

from gonghui.benefits import services


def make_merchant(cast, *, org=None, name="西溪大药房"):
    merchant, raw = services.merchant_create(actor=None, org=org or cast.orgs.xihu, name=name, address="西溪路 8 号")
    services.invite_accept(raw=raw, password="Gonghui-merchant-2021")
    merchant.account.refresh_from_db()
    return merchant


def make_offer(cast, *, merchants=None, org=None, **extra):
    now = timezone.now()
    fields = {
        "title": "夏送清凉消费券", "kind": "voucher", "value_fen": 3000, "budget_fen": 300_000, "total_count": 100,
        "valid_from": now - dt.timedelta(days=1), "valid_until": now + dt.timedelta(days=30),
    }  # fmt: skip
    fields |= extra
    if merchants is None:
        merchants = [make_merchant(cast)]
    return services.offer_create(actor=None, org=org or cast.orgs.xihu, merchants=merchants, **fields)
