"""The rights demo: requests in two provinces in every state, a group with its representatives, legal cases
with their clocks running, the demo worker's own requests."""

import random

from gonghui.accounts.models import User
from gonghui.members.demo import load_demo
from gonghui.rights import selectors
from gonghui.rights.demo import load_demo_requests
from gonghui.rights.models import LegalCase, RequestGroup, RightsRequest


def test_demo_requests_in_every_state(db):
    load_demo(members=1500, seed=3, provinces={"33", "32"})
    requests, groups, cases = load_demo_requests(rng=random.Random(3))
    assert requests == RightsRequest.objects.count() >= 20 and groups == 1 and cases == LegalCase.objects.count() >= 4
    assert {r.org.region_id[:2] for r in RightsRequest.objects.select_related("org")} == {"33", "32"}
    assert {"submitted", "handling", "replied", "closed"} <= set(RightsRequest.objects.values_list("status", flat=True))
    assert (
        RightsRequest.objects.filter(anonymous=True).exists()
        and RightsRequest.objects.filter(via_hotline=True).exists()
    )
    assert RightsRequest.objects.filter(escalated_to__isnull=False).exists()
    assert RightsRequest.objects.filter(satisfaction__isnull=False).exists()
    group = RequestGroup.objects.get()
    assert group.requests.count() >= 10 and group.requests.filter(representative=True).count() == 3
    assert {c.outcome for c in LegalCase.objects.all()} >= {"", "settled"}
    running = [c for legal in LegalCase.objects.filter(closed_on__isnull=True) for c, _ in selectors.case_clocks(legal)]
    assert {c.key for c in running} >= {"mediation", "acceptance", "award", "sue", "set_aside"}
    worker = User.objects.get(username="zhigong")
    assert RightsRequest.objects.filter(filer=worker).count() == 2
