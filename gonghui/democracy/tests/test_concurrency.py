"""One representative voting from two phones at the same moment on PostgreSQL: one paper is cast, the other
refused (the unique constraint on who has voted; the ballot's row lock orders them), and the papers still match
the voters."""

import pytest
from django.db import connection

from gonghui.democracy import services
from gonghui.democracy.models import SecretBallot, VoteCast
from gonghui.democracy.recount import recount
from gonghui.democracy.tests.conftest import secret_ballot
from gonghui.testing.concurrency import at_once

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent transactions")


@pytest.mark.django_db(transaction=True)
def test_two_phones_voting_at_once_cast_one_paper(cast):
    ballot = secret_ballot(cast)
    voter = cast.congress.users["李娜"]
    outcomes = at_once([lambda c=c: services.vote(actor=voter, ballot=ballot, choices={"1": c, "2": c})
                        for c in ("yes", "no")], timeout=30)  # fmt: skip
    assert len(outcomes) == 2 and "您已经投过票，每位代表只能投一次。" in outcomes
    assert VoteCast.objects.filter(ballot=ballot).count() == SecretBallot.objects.filter(ballot=ballot).count() == 1
    ballot = services.ballot_close(actor=cast.users.grassroots_admin, ballot=ballot)
    assert ballot.cast_count == 1 and recount(ballot).counts_match
