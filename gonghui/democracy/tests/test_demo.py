"""The democracy demo: congresses in two provinces, the home one in session with a secret ballot open."""

import random

from gonghui.accounts.models import User
from gonghui.democracy.demo import load_demo_congresses
from gonghui.democracy.models import Ballot, Congress, Proposal, Representative, Sitting
from gonghui.democracy.recount import recount
from gonghui.democracy.selectors import is_representative, my_proposals, my_sittings
from gonghui.members.demo import load_demo


def test_demo_congresses_in_session(db):
    load_demo(members=400, seed=3, provinces={"33", "32"})
    made, ballots, proposals = load_demo_congresses(rng=random.Random(3))
    assert made == Congress.objects.count() == 2 and ballots == 5 and proposals == Proposal.objects.count() == 10
    assert {c.org.region_id[:2] for c in Congress.objects.select_related("org")} == {"33", "32"}
    assert set(Sitting.objects.values_list("status", flat=True)) == {"open", "closed", "planned"}
    assert set(Ballot.objects.values_list("status", flat=True)) == {"open", "closed", "published"}
    assert all(recount(b).ok for b in Ballot.objects.filter(status="published"))
    # The demo worker is a formal representative, not yet checked in, with a secret ballot open.
    worker = User.objects.get(username="zhigong")
    assert is_representative(worker) and Representative.objects.get(person=worker.person).role == "formal"
    [row] = my_sittings(worker)
    assert not row["checked_in"] and any(b.status == "open" and b.method == "secret" for b, _ in row["ballots"])
    # Proposals in every state but 已立案 (a moment between two steps): the home worker's replied one carried
    # over to the open sitting, another waiting for the worker's co-signature.
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert statuses == {"cosigning", "submitted", "opinion", "rejected", "assigned", "replied", "closed"}
    home = Sitting.objects.get(status="open")
    assert set(Proposal.objects.filter(carried=1).values_list("sitting", flat=True)) == {home.pk}
    assert Proposal.objects.filter(carried=1).count() == 2  # the overdue one and the replied one
    mine = my_proposals(worker)
    assert [p.status for p in mine["to_confirm"]] == ["cosigning"]
    assert Proposal.objects.filter(status="assigned", due_on__lt=home.starts_on).count() == 2
