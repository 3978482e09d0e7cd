"""One representative voting from two phones at the same moment on PostgreSQL: one paper is cast, the other
refused (the unique constraint on who has voted; the ballot's row lock orders them), and the papers still match
the voters."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gonghui.democracy import services
from gonghui.democracy.models import SecretBallot, VoteCast
from gonghui.democracy.recount import recount
from gonghui.democracy.tests.conftest import secret_ballot

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent transactions")


@pytest.mark.django_db(transaction=True)
def test_two_phones_voting_at_once_cast_one_paper(cast):
    ballot = secret_ballot(cast)
    voter = cast.congress.users["李娜"]
    start, outcomes = threading.Barrier(2), []

    def vote(choice):
        try:
            start.wait()
            outcomes.append(services.vote(actor=voter, ballot=ballot, choices={"1": choice, "2": choice}))
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(choice,)) for choice in ("yes", "no")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(outcomes) == 2 and "您已经投过票，每位代表只能投一次。" in outcomes
    assert VoteCast.objects.filter(ballot=ballot).count() == SecretBallot.objects.filter(ballot=ballot).count() == 1
    ballot = services.ballot_close(actor=cast.users.grassroots_admin, ballot=ballot)
    assert ballot.cast_count == 1 and recount(ballot).counts_match
