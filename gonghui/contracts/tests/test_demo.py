"""The demo: contracts in two provinces in every state of their life, the expiring ones' unions reminded."""

import random

from gonghui.contracts.demo import load_demo_contracts
from gonghui.contracts.models import Contract, Level, Status
from gonghui.members.demo import load_demo
from gonghui.messages.models import Message
from gonghui.orgs.models import Org


def test_demo_contracts_in_every_state(db):
    load_demo(members=300, seed=3, provinces={"33", "32"})
    made = load_demo_contracts(rng=random.Random(3))
    assert made == Contract.objects.count() > 10
    assert set(Contract.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Contract.objects.values_list("level", flat=True)) == set(Level.values)
    provinces = [
        p
        for p in Org.objects.filter(org_type="province")
        if Contract.objects.filter(org__path__startswith=p.path).exclude(status=Status.RENEWED).count() >= 4
    ]
    assert len(provinces) == 2
    assert Contract.objects.filter(status=Status.RENEWED, renewals__status=Status.EFFECTIVE).exists()
    assert Contract.objects.filter(status=Status.SIGNED).exists()  # not filed in time
    assert Message.objects.filter(event="contracts.renewal_due").exists()
    jiceng = Org.objects.get(grants__user__username="jiceng")
    assert Contract.objects.filter(org=jiceng).exists()
