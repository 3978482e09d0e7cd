"""演示数据: the demo worker's city union issues a 夏送清凉 voucher (and a fitness discount) redeemed at three
merchants — a pharmacy, a convenience store and, where the city has one, a union rest station; members of the city
have claimed, some have used theirs; the demo worker holds one unused. The pharmacy's account is ``shanghu``."""

import datetime as dt
import random
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.benefits import services
from gonghui.benefits.models import Offer
from gonghui.core.registry import DemoRun
from gonghui.members.demo import DEMO_PASSWORD, DemoAccount
from gonghui.members.models import Membership
from gonghui.orgs.models import Org, OrgType
from gonghui.venues.models import Venue

MERCHANT_USERNAME = "shanghu"


def _city_of(worker) -> Org | None:
    membership = (Membership.objects.filter(person=worker.person, status=Membership.Status.ACTIVE)
                  .select_related("org").first() if worker and worker.person_id else None)  # fmt: skip
    if membership is None:
        return None
    return Org.objects.filter(path__in=membership.org.ancestor_paths(), org_type=OrgType.CITY).first()


def _claim(member, offer: Offer, when: dt.datetime):
    """A claim by a member of the demo tree (most have no account: the claim is theirs, made by the loader)."""
    return services.voucher_claim(actor=SimpleNamespace(person=member, is_authenticated=False), offer=offer, now=when)


@transaction.atomic
def load_demo_benefits(*, rng: random.Random) -> dict:
    worker = User.objects.filter(username="zhigong").select_related("person").first()
    city = _city_of(worker) if worker else None
    if city is None:
        return {}
    now = timezone.now()
    town = city.name.removesuffix("总工会")
    pharmacy, raw = services.merchant_create(actor=None, org=city, name=f"{town}老百姓大药房", address="文三路 128 号")
    User.objects.filter(pk=pharmacy.account_id).update(username=MERCHANT_USERNAME)
    services.invite_accept(raw=raw, password=DEMO_PASSWORD)
    store, _ = services.merchant_create(actor=None, org=city, name="职工便利店（西溪店）", address="西溪路 56 号")
    gym, _ = services.merchant_create(actor=None, org=city, name="工人文化宫健身中心", address="解放路 1 号")
    merchants = [pharmacy, store]
    station = Venue.objects.filter(org__path__startswith=city.path, kind="station").order_by("pk").first()
    if station is not None:
        merchants.append(services.merchant_create(actor=None, org=city, name=station.name, address=station.address,
                                                  venue=station)[0])  # fmt: skip
    summer = services.offer_create(
        actor=None, org=city, title="夏送清凉消费券", kind=Offer.Kind.VOUCHER, value_fen=3000, budget_fen=3_000_000,
        total_count=1000, per_member_limit=1, valid_from=now - dt.timedelta(days=10),
        valid_until=now + dt.timedelta(days=50), merchants=merchants, now=now - dt.timedelta(days=10),
        description="凭券购买防暑降温用品（藿香正气水、清凉油、饮用水等）抵扣 30 元，不找零、不兑现。",
    )  # fmt: skip
    fitness = services.offer_create(
        actor=None, org=city, title="职工健身八折券", kind=Offer.Kind.DISCOUNT, value_fen=5000, discount_percent=80,
        budget_fen=500_000, total_count=100, per_member_limit=2, valid_from=now - dt.timedelta(days=5),
        valid_until=now + dt.timedelta(days=85), merchants=[gym], now=now - dt.timedelta(days=5),
        description="健身次卡、月卡八折，单次最高优惠 50 元。",
    )  # fmt: skip
    rows = Membership.objects.filter(status=Membership.Status.ACTIVE, org__path__startswith=city.path)
    members = [m.person for m in rows.exclude(person=worker.person).select_related("person").order_by("pk")[:60]]
    claimed = redeemed = 0
    for i, member in enumerate(members):
        when = now - dt.timedelta(days=rng.uniform(0.5, 9.5))
        try:
            voucher = _claim(member, summer if i % 6 else fitness, when)
        except ValidationError:  # an ineligible demo member just does not claim
            continue
        claimed += 1
        if rng.random() < 0.55:
            offer = voucher.voucher.offer
            shop = gym if offer.pk == fitness.pk else rng.choice(merchants)
            at = min(now, when + dt.timedelta(hours=rng.uniform(1, 12)))
            taken = rng.randrange(1000, 5001) if offer.pk == fitness.pk else None
            services.voucher_redeem(actor=shop.account, code=voucher.code, now=at, discount_fen=taken)
            redeemed += 1
    services.voucher_claim(actor=worker, offer=summer)
    return {"merchants": len(merchants) + 1, "claimed": claimed + 1, "redeemed": redeemed}


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members and venues demos)."""
    made = load_demo_benefits(rng=run.rng)
    if made:
        run.summary.append(
            f"{made['merchants']} 家普惠合作商户，{made['claimed']} 张已领普惠券（{made['redeemed']} 张已核销）"
        )
        run.accounts.append(
            DemoAccount(MERCHANT_USERNAME, DEMO_PASSWORD, "合作商户（手机核销普惠券）", "夏送清凉消费券")
        )
