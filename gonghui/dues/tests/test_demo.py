"""The dues demo: bounded, consistent with the services' rollup, some members in arrears."""

import random
import time

from gonghui.dues.demo import load_demo_dues
from gonghui.dues.models import DuesOrgMonth, DuesPayment, WageBase
from gonghui.dues.selectors import DuesData, current_month
from gonghui.members.demo import load_demo
from gonghui.members.models import Membership


def test_demo_dues_are_bounded_and_consistent(db):
    load_demo(members=1500, seed=3, provinces={"33"})
    started = time.monotonic()
    members = load_demo_dues(rng=random.Random(3), max_members=800)
    assert time.monotonic() - started < 10
    assert 0 < members <= 800 and WageBase.objects.count() == members
    assert DuesPayment.objects.count() > members
    person_ids = list(WageBase.objects.values_list("person_id", flat=True))
    data = DuesData.load(person_ids)
    in_arrears = sum(data.arrears(pid).amount > 0 for pid in person_ids)
    assert 0 < in_arrears < members
    rolled = sum(r.members_in_arrears for r in DuesOrgMonth.objects.filter(month=current_month()))
    assert rolled == in_arrears
    assert Membership.objects.filter(person_id__in=person_ids, last_active_on__isnull=False).exists()
