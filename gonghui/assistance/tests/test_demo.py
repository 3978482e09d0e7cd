"""The hardship demo: files in two provinces, every category, in review, in 公示, paid and exited."""

import random

from gonghui.accounts.models import User
from gonghui.assistance.demo import load_demo_files
from gonghui.assistance.models import AidPayment, HardshipFile, MinimumAllowance
from gonghui.members.demo import load_demo
from gonghui.orgs.models import Region


def test_demo_files_in_every_state(db):
    load_demo(members=1500, seed=3, provinces={"33", "32"})
    made = load_demo_files(rng=random.Random(3))
    assert made == HardshipFile.objects.count() >= 9
    assert {f.region_id[:2] for f in HardshipFile.objects.all()} == {"33", "32"}
    assert HardshipFile.objects.order_by("pk").first().region_id.startswith("33")  # the demo accounts' province first
    assert set(HardshipFile.objects.values_list("category", flat=True)) == {"deep", "relative", "accident"}
    assert {"submitted", "noticing", "approved", "exited"} <= set(HardshipFile.objects.values_list("status", flat=True))
    assert set(AidPayment.objects.values_list("kind", flat=True)) == {"living", "winter", "medical", "school"}
    # The demo's worker applied from the phone: a submitted file of their own, opened by them.
    worker = User.objects.get(username="zhigong")
    [own] = HardshipFile.objects.filter(person=worker.person)
    assert own.case.opened_by == worker and own.household.count() == 3
    # 低保 with history (last year's) and a county's own figure beside the inherited ones.
    assert MinimumAllowance.objects.filter(region_id="33").count() == 2
    assert MinimumAllowance.objects.filter(region__level=Region.Level.COUNTY).exists()
