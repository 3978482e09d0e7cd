"""演示数据: wage bases and about a year of dues payments for the members of a few demo unions — the demo
grassroots account's own union first — with some members in arrears (retirees come from the members demo).
Bounded: at most ``max_members`` members, bulk writes, then each union's rollup."""

import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import Grant
from gonghui.core import crypto
from gonghui.core.registry import DemoRun
from gonghui.dues.calculation import add_months, month_of
from gonghui.dues.models import DuesPayment, WageBase
from gonghui.dues.selectors import DuesData, current_month
from gonghui.dues.services import org_rollup_refresh
from gonghui.members.models import Membership
from gonghui.members.services import memberships_mark_active
from gonghui.orgs.models import MEMBER_HOLDING_TYPES, Org

MONTHS = 12
METHODS = ("payroll", "payroll", "payroll", "online", "transfer", "cash")


def _demo_orgs(max_orgs: int) -> list[Org]:
    flagship = [g.org for g in Grant.objects.filter(user__username="jiceng").select_related("org")]
    others = Org.objects.filter(org_type__in=MEMBER_HOLDING_TYPES, member_count__gt=0).exclude(
        pk__in=[o.pk for o in flagship]
    )
    return flagship + list(others.order_by("pk")[: max_orgs - len(flagship)])


@transaction.atomic
def load_demo_dues(*, rng: random.Random, log: Callable[[str], None] | None = None, max_orgs: int = 5,
                   max_members: int = 3000) -> int:  # fmt: skip
    """Returns how many members got dues data."""
    log = log or (lambda message: None)
    start, now = add_months(current_month(), -MONTHS), current_month()
    memberships, orgs = [], []
    for org in _demo_orgs(max_orgs):
        rows = list(Membership.objects.filter(org=org, status=Membership.Status.ACTIVE).order_by("pk")[:max_members])
        rows = rows[: max_members - len(memberships)]
        if rows:
            memberships += rows
            orgs.append(org)
    bases = []
    for m in memberships:
        wage = Decimal(rng.randrange(2500_00, 25000_00)) / 100
        month = max(start, month_of(m.joined_on))
        bases.append(WageBase(person_id=m.person_id, org_id=m.org_id, effective_from=month,
                              base_enc=crypto.encrypt(str(wage))))  # fmt: skip
    WageBase.objects.bulk_create(bases, batch_size=1000)
    data = DuesData.load([m.person_id for m in memberships])
    payments, paid_months = [], defaultdict(list)
    today = timezone.localdate()
    for m in memberships:
        stops = add_months(now, -rng.randint(2, 6)) if rng.random() < 0.12 else now  # some fall into arrears
        for line in data.history(m.person_id, add_months(now, -1)):
            if line.due and line.month < stops and rng.random() < 0.97:
                day = min(add_months(line.month, 1).replace(day=rng.randint(1, 15)), today)
                payments.append(DuesPayment(person_id=m.person_id, membership_id=m.pk, org_id=m.org_id,
                                            month=line.month, amount=line.due, method=rng.choice(METHODS),
                                            paid_on=day))  # fmt: skip
                paid_months[line.month].append(m.pk)
    DuesPayment.objects.bulk_create(payments, batch_size=2000)
    for month in sorted(paid_months):
        memberships_mark_active(membership_ids=paid_months[month], on=month)
    for org in orgs:
        org_rollup_refresh(org=org, since=start)
    log(f"会费：{len(memberships)} 名会员的缴费基数，{len(payments)} 条缴纳记录（{len(orgs)} 个工会）。")
    return len(memberships)


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members demo)."""
    run.summary.append(f"{load_demo_dues(rng=run.rng, log=run.log)} 名会员有会费记录")
