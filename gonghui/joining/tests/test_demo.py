"""The joining demo: applications in every state on the members demo's Zhejiang tree."""

import random

from gonghui.joining.demo import load_demo_applications
from gonghui.joining.models import JoinApplication, JoinCode
from gonghui.members.demo import load_demo


def test_demo_applications_in_every_state(db):
    load_demo(members=1500, seed=3, provinces={"33"})
    made = load_demo_applications(rng=random.Random(3))
    assert made == JoinApplication.objects.count() >= 25
    statuses = set(JoinApplication.objects.values_list("status", flat=True))
    assert statuses == {"pending", "accepted", "rejected"}
    assert JoinApplication.objects.exclude(escalated_to=None).exists()
    assert JoinApplication.objects.filter(routed_by="employer_union").exists()
    assert JoinCode.objects.count() == 2
