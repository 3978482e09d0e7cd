"""The congress through its services: composition, elections, quorum, the secret ballot (secrecy, one vote each,
receipts, the recount that catches an altered paper), the show of hands, the report case."""

import datetime as dt
import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from gonghui.cases.models import Case
from gonghui.core.models import AuditEvent
from gonghui.core.workdays import add_working_days
from gonghui.democracy import selectors, services
from gonghui.democracy.cases import PENDING
from gonghui.democracy.models import Ballot, Category, Role, SecretBallot, VoteCast
from gonghui.democracy.recount import recount
from gonghui.democracy.tests.conftest import checked_in, congress_of, secret_ballot
from gonghui.members.services import member_create
from gonghui.testing.cast import valid_id

YES_NO = {"1": "yes", "2": "no"}


def test_composition_is_checked_against_the_staff(cast):
    c = congress_of(cast)
    verdicts = {check.name: check.ok for check in selectors.composition(c.congress, c.term)}
    # 80 staff: at least 30 representatives (5 are too few); 1 manager of 5 = 20%; 30 women of 80 → ⌊30×5÷80⌋ = 1
    assert verdicts == {"代表名额": False, "领导人员比例": True, "女职工比例": True}


def test_an_invalid_election_and_a_short_term_are_refused(cast):
    c = congress_of(cast)
    with pytest.raises(ValidationError, match="在册会员"):  # 王芳 is a member in Nanjing
        services.representative_add(actor=cast.users.national_admin, term=c.term, person=cast.members.wang.person,
                                    role=Role.FORMAL, category=Category.FRONTLINE, constituency="二车间")  # fmt: skip
    new = member_create(actor=None, org=cast.orgs.company, name="周敏", id_number=valid_id("33010619930505055"),
                        employment_form="standard").person  # fmt: skip
    with pytest.raises(ValidationError, match="选举无效"):
        services.representative_add(actor=c.admin, term=c.term, person=new, role=Role.FORMAL,
                                    category=Category.FRONTLINE, constituency="二车间", constituency_size=30, voted=19,
                                    votes_for=19)  # fmt: skip
    with pytest.raises(ValidationError, match="3 至 5 年"):
        services.term_create(actor=c.admin, congress=c.congress, number=4, starts_on=dt.date(2026, 1, 1),
                             ends_on=dt.date(2027, 12, 31))  # fmt: skip


def test_no_vote_without_the_quorum(cast):
    c = congress_of(cast)
    for name in ("李娜", "陈军", "孙丽"):  # 2 formal + 1 attendee: 2 of 5 formal, 4 needed
        services.checkin_by_staff(actor=c.admin, sitting=c.sitting, representative=c.reps[name])
    q = selectors.quorum(c.sitting)
    assert (q["present"], q["total"], q["needed"], q["ok"], q["attendees"]) == (2, 5, 4, False, 1)
    draft = services.ballot_create(actor=c.admin, sitting=c.sitting, title="表决", kind="resolution", method="secret",
                                   items=["事项"])  # fmt: skip
    with pytest.raises(ValidationError, match="未达到应到 5 名的三分之二（4 名）"):
        services.ballot_open(actor=c.admin, ballot=draft)


def test_check_in_by_the_signed_qr_token(cast):
    c = congress_of(cast)
    token = services.checkin_token(c.sitting)
    done = services.checkin(actor=c.users["张伟"], token=token)
    assert services.checkin(actor=c.users["张伟"], token=token).pk == done.pk  # twice is once
    with pytest.raises(ValidationError, match="无效或已过期"):
        services.checkin(actor=c.users["张伟"], token=token[:-2] + "xx")
    with pytest.raises(ValidationError, match="不是本届职工代表"):
        services.checkin(actor=cast.users.grassroots_admin, token=token)


def test_a_secret_ballot_from_vote_to_published_result(cast, caplog):
    ballot = secret_ballot(cast)
    c = cast.congress
    services.checkin_by_staff(actor=c.admin, sitting=c.sitting, representative=c.reps["张伟"])
    caplog.set_level(logging.DEBUG)
    receipts = {}
    both = {"1": "yes", "2": "yes"}
    for name, paper in (("张伟", both), ("李娜", both), ("陈军", YES_NO), ("刘芳", {"1": "no", "2": "no"})):
        receipts[name] = services.vote(actor=c.users[name], ballot=ballot, choices=paper)
    with pytest.raises(ValidationError, match="已经投过票"):
        services.vote(actor=c.users["张伟"], ballot=ballot, choices=YES_NO)
    with pytest.raises(ValidationError, match="列席代表不参加表决"):
        services.vote(actor=c.users["孙丽"], ballot=ballot, choices=YES_NO)
    with pytest.raises(ValidationError, match="每一个表决项"):
        services.vote(actor=c.users["赵强"], ballot=ballot, choices={"1": "yes"})
    ballot = services.ballot_close(actor=c.admin, ballot=ballot)
    first, second = ballot.items.all()
    # 3 yes of 5 formal passes; 2 yes of 5 does not, though 2 of the 4 voting said yes and 2 no
    assert (first.yes, first.no, first.abstain, first.passed) == (3, 1, 0, True)
    assert (second.yes, second.no, second.abstain, second.passed) == (2, 2, 0, False)
    ballot = services.ballot_publish(actor=c.admin, ballot=ballot)
    case = Case.objects.get(pk=ballot.report_case_id)
    assert case.status == PENDING and case.deadline == add_working_days(timezone.localdate(), 7)
    assert selectors.reports_pending(cast.users.province_admin) == 1
    assert (
        selectors.reports_pending_under(cast.orgs.xihu) == 1 and selectors.reports_pending_under(cast.orgs.jiangsu) == 0
    )
    # Each voter finds their paper by the receipt; the published list holds the four papers and checks out.
    mine = ballot.papers.get(receipt_hash=services.receipt_hash(receipts["刘芳"].lower().replace("-", " ")))
    assert mine.choices == {"1": "no", "2": "no"}
    assert recount(ballot).ok and recount(ballot).papers == 4
    # Nothing ties a voter to a paper: not in the tables, the audit trail or the logs.
    _assert_secret(ballot, receipts, caplog)


def _assert_secret(ballot, receipts, caplog):
    paper_fields = {f.name for f in SecretBallot._meta.get_fields()}
    assert paper_fields == {"id", "ballot", "receipt_hash", "choices"}
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in VoteCast._meta.get_fields())
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in SecretBallot._meta.get_fields())
    votes = AuditEvent.objects.filter(action="democracy.vote")
    assert votes.count() == 4 and all(e.detail == {} and e.object_type == "democracy.ballot" for e in votes)
    papers = set(ballot.papers.values_list("id", flat=True))
    text = " ".join(str(e.detail) + e.object_id for e in AuditEvent.objects.all()) + caplog.text
    assert not any(p in text for p in papers) and not any(r in text for r in receipts.values())
    assert not any(h in text for h in ballot.papers.values_list("receipt_hash", flat=True))


def test_a_recount_detects_an_altered_paper(cast):
    ballot = secret_ballot(cast)
    c = cast.congress
    for name in ("李娜", "陈军", "刘芳"):
        services.vote(actor=c.users[name], ballot=ballot, choices=YES_NO)
    ballot = services.ballot_publish(actor=c.admin, ballot=services.ballot_close(actor=c.admin, ballot=ballot))
    assert recount(ballot).ok
    paper = ballot.papers.order_by("receipt_hash").first()
    SecretBallot.objects.filter(pk=paper.pk).update(choices={"1": "no", "2": "no"})  # someone edits the table
    check = recount(ballot)
    assert not check.ok and not check.chain_match and not check.counts_match
    # Altering the counts to match is caught by the chain, fixed at the close and kept in the audit chain.
    ballot.items.filter(position=1).update(yes=2, no=1)
    check = recount(ballot)
    assert check.counts_match and not check.chain_match and not check.ok
    sealed = AuditEvent.objects.get(action="democracy.ballot_close", object_id=str(ballot.pk))
    assert sealed.detail["commitment"] == ballot.commitment != check.chain
    # A paper slipped in is caught too (more papers than voters; a different chain).
    SecretBallot.objects.filter(pk=paper.pk).update(choices={"1": "yes", "2": "no"})
    ballot.items.filter(position=1).update(yes=3, no=0)
    assert recount(ballot).ok
    SecretBallot.objects.create(ballot=ballot, receipt_hash="0" * 64, choices=YES_NO)
    check = recount(ballot)
    assert not check.ok and check.papers == 4 and check.voters == 3


def test_no_vote_before_check_in_or_after_the_count(cast):
    ballot = secret_ballot(cast)
    c = cast.congress
    with pytest.raises(ValidationError, match="请先签到"):
        services.vote(actor=c.users["张伟"], ballot=ballot, choices=YES_NO)
    services.ballot_close(actor=c.admin, ballot=ballot)
    with pytest.raises(ValidationError, match="不接受投票"):
        services.vote(actor=c.users["李娜"], ballot=ballot, choices=YES_NO)


def test_show_of_hands_counts_against_all_formal_representatives(cast):
    c = checked_in(cast)
    ballot = services.ballot_create(actor=c.admin, sitting=c.sitting, title="选举办法", kind="resolution",
                                    method=Ballot.Method.HANDS, items=["大会选举办法", "监票人名单"])  # fmt: skip
    ballot = services.ballot_open(actor=c.admin, ballot=ballot)
    with pytest.raises(ValidationError, match="不能超过出席的正式代表 4 名"):
        services.hands_record(actor=c.admin, ballot=ballot, counts={1: {"yes": 5}, 2: {"yes": 1}})
    ballot = services.hands_record(
        actor=c.admin, ballot=ballot, counts={1: {"yes": 3, "abstain": 1}, 2: {"yes": 2, "no": 1, "abstain": 1}}
    )
    assert [i.passed for i in ballot.items.all()] == [True, False]  # 3 > 5/2; 2 is not, though 2 of 4 present


def test_the_read_only_role_and_a_sibling_province_may_not_run_a_ballot(cast):
    ballot = secret_ballot(cast, open_=False)
    with pytest.raises(Exception) as refused:
        services.ballot_open(actor=cast.users.readonly, ballot=ballot)
    assert refused.value.__class__.__name__ == "PermissionDenied"
    with pytest.raises(Exception) as hidden:
        services.ballot_open(actor=cast.users.sibling_admin, ballot=ballot)
    assert hidden.value.__class__.__name__ == "Http404"
    assert Ballot.objects.get(pk=ballot.pk).status == Ballot.Status.DRAFT


def test_the_figures_count_sittings_held_this_year(cast):
    congress_of(cast)
    assert selectors.sittings_held_this_year(cast.users.province_admin) == 1
    assert selectors.sittings_held_this_year(cast.users.sibling_admin) == 0
    assert selectors.sittings_held_this_year_under(cast.orgs.company) == 1
    assert selectors.sittings_held_this_year_under(cast.orgs.jiangsu) == 0
