"""The hardship demo: files in two provinces, every category, in review, in 公示, paid and exited."""

import random

from gonghui.assistance.demo import load_demo_files
from gonghui.assistance.models import AidPayment, HardshipFile
from gonghui.members.demo import load_demo


def test_demo_files_in_every_state(db):
    load_demo(members=1500, seed=3, provinces={"33", "32"})
    made = load_demo_files(rng=random.Random(3))
    assert made == HardshipFile.objects.count() >= 8
    assert {f.region_id[:2] for f in HardshipFile.objects.all()} == {"33", "32"}
    assert HardshipFile.objects.order_by("pk").first().region_id.startswith("33")  # the demo accounts' province first
    assert set(HardshipFile.objects.values_list("category", flat=True)) == {"deep", "relative", "accident"}
    assert {"submitted", "noticing", "approved", "exited"} <= set(HardshipFile.objects.values_list("status", flat=True))
    assert AidPayment.objects.exists()
